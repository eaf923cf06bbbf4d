/** Which page each path of the app shows (client/routes.ts): the links people share must open the right page. */
import { describe, expect, it } from 'vitest'
import { workshopPath, parseRoute, printPath } from '../../client/routes.ts'

const room = 'cWGTcrxJIwFAlZoQvVLZbba5DLU'
const snapshot = 'k3Jd9sQ0pLmN2xYz'

describe('parseRoute', () => {
  it('opens the home page, a workshop, a snapshot and the printable pages', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' })
    expect(parseRoute(`/r/${room}`)).toEqual({ name: 'workshop', roomId: room, view: null, item: null })
    expect(parseRoute(`/r/${room}/`)).toEqual({ name: 'workshop', roomId: room, view: null, item: null })
    // Deep links: a view, an item opened in it.
    expect(parseRoute(`/r/${room}/pot`)).toEqual({ name: 'workshop', roomId: room, view: 'pot', item: null })
    expect(parseRoute(`/r/${room}/snapshots`)).toEqual({
      name: 'workshop',
      roomId: room,
      view: 'snapshots',
      item: null,
    })
    expect(parseRoute(`/r/${room}/barriers/b1234`)).toEqual({
      name: 'workshop',
      roomId: room,
      view: 'barriers',
      item: 'b1234',
    })
    expect(workshopPath(room, 'board')).toBe(`/r/${room}`)
    expect(workshopPath(room, 'barriers', 'b1234')).toBe(`/r/${room}/barriers/b1234`)
    expect(parseRoute(`/r/${room}/snapshots/${snapshot}`)).toEqual({
      name: 'snapshot',
      roomId: room,
      snapshotId: snapshot,
    })
    expect(parseRoute(`/r/${room}/print`)).toEqual({ name: 'print', roomId: room, snapshotId: null, part: 'workshop' })
    expect(parseRoute(`/r/${room}/snapshots/${snapshot}/print`)).toEqual({
      name: 'print',
      roomId: room,
      snapshotId: snapshot,
      part: 'workshop',
    })
  })

  it('opens the protocol alone, for signature, live or from a snapshot, and builds those paths', () => {
    expect(parseRoute(`/r/${room}/print/protocol`)).toEqual({
      name: 'print',
      roomId: room,
      snapshotId: null,
      part: 'protocol',
    })
    expect(parseRoute(`/r/${room}/snapshots/${snapshot}/print/protocol/`)).toEqual({
      name: 'print',
      roomId: room,
      snapshotId: snapshot,
      part: 'protocol',
    })
    expect(printPath(room, null, 'workshop')).toBe(`/r/${room}/print`)
    expect(printPath(room, null, 'protocol')).toBe(`/r/${room}/print/protocol`)
    expect(printPath(room, snapshot, 'protocol')).toBe(`/r/${room}/snapshots/${snapshot}/print/protocol`)
    for (const path of [printPath(room, null, 'protocol'), printPath(room, snapshot, 'workshop')])
      expect(parseRoute(path).name).toBe('print')
    expect(parseRoute(`/r/${room}/print/pot`)).toEqual({ name: 'not-found' })
  })

  it('shows "not found" for anything else, including ids of the wrong shape', () => {
    for (const path of [
      '/r/short',
      `/r/${room}/Pot`,
      `/r/${room}/pot/a/b`,
      `/r/${room}/snapshots/x`,
      '/rooms',
      `/r/${room}!`,
    ])
      expect(parseRoute(path), path).toEqual({ name: 'not-found' })
  })
})
