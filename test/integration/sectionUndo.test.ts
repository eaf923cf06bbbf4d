/**
 * Undo scoped to one's own changes (shared/sectionUndo.ts), through the real server: Pat's undo
 * puts back what Pat changed and nothing anyone else did, and the server's rules accept every
 * step of it (an undo is a change like any other, and Pat may make it).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAction, readActionItems, updateAction } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, deleteBarrier, readBarriers, setBarrierStatus } from '../../shared/barriers.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { addOutcome, readOutcomes } from '../../shared/sections/outcomes/model.ts'
import { initLinks } from '../../shared/links.ts'
import { getBarriersMap } from '../../shared/schema.ts'
import { createSectionUndo } from '../../shared/sectionUndo.ts'
import { participantActor as pat, rulesRoom, settle, witnessActor as wes } from '../helpers/rulesRoom.ts'
import { type TestClient, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const ctx = useTestServer()
const { clients } = ctx

let marks = 0
const settled = (writer: TestClient, readers: TestClient[]) => settle(writer, readers, `undo-${++marks}`)

describe('undo of one’s own changes', () => {
  it('puts back Pat’s pot edit and removal, leaves Wes’s edit, and the server accepts each step', async () => {
    const room = await rulesRoom(ctx.server, clients)
    const { participant, witness, denied } = room
    const undo = createSectionUndo(participant.doc, 'pot')
    const id = addPotLine(witness.doc, { ...DEFAULT_LINE, partner: 'Wiltshire Police', amount: 100_00 }, wes, 1)
    await settled(witness, [participant])
    // Wes edited the amount last: Pat's undo restores his value, and Pat is its last writer (the
    // server would refuse Pat writing Wes's name).
    updatePotLine(witness.doc, id, { amount: 150_00 }, wes, 2)
    await settled(witness, [participant])
    updatePotLine(participant.doc, id, { amount: 200_00 }, pat, 3)
    await settled(participant, [witness])
    updatePotLine(witness.doc, id, { conditions: 'Subject to the PCC’s approval' }, wes, 4)
    await settled(witness, [participant])

    expect(undo.undo()).not.toBeNull()
    await settled(participant, [witness])
    expect(denied).toEqual([])
    const [line] = readPotLines(witness.doc)
    expect(line?.amount).toBe(150_00)
    expect(line?.lastEdits.amount?.userId).toBe(pat.userId)
    expect(line?.conditions).toBe('Subject to the PCC’s approval')
    expect(undo.redo()).not.toBeNull()
    await settled(participant, [witness])
    expect(readPotLines(witness.doc)[0]?.amount).toBe(200_00)

    deletePotLine(participant.doc, id, pat, 5)
    await settled(participant, [witness])
    expect(readPotLines(witness.doc)).toEqual([])
    undo.undo()
    await settled(participant, [witness])
    expect(readPotLines(witness.doc).map((l) => [l.amount, l.conditions])).toEqual([
      [200_00, 'Subject to the PCC’s approval'],
    ])
    // Nothing of it was refused, and the room as stored is what everyone sees.
    expect(denied).toEqual([])
    expect(readPotLines(await room.fresh()).map((l) => l.amount)).toEqual([200_00])
    undo.destroy()
  })

  it('does the same for barriers, actions and outcomes, each in its own history', async () => {
    const room = await rulesRoom(ctx.server, clients)
    const { participant, witness, denied } = room
    const barriers = createSectionUndo(participant.doc, 'barriers')
    const actions = createSectionUndo(participant.doc, 'actions')
    const outcomes = createSectionUndo(participant.doc, 'outcomes')

    const barrierId = addBarrier(
      witness.doc,
      { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled at source', raisedBy: 'Swindon Borough Council' },
      wes,
      1,
    )
    const actionId = addAction(
      witness.doc,
      { what: 'Map ESF provision', ownerOrganisation: 'DWP', ownerPerson: '', dueDate: '', status: 'open' },
      wes,
      1,
    )
    await settled(witness, [participant])
    setBarrierStatus(participant.doc, barrierId, 'with-department', pat, 2)
    updateAction(participant.doc, actionId, { status: 'in-progress' }, pat, 2)
    addOutcome(
      participant.doc,
      {
        outcome: 'Fewer families in crisis',
        measure: '',
        baseline: '',
        target: '',
        ownerOrganisation: '',
        status: 'proposed',
      },
      pat,
      2,
    )
    await settled(participant, [witness])

    // Undoing the actions leaves the barrier and the outcome as they are.
    actions.undo()
    await settled(participant, [witness])
    expect(readActionItems(witness.doc).map((a) => a.kind === 'action' && a.status)).toEqual(['open'])
    expect(readBarriers(witness.doc).map((b) => b.status)).toEqual(['with-department'])
    expect(readOutcomes(witness.doc)).toHaveLength(1)

    outcomes.undo()
    barriers.undo()
    await settled(participant, [witness])
    expect(readOutcomes(witness.doc)).toEqual([])
    expect(readBarriers(witness.doc).map((b) => b.status)).toEqual(['raised'])

    deleteBarrier(participant.doc, barrierId, pat, 3)
    await settled(participant, [witness])
    expect(readBarriers(witness.doc)).toEqual([])
    barriers.undo()
    await settled(participant, [witness])
    await waitFor(() => readBarriers(witness.doc).length === 1, 2000, 'the barrier back')
    expect(readBarriers(witness.doc)[0]?.title).toBe('ESF cannot be pooled at source')
    expect(denied).toEqual([])
    for (const m of [barriers, actions, outcomes]) m.destroy()
  })

  it('refuses, by hand-made updates, a barrier brought back under someone who did not create it', async () => {
    const room = await rulesRoom(ctx.server, clients)
    const { participant, witness, denied } = room
    const kim = { userId: 'kim', name: 'Kim Kent', organisation: 'Kent County Council' }
    // Each connection is bound to the person it first writes for.
    addBarrier(participant.doc, { ...DEFAULT_BARRIER, title: 'Pat’s own', raisedBy: 'DWP' }, pat, 1)
    const id = addBarrier(
      witness.doc,
      { ...DEFAULT_BARRIER, title: 'Real', raisedBy: 'Swindon Borough Council' },
      wes,
      2,
    )
    await settled(participant, [witness])
    await settled(witness, [participant])
    // A new barrier in Wes's name, written by Pat: nobody recorded Wes creating it.
    addBarrier(participant.doc, { ...DEFAULT_BARRIER, title: 'Forged', raisedBy: 'Swindon Borough Council' }, wes, 3)
    await settled(participant, [witness])
    expect(denied).toEqual(['You can only act in your own name.'])
    expect(
      readBarriers(witness.doc)
        .map((b) => b.title)
        .sort(),
    ).toEqual(['Pat’s own', 'Real'])

    // Wes's own barrier, deleted, then written back by Pat under the same id but naming Kim.
    deleteBarrier(witness.doc, id, wes, 3)
    await settled(witness, [participant])
    participant.doc.transact(() => {
      const map = new Y.Map<unknown>()
      for (const [key, value] of Object.entries({
        ...DEFAULT_BARRIER,
        title: 'Real',
        raisedBy: 'Swindon Borough Council',
      }))
        map.set(key, value)
      map.set('status', 'raised')
      map.set('createdBy', kim)
      map.set('createdAt', 2)
      getBarriersMap(participant.doc).set(id, map)
      initLinks(map, [])
    })
    await settled(participant, [witness])
    expect(denied).toEqual(['You can only act in your own name.', 'You can only act in your own name.'])
    expect(readBarriers(await room.fresh()).map((b) => b.title)).toEqual(['Pat’s own'])
  })
})
