/**
 * The outcomes section through the real server and real y-websocket clients: the server enforces
 * its rules (attribution, valid values, the facilitator's lock), records it in the ledger, and
 * exports it, from nothing but its registration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readLedger } from '../../shared/ledger.ts'
import {
  addOutcome,
  DEFAULT_OUTCOME,
  getOutcomesMap,
  readOutcomes,
  updateOutcome,
} from '../../shared/sections/outcomes/model.ts'
import { readLocks, setLock } from '../../shared/workshopSettings.ts'
import { facilitatorActor, participantActor, rulesRoom, settle, witnessActor } from '../helpers/rulesRoom.ts'
import { type ServerProcess, startServer } from '../helpers/serverProcess.ts'
import { type TestClient, waitFor } from '../helpers/syncClient.ts'

let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

const exclusions = {
  ...DEFAULT_OUTCOME,
  outcome: 'Fewer school exclusions',
  measure: 'Fixed-term exclusions per term',
  baseline: '14 per term',
  target: '5 per term by March 2014',
  ownerOrganisation: 'DfE',
}

describe('outcomes and success measures on the server', () => {
  it('takes a participant’s outcome in their own name, records it, and refuses one in someone else’s', async () => {
    const room = await rulesRoom(server, clients)
    const { participant, witness, denied } = room
    const id = addOutcome(participant.doc, exclusions, participantActor, 1)
    // Forged: the outcome claims the witness added it.
    const forged = addOutcome(participant.doc, { ...exclusions, outcome: 'Forged' }, witnessActor, 2)
    // Invalid: a status the section does not have, written as a peer could.
    participant.doc.transact(() => getOutcomesMap(participant.doc).get(id)!.set('status', 'abandoned'))
    await settle(participant, [witness], 'outcomes')

    for (const doc of [witness.doc, await room.fresh()]) {
      expect(readOutcomes(doc)).toEqual([
        expect.objectContaining({
          id,
          outcome: 'Fewer school exclusions',
          status: 'proposed',
          createdBy: participantActor,
        }),
      ])
      expect(getOutcomesMap(doc).has(forged)).toBe(false)
    }
    expect(denied).toHaveLength(2)
    expect(denied[0]).toMatch(/your own name|not yours|as yourself/i)
    expect(denied[1]).toMatch(/status/i)
    const entries = readLedger(witness.doc).filter((e) => e.area === 'outcomes')
    expect(entries).toEqual([
      expect.objectContaining({
        subject: id,
        label: 'Fewer school exclusions',
        action: 'created',
        field: 'status',
        to: 'proposed',
        // Who, as the server knows them: their user id, and the link it came through.
        by: expect.objectContaining({ userId: participantActor.userId }),
        link: expect.objectContaining({ role: 'participant' }),
      }),
    ])
  })

  it('makes locked outcomes read-only for a participant while the facilitator still edits them', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addOutcome(facilitator.doc, exclusions, facilitatorActor, 1)
    await waitFor(() => getOutcomesMap(participant.doc).has(id), 5000, 'outcome at the participant')
    setLock(facilitator.doc, 'outcomes', true, facilitatorActor, 2)
    await waitFor(() => readLocks(participant.doc).has('outcomes'), 5000, 'lock at the participant')

    updateOutcome(participant.doc, id, { target: '10 per term' })
    addOutcome(participant.doc, { ...exclusions, outcome: 'More adults in work' }, participantActor, 3)
    updateOutcome(facilitator.doc, id, { status: 'agreed' })
    await settle(participant, [witness], 'locked-outcomes')
    await waitFor(() => readOutcomes(witness.doc)[0]?.status === 'agreed', 5000, 'facilitator write')

    for (const doc of [witness.doc, await room.fresh()]) {
      expect(readOutcomes(doc).map((o) => [o.outcome, o.target, o.status])).toEqual([
        ['Fewer school exclusions', '5 per term by March 2014', 'agreed'],
      ])
    }
    expect(denied).toEqual(Array(2).fill('The outcomes framework is locked by the facilitator.'))
    expect(participant.provider.wsconnected).toBe(true)
    expect(readLedger(witness.doc).filter((e) => e.area === 'workshop' && e.subject === 'outcomes')).toEqual([
      expect.objectContaining({ label: 'Outcomes', field: 'lock', from: false, to: true }),
    ])
  })

  it('exports the outcomes as CSV and in the Markdown minutes', async () => {
    const room = await rulesRoom(server, clients)
    addOutcome(room.participant.doc, { ...exclusions, target: '=HYPERLINK("x")' }, participantActor, 1)
    await waitFor(() => readOutcomes(room.witness.doc).length === 1, 5000, 'outcome at the witness')
    const get = async (query: string) =>
      (await fetch(`${server.origin}/api/rooms/${room.roomId}/export?${query}&token=${room.tokens.observer}`)).text()
    const [header, row] = (await get('format=csv&part=outcomes')).trim().split('\r\n')
    expect(header).toBe('Outcome,Measure,Baseline,Target,Owner,Status,Added by,Added by (organisation),Added')
    // Text a partner typed never runs as a formula.
    expect(row).toMatch(
      /^Fewer school exclusions,Fixed-term exclusions per term,14 per term,"'=HYPERLINK\(""x""\)",DfE,Proposed,Pat Participant,DWP,/,
    )
    const markdown = await get('format=md')
    expect(markdown).toContain('## Outcomes and success measures')
    expect(markdown).toContain(
      '| Fewer school exclusions | Fixed-term exclusions per term | 14 per term | =HYPERLINK("x") | DfE | Proposed |',
    )
    expect(Y.encodeStateVector(await room.fresh()).length).toBeGreaterThan(0)
  })
})
