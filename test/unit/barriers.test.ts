import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addBarrier,
  BARRIER_STATUSES,
  BARRIER_TRANSITIONS,
  barriersByStatus,
  canMoveBarrier,
  DEFAULT_BARRIER,
  deleteBarrier,
  linkBarrier,
  readBarriers,
  setBarrierStatus,
  updateBarrier,
  type BarrierFields,
} from '../../shared/barriers.ts'
import type { Actor } from '../../shared/ledger.ts'
import { describeLink, withLink } from '../../shared/links.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { getBarriersMap } from '../../shared/schema.ts'

const kent: Actor = { userId: 'u-kent', name: 'Priya Shah', organisation: 'Kent County Council' }
const champion: Actor = { userId: 'u-dh', name: 'Owen Price', organisation: 'Department of Health (DH)' }
const barrier = (fields: Partial<BarrierFields> = {}): BarrierFields => ({
  ...DEFAULT_BARRIER,
  title: 'ESF families funding cannot be pooled',
  raisedBy: 'Kent County Council',
  rule: 'ESF match-funding and audit rules',
  ...fields,
})

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

// What the server records in the ledger for each of these edits: test/unit/ledgerOfChanges.test.ts.
describe('barriers', () => {
  it('raises a barrier with every field', () => {
    const doc = new Y.Doc()
    const id = addBarrier(
      doc,
      barrier({
        department: 'DWP',
        champion: 'Director General, DWP',
        impactPence: 250_000_000,
        familiesAffected: 450,
        dueDate: '2012-03-31',
      }),
      kent,
      1000,
    )
    expect(readBarriers(doc)).toEqual([
      expect.objectContaining({
        id,
        status: 'raised',
        department: 'DWP',
        impactPence: 250_000_000,
        familiesAffected: 450,
        dueDate: '2012-03-31',
        createdBy: kent,
        createdAt: 1000,
        links: [],
      }),
    ])
  })

  it('refuses bad values with a message that says what is wrong', () => {
    const doc = new Y.Doc()
    // Messages are sentences for people, not zod's JSON.
    expect(() => addBarrier(doc, barrier({ title: '  ' }), kent, 1)).toThrowError(/^Give the barrier a title$/)
    expect(() => addBarrier(doc, barrier({ champion: 'x'.repeat(121) }), kent, 1)).toThrowError(
      /^Champion must be at most 120 characters$/,
    )
    expect(() => addBarrier(doc, barrier({ dueDate: '2012-02-30' }), kent, 1)).toThrow('YYYY-MM-DD')
    expect(() => addBarrier(doc, barrier({ familiesAffected: -3 }), kent, 1)).toThrow('cannot be negative')
    expect(() => addBarrier(doc, barrier({ impactPence: 1.5 }), kent, 1)).toThrow('whole pence')
    expect(readBarriers(doc)).toEqual([])
  })

  it('moves only along the allowed transitions', () => {
    const doc = new Y.Doc()
    const id = addBarrier(doc, barrier(), kent, 1)
    expect(() => setBarrierStatus(doc, id, 'flexibility-agreed', champion, 2)).toThrow(
      'A barrier that is raised can move to: With department, Escalated, Resolved.',
    )
    expect(readBarriers(doc)[0]!.status).toBe('raised')
    const statuses: string[] = []
    getBarriersMap(doc)
      .get(id)!
      .observe((event) => {
        if (event.keysChanged.has('status')) statuses.push(getBarriersMap(doc).get(id)!.get('status') as string)
      })
    setBarrierStatus(doc, id, 'with-department', champion, 3)
    setBarrierStatus(doc, id, 'flexibility-agreed', champion, 4)
    setBarrierStatus(doc, id, 'resolved', kent, 5)
    expect(readBarriers(doc)[0]!.status).toBe('resolved')
    expect(statuses).toEqual(['with-department', 'flexibility-agreed', 'resolved'])
  })

  it('every status can be reached from "raised" and every settled barrier can be reopened', () => {
    const reachable = new Set(['raised'])
    for (let changed = true; changed; ) {
      changed = false
      for (const from of reachable)
        for (const to of BARRIER_TRANSITIONS[from as keyof typeof BARRIER_TRANSITIONS])
          if (!reachable.has(to)) reachable.add(to), (changed = true)
    }
    expect([...reachable].sort()).toEqual([...BARRIER_STATUSES].sort())
    expect(canMoveBarrier('resolved', 'raised')).toBe(true)
    expect(canMoveBarrier('resolved', 'flexibility-agreed')).toBe(false)
  })

  it('merges two people editing different fields at the same time, and writes only what changed', () => {
    const a = new Y.Doc()
    const id = addBarrier(a, barrier(), kent, 1)
    const b = new Y.Doc()
    sync(a, b)
    updateBarrier(a, id, { champion: 'Director General, DH' }, kent, 2)
    const written: string[] = []
    getBarriersMap(b)
      .get(id)!
      .observe((event, transaction) => {
        if (transaction.local) written.push(...event.keysChanged)
      })
    updateBarrier(
      b,
      id,
      { flexibility: 'Allow ESF to be aligned rather than pooled', title: 'ESF families funding cannot be pooled' },
      champion,
      2,
    )
    // The unchanged title is not rewritten, so it cannot overwrite someone else's concurrent edit.
    expect(written).toEqual(['flexibility'])
    sync(a, b)
    expect(readBarriers(a)).toEqual(readBarriers(b))
    expect(readBarriers(a)[0]).toMatchObject({
      champion: 'Director General, DH',
      flexibility: 'Allow ESF to be aligned rather than pooled',
    })
  })

  it('links to pot lines and clauses; two links added at once both survive', () => {
    const a = new Y.Doc()
    const id = addBarrier(a, barrier(), kent, 1)
    const line = addPotLine(a, { ...DEFAULT_LINE, partner: 'DWP', stream: 'ESF families programme' }, kent, 2)
    const b = new Y.Doc()
    sync(a, b)
    linkBarrier(a, id, { kind: 'pot-line', id: line }, true)
    linkBarrier(b, id, { kind: 'clause', id: 'c1' }, true)
    sync(a, b)
    expect(readBarriers(b)[0]!.links).toEqual([
      { kind: 'clause', id: 'c1' },
      { kind: 'pot-line', id: line },
    ])
    expect(describeLink(a, { kind: 'pot-line', id: line })).toBe('DWP · ESF families programme')
    expect(describeLink(a, { kind: 'clause', id: 'c1' })).toBeNull()
    // Forms gather links before the item exists: each link once, removable.
    const gathered = withLink(
      withLink([{ kind: 'clause', id: 'c1' }], { kind: 'clause', id: 'c1' }, true),
      { kind: 'barrier', id: 'b' },
      true,
    )
    expect(gathered).toEqual([
      { kind: 'clause', id: 'c1' },
      { kind: 'barrier', id: 'b' },
    ])
    expect(withLink(gathered, { kind: 'clause', id: 'c1' }, false)).toEqual([{ kind: 'barrier', id: 'b' }])
    linkBarrier(a, id, { kind: 'clause', id: 'c1' }, false)
    expect(readBarriers(a)[0]!.links).toEqual([{ kind: 'pot-line', id: line }])
  })

  it('reads a barrier a peer wrote badly with defaults, never hiding it', () => {
    const doc = new Y.Doc()
    const id = addBarrier(doc, barrier(), kent, 1)
    getBarriersMap(doc).get(id)!.set('status', 'lost')
    getBarriersMap(doc).get(id)!.set('impactPence', 'lots')
    const [read] = readBarriers(doc)
    expect(read).toMatchObject({
      id,
      title: 'ESF families funding cannot be pooled',
      status: 'raised',
      impactPence: null,
    })
  })

  it('deletes a barrier, and groups by status', () => {
    const doc = new Y.Doc()
    const first = addBarrier(doc, barrier(), kent, 1)
    const second = addBarrier(doc, barrier({ title: 'Data sharing between police and health' }), kent, 2)
    setBarrierStatus(doc, second, 'escalated', kent, 3)
    const columns = barriersByStatus(readBarriers(doc))
    expect(columns.raised.map((b) => b.id)).toEqual([first])
    expect(columns.escalated.map((b) => b.id)).toEqual([second])
    expect(columns.resolved).toEqual([])
    deleteBarrier(doc, first, kent, 4)
    expect(readBarriers(doc).map((b) => b.id)).toEqual([second])
    expect(barriersByStatus(readBarriers(doc)).raised).toEqual([])
  })
})
