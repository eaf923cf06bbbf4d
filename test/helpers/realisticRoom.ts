/**
 * A room with realistic content in every section, written through a real y-websocket client (as a
 * participant would), for browser tests and surveys that must see the views as people use them:
 * the example pot, the protocol template with positions, barriers, actions, a decision and outcomes.
 */
import { addAction, addDecision } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { addPotLine } from '../../shared/pot.ts'
import { examplePotLines } from '../../shared/potExample.ts'
import { addClause, proposeClause, statePosition } from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { addOutcome, readOutcomes } from '../../shared/sections/outcomes/model.ts'
import type { ServerProcess } from './serverProcess.ts'
import { connect, createRoom, type TestClient, testDevice, waitFor } from './syncClient.ts'

export interface RealisticRoom {
  roomId: string
  tokens: { facilitator: string; participant: string; observer: string }
  writer: TestClient
  /** Who the writer writes as (a facilitator, with a device key). */
  actor: { userId: string; name: string; organisation: string }
}

export async function realisticRoom(
  server: ServerProcess,
  title = 'Swindon: agreeing the virtual pot',
): Promise<RealisticRoom> {
  const room = await createRoom(server, title)
  // A browser's device key, as every tab sends: the server then records Kim as the writer.
  const device = testDevice('realistic-room-writer')
  const writer = connect(server, room.roomId, room.tokens.facilitator, { userSecret: device.secret })
  await writer.firstSync
  const kim = { userId: device.userId, name: 'Kim Kent', organisation: 'Swindon Borough Council' }
  const now = Date.now()
  const doc = writer.doc
  examplePotLines(new Date(now)).forEach((fields, i) => addPotLine(doc, fields, kim, now + i))
  const clauseIds = PROTOCOL_TEMPLATE.map((clause, i) => addClause(doc, clause.title, clause.paragraphs, kim, now + i))
  proposeClause(doc, clauseIds[0]!, kim, now)
  statePosition(doc, clauseIds[0]!, 'Swindon Borough Council', 'agree', '', kim, now, 'on-behalf')
  statePosition(
    doc,
    clauseIds[0]!,
    'Department for Work and Pensions (DWP)',
    'block',
    'ESF cannot be pooled at source',
    kim,
    now,
    'on-behalf',
  )
  const barrierId = addBarrier(
    doc,
    {
      ...DEFAULT_BARRIER,
      title: 'ESF cannot be pooled at source',
      raisedBy: 'Swindon Borough Council',
      department: 'DWP',
      champion: 'DWP Community Budgets lead',
      rule: 'ESF regulations require separate accounting',
    },
    kim,
    now,
  )
  addAction(
    doc,
    {
      what: 'Map ESF families provision',
      ownerOrganisation: 'Department for Work and Pensions (DWP)',
      ownerPerson: 'Dee Walker',
      dueDate: '2099-03-31',
      status: 'open',
    },
    kim,
    now,
    [{ kind: 'barrier', id: barrierId }],
  )
  addDecision(doc, { what: 'The Troubled Families money is pooled from April' }, ['Swindon Borough Council'], kim, now)
  addOutcome(
    doc,
    {
      outcome: 'Fewer families in crisis',
      measure: 'Families with 3+ problems',
      baseline: '620',
      target: '400',
      ownerOrganisation: 'Swindon Borough Council',
      status: 'on-track',
    },
    kim,
    now,
  )
  // Stored and relayed: another client has all of it.
  const witness = connect(server, room.roomId, room.tokens.observer)
  await witness.firstSync
  await waitFor(() => readOutcomes(witness.doc).length === 1, 5000, 'the seed relayed')
  witness.destroy()
  return { roomId: room.roomId, tokens: room.tokens, writer, actor: kim }
}
