import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Actor } from '../../shared/ledger.ts'
import {
  addPotLine,
  arrangePotLines,
  computePotTotals,
  DEFAULT_ARRANGEMENT,
  DEFAULT_LINE,
  deletePotLine,
  readPotLines,
  readTargetPot,
  setTargetPot,
  updatePotLine,
  type PotLineFields,
} from '../../shared/pot.ts'
import { getPotMap } from '../../shared/schema.ts'

const dwp: Actor = { userId: 'u-dwp', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
const swindon: Actor = { userId: 'u-swi', name: 'Tom Reed', organisation: 'Swindon Borough Council' }
const line = (fields: Partial<PotLineFields> & { partner: string }): PotLineFields => ({ ...DEFAULT_LINE, ...fields })
const POUND = 100

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('pot lines', () => {
  // What the server records in the ledger for each of these edits: test/unit/ledgerOfChanges.test.ts.
  it('adds a line proposed by someone', () => {
    const doc = new Y.Doc()
    const id = addPotLine(
      doc,
      line({ partner: 'DWP', stream: 'Work Programme', amount: 60_000_000 * POUND }),
      dwp,
      1000,
    )
    const [stored] = readPotLines(doc)
    expect(stored).toMatchObject({
      id,
      partner: 'DWP',
      amount: 6_000_000_000,
      status: 'proposed',
      proposedBy: dwp,
      createdAt: 1000,
    })
  })

  it('refuses a negative or fractional amount and an empty partner', () => {
    const doc = new Y.Doc()
    expect(() => addPotLine(doc, line({ partner: 'DWP', amount: -1 }), dwp, 0)).toThrow(/cannot be negative/)
    expect(() => addPotLine(doc, line({ partner: 'DWP', amount: 1.5 }), dwp, 0)).toThrow(/whole pence/)
    expect(() => addPotLine(doc, line({ partner: '  ' }), dwp, 0)).toThrow(/partner organisation/)
    expect(readPotLines(doc)).toEqual([])
  })

  it('writes only the fields that really change, each with its last writer', () => {
    const doc = new Y.Doc()
    const id = addPotLine(doc, line({ partner: 'Police', amount: 500_000 * POUND }), dwp, 1)
    const written: string[] = []
    getPotMap(doc)
      .get(id)!
      .observe((event) => written.push(...event.keysChanged))
    updatePotLine(
      doc,
      id,
      { amount: 750_000 * POUND, status: 'offered', conditions: 'Subject to PCC approval', mode: 'pooled' },
      swindon,
      2,
    )
    expect(written.sort()).toEqual(['amount', 'conditions', 'edit.amount', 'edit.conditions', 'edit.status', 'status'])
    expect(readPotLines(doc)[0]).toMatchObject({
      amount: 75_000_000,
      status: 'offered',
      conditions: 'Subject to PCC approval',
      mode: 'pooled',
    })
    expect(readPotLines(doc)[0]!.lastEdits.amount).toMatchObject({ userId: swindon.userId, name: 'Tom Reed', at: 2 })
  })

  it('keeps both people’s changes when they edit different fields of one line at once', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const id = addPotLine(a, line({ partner: 'Kent County Council', amount: 100 * POUND }), dwp, 1)
    sync(a, b)
    updatePotLine(a, id, { amount: 2_000_000 * POUND }, dwp, 2)
    updatePotLine(b, id, { status: 'agreed' }, swindon, 2)
    sync(a, b)
    expect(readPotLines(a)).toEqual(readPotLines(b))
    expect(readPotLines(a)[0]).toMatchObject({ amount: 200_000_000, status: 'agreed' })
  })

  it('reads a line a peer wrote badly with defaults for the bad fields instead of dropping it', () => {
    const doc = new Y.Doc()
    const id = addPotLine(doc, line({ partner: 'Home Office', amount: 10 * POUND }), dwp, 1)
    getPotMap(doc).get(id)!.set('status', 'maybe')
    getPotMap(doc).get(id)!.set('amount', 'lots')
    expect(readPotLines(doc)[0]).toMatchObject({ partner: 'Home Office', status: 'proposed', amount: 0 })
  })

  it('deletes a line and keeps its history', () => {
    const doc = new Y.Doc()
    const id = addPotLine(doc, line({ partner: 'DfE', stream: 'Early Intervention Grant', amount: 5 * POUND }), dwp, 1)
    deletePotLine(doc, id, swindon, 2)
    expect(readPotLines(doc)).toEqual([])
    expect(getPotMap(doc).has(id)).toBe(false)
  })
})

describe('pot totals', () => {
  it('totals the pot by partner, mode, status and kind, leaving withdrawn money out of the pot', () => {
    const doc = new Y.Doc()
    addPotLine(doc, line({ partner: 'DWP', amount: 1000, mode: 'aligned', status: 'offered' }), dwp, 1)
    addPotLine(doc, line({ partner: 'DWP', amount: 500, kind: 'in-kind', status: 'agreed' }), dwp, 2)
    addPotLine(doc, line({ partner: 'Police', amount: 250, status: 'committed' }), dwp, 3)
    addPotLine(doc, line({ partner: 'Police', amount: 9999, status: 'withdrawn' }), dwp, 4)
    const totals = computePotTotals(readPotLines(doc))
    expect(totals.total).toBe(1750)
    expect(totals.byMode).toEqual({ pooled: 750, aligned: 1000 })
    expect(totals.byKind).toEqual({ cash: 1250, 'in-kind': 500 })
    expect(totals.byStatus).toEqual({ proposed: 0, offered: 1000, agreed: 500, committed: 250, withdrawn: 9999 })
    expect(totals.byPartner.get('DWP')?.total).toBe(1500)
    expect(totals.byPartner.get('Police')).toEqual({
      total: 250,
      byStatus: { proposed: 0, offered: 0, agreed: 0, committed: 250, withdrawn: 9999 },
    })
  })

  it('sets and clears the target pot size', () => {
    const doc = new Y.Doc()
    expect(readTargetPot(doc)).toBeNull()
    setTargetPot(doc, 3_000_000 * POUND, swindon, 5)
    expect(readTargetPot(doc)).toBe(300_000_000)
    setTargetPot(doc, null, swindon, 6)
    expect(readTargetPot(doc)).toBeNull()
    expect(() => setTargetPot(doc, -5, swindon, 7)).toThrow()
    expect(readTargetPot(doc)).toBeNull()
  })
})

