import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBarrier, DEFAULT_BARRIER, readBarriers, updateBarrier } from '../../shared/barriers.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { createSectionUndo } from '../../shared/sectionUndo.ts'

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'DWP' }
const swindon = { userId: 's', name: 'Sam Jones', organisation: 'Swindon Borough Council' }
/** What the provider does with what arrives from the server: applies it with itself as origin. */
const REMOTE = { provider: 'stand-in' }
function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE)
}
const line = (fields: Partial<typeof DEFAULT_LINE> & { partner: string }) => ({ ...DEFAULT_LINE, ...fields })

describe('undo of one’s own changes to a section', () => {
  it('brings back one’s own removed line with every field', () => {
    const doc = new Y.Doc()
    const undo = createSectionUndo(doc, 'pot')
    const id = addPotLine(
      doc,
      line({ partner: 'Police', amount: 300, kind: 'in-kind', kindDescription: 'Two officers', status: 'agreed' }),
      dwp,
      1,
    )
    deletePotLine(doc, id, dwp, 2)
    expect(readPotLines(doc)).toEqual([])
    undo.undo()
    expect(readPotLines(doc)).toEqual([
      expect.objectContaining({
        id,
        partner: 'Police',
        amount: 300,
        kindDescription: 'Two officers',
        status: 'agreed',
      }),
    ])
    expect(readPotLines(doc)[0]).toMatchObject({ mode: 'pooled', proposedBy: dwp, createdAt: 1 })
  })

  it('never undoes what someone else did, and steps one change at a time', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const undoA = createSectionUndo(a, 'pot')
    const id = addPotLine(a, line({ partner: 'DfE', amount: 5 }), dwp, 1)
    sync(a, b)
    updatePotLine(a, id, { amount: 7 }, dwp, 2)
    updatePotLine(a, id, { status: 'offered' }, dwp, 3)
    sync(a, b)
    updatePotLine(b, id, { conditions: 'From April' }, swindon, 4)
    sync(a, b)
    undoA.undo()
    expect(readPotLines(a)[0]).toMatchObject({ amount: 7, status: 'proposed', conditions: 'From April' })
    undoA.undo()
    expect(readPotLines(a)[0]).toMatchObject({ amount: 5, conditions: 'From April' })
    // The amount is back, and its last writer is the one who put it back: nobody else is named.
    expect(readPotLines(a)[0]!.lastEdits.amount?.userId).toBe(dwp.userId)
    undoA.redo()
    expect(readPotLines(a)[0]).toMatchObject({ amount: 7, status: 'proposed' })
    // Someone else's removal is not undone from here.
    deletePotLine(b, id, swindon, 5)
    sync(a, b)
    undoA.undo()
    expect(readPotLines(a)).toEqual([])
  })

  it('keeps each section’s history apart', () => {
    const doc = new Y.Doc()
    const pot = createSectionUndo(doc, 'pot')
    const barriers = createSectionUndo(doc, 'barriers')
    addPotLine(doc, line({ partner: 'DWP', amount: 1 }), dwp, 1)
    const id = addBarrier(doc, { ...DEFAULT_BARRIER, title: 'ESF rules', raisedBy: 'Swindon Borough Council' }, dwp, 2)
    updateBarrier(doc, id, { title: 'ESF cannot be pooled' }, dwp, 3)
    pot.undo()
    expect(readPotLines(doc)).toEqual([])
    expect(readBarriers(doc).map((b) => b.title)).toEqual(['ESF cannot be pooled'])
    barriers.undo()
    expect(readBarriers(doc).map((b) => b.title)).toEqual(['ESF rules'])
  })
})
