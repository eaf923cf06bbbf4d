/** Which page each path of the app shows (client/routes.ts): the links people share must open the right page. */
import { describe, expect, it } from 'vitest'
import { parseRoute } from '../../client/routes.ts'

const room = 'cWGTcrxJIwFAlZoQvVLZbba5DLU'
const snapshot = 'k3Jd9sQ0pLmN2xYz'

describe('parseRoute', () => {
  it('opens the home page, a workshop, a snapshot and the printable pages', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' })
    expect(parseRoute(`/r/${room}`)).toEqual({ name: 'workshop', roomId: room })
    expect(parseRoute(`/r/${room}/`)).toEqual({ name: 'workshop', roomId: room })
    expect(parseRoute(`/r/${room}/snapshots/${snapshot}`)).toEqual({
      name: 'snapshot',
      roomId: room,
      snapshotId: snapshot,
    })
    expect(parseRoute(`/r/${room}/print`)).toEqual({ name: 'print', roomId: room, snapshotId: null })
    expect(parseRoute(`/r/${room}/snapshots/${snapshot}/print`)).toEqual({
      name: 'print',
      roomId: room,
      snapshotId: snapshot,
    })
  })

  it('shows "not found" for anything else, including ids of the wrong shape', () => {
    for (const path of ['/r/short', `/r/${room}/pot`, `/r/${room}/snapshots/x`, '/rooms', `/r/${room}!`])
      expect(parseRoute(path), path).toEqual({ name: 'not-found' })
  })
})
