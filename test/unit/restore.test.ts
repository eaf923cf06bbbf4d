import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAction, readActionItems } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, readBarriers, setBarrierStatus } from '../../shared/barriers.ts'
import { diffWorkshops, isEmptyDiff } from '../../shared/diff.ts'
import { readLedger } from '../../shared/ledger.ts'
import { addPotLine, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { restoreSnapshot } from '../../shared/restore.ts'
import { getMembersMap, openCanvas, recordMember } from '../../shared/schema.ts'

const actor = { userId: 'f', name: 'Fiona Facilitator', organisation: 'Kent County Council' }
const shape = (id: string, x: number) => ({ id, typeName: 'shape', type: 'geo', x, y: 0, props: { w: 100, h: 50 } })

describe('restoring a snapshot', () => {
  it('brings back the negotiated content as new edits, keeping members and recording the restore', () => {
    const live = new Y.Doc()
    recordMember(live, 'f', { name: actor.name, organisation: actor.organisation, role: 'facilitator' }, 1)
    const line = addPotLine(live, { ...DEFAULT_LINE, partner: 'DWP', amount: 60_000_000 }, actor, 1)
    const barrier = addBarrier(
      live,
      { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled', raisedBy: 'Kent County Council' },
      actor,
      1,
    )
    const clause = addClause(live, 'Purpose', ['Pool money around families.'], actor, 1)
    openCanvas(live).set('shape:a', shape('shape:a', 10))
    const snapshotState = Y.encodeStateAsUpdate(live)

    // The workshop moves on.
    updatePotLine(live, line, { amount: 75_000_000 }, actor, 2)
    addPotLine(live, { ...DEFAULT_LINE, partner: 'Police', amount: 1 }, actor, 2)
    setBarrierStatus(live, barrier, 'with-department', actor, 2)
    addAction(
      live,
      { what: 'DWP to confirm', ownerOrganisation: 'DWP', ownerPerson: '', dueDate: '', status: 'open' },
      actor,
      2,
    )
    clauseBody(live, clause)!.insert(0, [new Y.XmlElement('paragraph')])
    openCanvas(live).set('shape:a', shape('shape:a', 99))
    openCanvas(live).set('shape:b', shape('shape:b', 5))
    recordMember(live, 'p', { name: 'Pat', organisation: 'DWP', role: 'participant' }, 2)
    expect(isEmptyDiff(diffWorkshops(snapshotState, Y.encodeStateAsUpdate(live)))).toBe(false)

    const snapshot = new Y.Doc()
    Y.applyUpdate(snapshot, snapshotState)
    restoreSnapshot(live, snapshot, 'End of pot discussion', actor, 3)

    expect(isEmptyDiff(diffWorkshops(snapshotState, Y.encodeStateAsUpdate(live)))).toBe(true)
    expect(readPotLines(live).map((l) => [l.partner, l.amount])).toEqual([['DWP', 60_000_000]])
    expect(readBarriers(live)[0]!.status).toBe('raised')
    expect(readActionItems(live)).toEqual([])
    expect(openCanvas(live).get('shape:a')).toMatchObject({ x: 10 })
    expect(openCanvas(live).has('shape:b')).toBe(false)
    expect(getMembersMap(live).has('p')).toBe(true)
    expect(readLedger(live).at(-1)).toMatchObject({
      area: 'workshop',
      action: 'restored',
      label: 'End of pot discussion',
      by: actor,
    })
  })

  it('writes nothing but the ledger entry when the live state already is the snapshot', () => {
    const live = new Y.Doc()
    const id = addPotLine(live, { ...DEFAULT_LINE, partner: 'DWP', amount: 5 }, actor, 1)
    const lineMap = live.getMap('pot').get(id)
    const snapshot = new Y.Doc()
    Y.applyUpdate(snapshot, Y.encodeStateAsUpdate(live))
    const updates: Uint8Array[] = []
    live.on('update', (u: Uint8Array) => updates.push(u))
    restoreSnapshot(live, snapshot, 'Same', actor, 2)
    expect(updates).toHaveLength(1)
    // The line was not rewritten: it is the same Y.Map.
    expect(live.getMap('pot').get(id)).toBe(lineMap)
    // The only entry is the restore's own (the server, not the client, records the line's creation).
    expect(readLedger(live)).toEqual([
      expect.objectContaining({ area: 'workshop', action: 'restored', label: 'Same', by: actor, at: 2 }),
    ])
  })
})
