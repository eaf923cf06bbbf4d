/**
 * The content fingerprint automatic snapshots compare (server/snapshotContent.ts): the same for
 * the same content however Yjs holds it, different for any change of content, and blind only to
 * a member record's `lastSeen`.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { contentFingerprint } from '../../server/snapshotContent.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, readPotLines } from '../../shared/pot.ts'
import { getMembersMap, recordMember } from '../../shared/schema.ts'

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
const member = { name: 'Amira Khan', organisation: 'DWP', role: 'participant' as const, keyed: true }

function workshop(): Y.Doc {
  const doc = new Y.Doc()
  addPotLine(doc, { ...DEFAULT_LINE, partner: 'DWP', stream: 'Work Programme', amount: 60_000_000 }, dwp, 1)
  recordMember(doc, 'd', member, 1000)
  doc.getText('notes').insert(0, 'Families first')
  const fragment = doc.getXmlFragment('body')
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('Pooled budgets')])
  fragment.insert(0, [paragraph])
  return doc
}

const reload = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

describe('the content fingerprint', () => {
  it('is the same for a document and a fresh load of its encoded state', () => {
    const doc = workshop()
    expect(contentFingerprint(reload(doc))).toBe(contentFingerprint(doc))
    expect(contentFingerprint(doc)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('ignores a returning member’s lastSeen, but not a new member or a changed record', () => {
    const doc = workshop()
    const before = contentFingerprint(doc)
    const vector = Y.encodeStateVector(doc)
    recordMember(doc, 'd', member, 999_999)
    expect(Y.encodeStateVector(doc)).not.toEqual(vector)
    expect(contentFingerprint(doc)).toBe(before)
    recordMember(doc, 'd', { ...member, name: 'Amira K.' }, 1_000_000)
    expect(contentFingerprint(doc)).not.toBe(before)
    const renamed = contentFingerprint(doc)
    recordMember(doc, 'n', { ...member, name: 'Nia Jones' }, 1_000_001)
    expect(contentFingerprint(doc)).not.toBe(renamed)
    expect(getMembersMap(doc).size).toBe(2)
  })

  it('sees a deletion, which leaves the state vector as it was', () => {
    const doc = workshop()
    const before = contentFingerprint(doc)
    const vector = Y.encodeStateVector(doc)
    deletePotLine(doc, readPotLines(doc)[0]!.id, dwp, 2)
    expect(readPotLines(doc)).toHaveLength(0)
    expect(Y.encodeStateVector(doc)).toEqual(vector)
    expect(contentFingerprint(doc)).not.toBe(before)
    const lineGone = contentFingerprint(doc)
    doc.getText('notes').delete(0, 1)
    expect(Y.encodeStateVector(doc)).toEqual(vector)
    expect(contentFingerprint(doc)).not.toBe(lineGone)
  })

  it('is the same after a change made and taken back, and however text items were split', () => {
    const doc = workshop()
    const before = contentFingerprint(doc)
    const notes = doc.getText('notes')
    // Typing into the middle splits the item holding the text; deleting it again leaves two items.
    notes.insert(5, 'XYZ')
    expect(contentFingerprint(doc)).not.toBe(before)
    notes.delete(5, 3)
    expect(notes.toString()).toBe('Families first')
    expect(contentFingerprint(doc)).toBe(before)
    const meta = doc.getMap('meta')
    meta.set('phase', 'pot')
    meta.delete('phase')
    expect(contentFingerprint(doc)).toBe(before)
  })

  it('sees formatting, XML attributes and nested values', () => {
    const doc = workshop()
    const seen = new Set([contentFingerprint(doc)])
    const expectNew = () => {
      const next = contentFingerprint(doc)
      expect(seen.has(next)).toBe(false)
      seen.add(next)
    }
    doc.getText('notes').format(0, 8, { bold: true })
    expectNew()
    const paragraph = doc.getXmlFragment('body').get(0) as Y.XmlElement
    paragraph.setAttribute('textAlign', 'center')
    expectNew()
    const text = paragraph.get(0) as Y.XmlText
    text.format(0, 6, { italic: {} })
    expectNew()
    const nested = new Y.Map<unknown>()
    doc.getMap('pot').set('extra', nested)
    expectNew()
    nested.set('amount', 5)
    expectNew()
    nested.set('amount', 6)
    expectNew()
    doc.getArray('canvas').push([{ key: 'shape:1', val: { x: 1, y: 2 } }])
    expectNew()
    // An empty map turned into an empty array under the same key is a change too.
    doc.getMap('pot').set('extra', new Y.Array())
    expectNew()
  })

  it('skips root types with nothing in them: a document only has them once something asked', () => {
    const doc = workshop()
    const before = contentFingerprint(doc)
    doc.getMap('settings')
    doc.getArray('ledger-never-written')
    expect(contentFingerprint(doc)).toBe(before)
  })

  it('reads object values whatever the order of their keys', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.getMap('meta').set('timer', { startedAt: 1, minutes: 5 })
    b.getMap('meta').set('timer', { minutes: 5, startedAt: 1 })
    expect(contentFingerprint(a)).toBe(contentFingerprint(b))
  })
})