describe('example pot', () => {
  it('is valid, says it is an example on every line, and mixes modes, kinds and statuses', async () => {
    const { examplePotLines } = await import('../../shared/potExample.ts')
    const doc = new Y.Doc()
    const example = examplePotLines(new Date('2026-12-05T12:00:00Z'))
    for (const fields of example) addPotLine(doc, fields, dwp, 1)
    const lines = readPotLines(doc)
    expect(lines).toHaveLength(example.length)
    // The year someone tries it in, not the pilot's.
    expect(new Set(lines.map((l) => l.years))).toEqual(new Set(['2026-27']))
    expect(lines.every((l) => l.conditions.includes('Example data'))).toBe(true)
    const totals = computePotTotals(lines)
    expect(totals.byMode.aligned).toBeGreaterThan(0)
    expect(totals.byKind['in-kind']).toBeGreaterThan(0)
    expect(new Set(lines.map((l) => l.status)).size).toBeGreaterThanOrEqual(3)
  })
})

describe('arranging the pot', () => {
  const doc = new Y.Doc()
  addPotLine(doc, line({ partner: 'Police', amount: 300, status: 'agreed', mode: 'aligned' }), dwp, 1)
  addPotLine(
    doc,
    line({ partner: 'DWP', stream: 'ESF families programme', amount: 900, status: 'proposed', mode: 'aligned' }),
    dwp,
    2,
  )
  addPotLine(doc, line({ partner: 'DWP', stream: 'Work Programme', amount: 100, status: 'withdrawn' }), dwp, 3)
  addPotLine(
    doc,
    line({ partner: 'Kent County Council', amount: 500, status: 'committed', conditions: 'Cabinet approval' }),
    dwp,
    4,
  )
  const lines = readPotLines(doc)
  const arrange = (a: Partial<typeof DEFAULT_ARRANGEMENT>) => arrangePotLines(lines, { ...DEFAULT_ARRANGEMENT, ...a })

  it('keeps the order lines were added by default, in one group', () => {
    const groups = arrange({})
    expect(groups).toHaveLength(1)
    expect(groups[0]!.lines.map((l) => l.partner)).toEqual(['Police', 'DWP', 'DWP', 'Kent County Council'])
    expect(groups[0]!.total).toBe(1700)
  })

  it('sorts by amount either way', () => {
    expect(arrange({ sort: 'amount', descending: true })[0]!.lines.map((l) => l.amount)).toEqual([900, 500, 300, 100])
    expect(arrange({ sort: 'amount' })[0]!.lines.map((l) => l.amount)).toEqual([100, 300, 500, 900])
  })

  it('groups by partner alphabetically, by status in negotiation order, with group totals', () => {
    expect(arrange({ group: 'partner' }).map((g) => [g.label, g.total])).toEqual([
      ['DWP', 900],
      ['Kent County Council', 500],
      ['Police', 300],
    ])
    expect(arrange({ group: 'status' }).map((g) => g.label)).toEqual(['Proposed', 'Agreed', 'Committed', 'Withdrawn'])
  })

  it('filters by status, mode and text in partner, stream or conditions', () => {
    expect(arrange({ mode: 'aligned' })[0]!.lines.map((l) => l.partner)).toEqual(['Police', 'DWP'])
    expect(arrange({ status: 'committed' })[0]!.lines).toHaveLength(1)
    expect(arrange({ search: 'esf' })[0]!.lines.map((l) => l.stream)).toEqual(['ESF families programme'])
    expect(arrange({ search: 'cabinet' })[0]!.lines.map((l) => l.partner)).toEqual(['Kent County Council'])
    expect(arrange({ search: 'nothing like this' })).toEqual([])
  })
})

describe('last writer of a field', () => {
  it('remembers who last changed each field, so the overwritten person can be told', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const id = addPotLine(a, line({ partner: 'Hull City Council', amount: 100 }), dwp, 1)
    sync(a, b)
    updatePotLine(a, id, { amount: 200 }, dwp, 2)
    updatePotLine(b, id, { amount: 300 }, swindon, 3)
    sync(a, b)
    const [onA] = readPotLines(a)
    const [onB] = readPotLines(b)
    expect(onA!.amount).toBe(onB!.amount)
    // Whoever won the field is its recorded last writer, on both sides.
    const winner = onA!.amount === 200 ? dwp : swindon
    expect(onA!.lastEdits.amount).toMatchObject({ userId: winner.userId, name: winner.name })
    expect(onB!.lastEdits).toEqual(onA!.lastEdits)
    expect(onA!.lastEdits.status).toBeUndefined()
  })
})
