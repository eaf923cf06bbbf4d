import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeNewWorkshop, getMembersMap, openCanvas, readMeta, recordMember } from '../../shared/schema.ts'

describe('workshop document', () => {
  it('starts a new workshop with its title and creation time', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeNewWorkshop({ title: 'Hull families', createdAt: 1_700_000_000_000 }))
    expect(readMeta(doc)).toEqual({ title: 'Hull families', createdAt: 1_700_000_000_000 })
  })

  it('reads an empty document as an untitled workshop instead of failing', () => {
    expect(readMeta(new Y.Doc())).toEqual({ title: '', createdAt: 0 })
  })

  it('keeps when a member was first seen when they come back', () => {
    const doc = new Y.Doc()
    recordMember(doc, 'u1', { name: 'Priya', organisation: 'Kent County Council', role: 'participant' }, 100)
    recordMember(doc, 'u1', { name: 'Priya S', organisation: 'Kent County Council', role: 'participant' }, 500)
    expect(getMembersMap(doc).get('u1')).toEqual({
      name: 'Priya S',
      organisation: 'Kent County Council',
      role: 'participant',
      firstSeen: 100,
      lastSeen: 500,
    })
  })

  it('stores canvas records by id, one entry per record however often it changes', () => {
    const doc = new Y.Doc()
    const canvas = openCanvas(doc)
    for (let x = 0; x < 50; x++) canvas.set('shape:1', { id: 'shape:1', typeName: 'shape', x })
    expect(canvas.get('shape:1')).toMatchObject({ x: 49 })
    expect(doc.getArray('canvas').length).toBe(1)
  })
})
