/**
 * The server's rules, one test per rule, through the real server and real y-websocket clients
 * (issue #16). Each refused write is answered with its reason, the sender stays connected and its
 * later writes still apply, nothing of it reaches another client or the store, and it is counted.
 * The named regression: an item reusing another client's id with an overlapping clock, whose parent
 * info names the ledger, which the old struct-reading policy let through into a locked pot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addDecision, readActionItems } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, readBarriers, setBarrierStatus } from '../../shared/barriers.ts'
import { lowerHand, raiseHand, readHands } from '../../shared/hands.ts'
import { readLedger } from '../../shared/ledger.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, readPotLines, setTargetPot, updatePotLine } from '../../shared/pot.ts'
import {
  addClause,
  clauseBody,
  proposeClause,
  readClauses,
  reopenClause,
  statePosition,
} from '../../shared/protocol.ts'
import {
  getLedgerArray,
  getMembersMap,
  getMetaMap,
  getPotMap,
  getProtocolMap,
  getSettingsMap,
  readMeta,
  recordMember,
} from '../../shared/schema.ts'
import { placeDot, startVote } from '../../shared/votes.ts'
import { readLocks, readTakingPart, setLock, setTakingPart, setWorkshopTitle } from '../../shared/workshopSettings.ts'
import { craftUpdate } from '../helpers/craftUpdate.ts'
import { workshopJson } from '../helpers/workshopJson.ts'
import {
  deniedMetric,
  facilitatorActor,
  participantActor,
  rulesRoom,
  sendRaw,
  settle,
  witnessActor,
} from '../helpers/rulesRoom.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { createRoom, connect, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { clauseText, hasRecord, putRecord } from '../helpers/records.ts'

let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

const line = {
  ...DEFAULT_LINE,
  partner: 'Jobcentre Plus',
  stream: 'Work Programme',
  amount: 5_000_000,
  status: 'offered',
  years: '2012-13',
} as const

/** The live document and the store agree: what a fresh load serves equals what the clients hold. */
async function expectStoreEqualsLive(room: Awaited<ReturnType<typeof rulesRoom>>): Promise<void> {
  const fresh = await room.fresh()
  expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(room.witness.doc))
  expect(workshopJson(fresh)).toEqual(workshopJson(room.witness.doc))
}

describe('facilitator-only parts', () => {
  it('refuses settings, the title, the timer, and another member’s record from a participant, and tells them why', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    recordMember(
      facilitator.doc,
      facilitatorActor.userId,
      { name: facilitatorActor.name, organisation: facilitatorActor.organisation, role: 'facilitator' },
      1,
    )
    await waitFor(() => getMembersMap(participant.doc).has(facilitatorActor.userId), 5000, 'facilitator member')
    const before = await deniedMetric(server, 'facilitator_only')

    getSettingsMap(participant.doc).set('timer', { state: 'running', durationMs: 1, endsAt: 2 })
    getMetaMap(participant.doc).set('title', 'Hijacked')
    getMembersMap(participant.doc).set(facilitatorActor.userId, {
      name: 'Not Fiona',
      organisation: 'Nobody',
      role: 'participant',
      firstSeen: 1,
      lastSeen: 2,
    })
    await settle(participant, [witness], 'facilitator-only')

    const fresh = await room.fresh()
    for (const doc of [witness.doc, fresh]) {
      expect(getSettingsMap(doc).has('timer')).toBe(false)
      expect(readMeta(doc).title).not.toBe('Hijacked')
      expect(getMembersMap(doc).get(facilitatorActor.userId)?.name).toBe('Fiona Facilitator')
    }
    expect(denied).toEqual([
      'Only the facilitator can change the workshop settings.',
      'Only the facilitator can change the workshop settings.',
      'You can only change your own details.',
    ])
    expect(participant.provider.wsconnected).toBe(true)
    expect(await deniedMetric(server, 'facilitator_only')).toBe(before + 2)
    await expectStoreEqualsLive(room)
  })
})

describe('locks', () => {
  it('makes a locked pot read-only for participants, then writable again once unlocked', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    await waitFor(() => getPotMap(participant.doc).has(id), 5000, 'line at the participant')
    setLock(facilitator.doc, 'pot', true, facilitatorActor, 2)
    await waitFor(() => readLocks(participant.doc).has('pot'), 5000, 'lock at the participant')

    updatePotLine(participant.doc, id, { amount: 1 }, participantActor, 3)
    getPotMap(participant.doc).delete(id)
    await settle(participant, [witness], 'locked')
    expect(readPotLines(await room.fresh())[0]?.amount).toBe(5_000_000)
    expect(denied).toEqual(['The pot is locked by the facilitator.', 'The pot is locked by the facilitator.'])

    setLock(facilitator.doc, 'pot', false, facilitatorActor, 4)
    await waitFor(() => !readLocks(witness.doc).has('pot'), 5000, 'unlock at the witness')
    updatePotLine(witness.doc, id, { amount: 7 }, witnessActor, 5)
    await waitFor(() => readPotLines(facilitator.doc).some((l) => l.amount === 7), 5000, 'pot write after unlock')
  })

  it('refuses the overlapping-clock item that once changed a locked pot through a ledger parent (regression)', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness } = room
    const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    updatePotLine(facilitator.doc, id, { amount: 5_000_000 + 1 }, facilitatorActor, 2)
    setLock(facilitator.doc, 'pot', true, facilitatorActor, 3)
    await waitFor(() => readLocks(participant.doc).has('pot'), 5000, 'lock at the participant')
    const victim = facilitator.doc.clientID
    const clock = Y.getState(facilitator.doc.store, victim)

    // While the facilitator is connected: their client id is theirs alone.
    sendRaw(
      participant,
      craftUpdate([{ client: victim, clock: clock - 1, parent: 'ledger', content: { any: ['x', 1] } }]),
    )
    await settle(participant, [witness], 'overlap-connected')
    expect(room.denied.at(-1)).toMatch(/another person’s editing session/)

    // Once they have left, the item is judged by where Yjs puts it: linked after the facilitator's
    // last item (the amount) while naming the ledger, or the canvas with a valid board record, as
    // its parent. Yjs would merge it into the amount; it is refused whatever its content.
    const facilitatorState = Y.encodeStateAsUpdate(facilitator.doc)
    facilitator.provider.disconnect()
    await new Promise((r) => setTimeout(r, 300))
    const record = { key: 'shape:x', val: { id: 'shape:x', typeName: 'shape' } }
    for (const [parent, value] of [
      ['ledger', 1],
      ['canvas', record],
      ['pot', 1],
    ] as const) {
      sendRaw(participant, craftUpdate([{ client: victim, clock: clock - 1, parent, content: { any: ['x', value] } }]))
      await settle(participant, [witness], `overlap-left-${parent}`)
      expect(room.denied.at(-1)).toBe(
        'This change could not be matched to a part of the workshop, so it was not saved. Reload the page.',
      )
    }
    const fresh = await room.fresh()
    expect(readPotLines(fresh)[0]?.amount).toBe(5_000_001)
    // The facilitator, back, still writes under their clocks: nothing was taken from them.
    facilitator.provider.connect()
    await waitFor(() => facilitator.provider.synced, 5000, 'facilitator back')
    setTargetPot(facilitator.doc, 12_345, facilitatorActor, 4)
    await waitFor(() => getMetaMap(witness.doc).get('targetPot') === 12_345, 5000, 'facilitator write after the attack')
    expect(Y.encodeStateAsUpdate(facilitator.doc).length).toBeGreaterThanOrEqual(facilitatorState.length)
    await expectStoreEqualsLive(room)
  })
})

describe('the server’s own client id', () => {
  /** The client id of the ledger's last item: the server writes every entry under its own. */
  const lastLedgerClient = (doc: Y.Doc): number => {
    let item = getLedgerArray(doc)._start
    while (item?.right) item = item.right
    if (!item) throw new Error('no ledger')
    return item.id.client
  }

  it('refuses a board record written under the server’s id, and the server goes on writing under it', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness } = room
    const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    await waitFor(() => readLedger(witness.doc).length > 0, 5000, 'first ledger entry')
    const serverClient = lastLedgerClient(witness.doc)
    const clock = Y.getState(witness.doc.store, serverClient)
    // Yjs gives a document that receives structs under its own id a new id: the server must still
    // know which id is its own, or this would pass as a fresh client's.
    const record = { key: 'shape:server', val: { id: 'shape:server', typeName: 'shape' } }
    sendRaw(participant, craftUpdate([{ client: serverClient, clock, parent: 'canvas', content: { any: [record] } }]))
    await settle(participant, [witness], 'server-id')
    expect(room.denied.at(-1)).toMatch(/another person’s editing session/)
    expect(hasRecord(witness.doc, 'shape:server')).toBe(false)
    const entries = readLedger(witness.doc).length
    updatePotLine(facilitator.doc, id, { amount: 6_000_000 }, facilitatorActor, 2)
    await waitFor(() => readLedger(witness.doc).length > entries, 5000, 'next ledger entry')
    expect(lastLedgerClient(witness.doc)).toBe(serverClient)
    await expectStoreEqualsLive(room)
  })
})

describe('the protocol', () => {
  it('agrees a clause only when every organisation taking part has agreed through its own link or on its behalf', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    setTakingPart(facilitator.doc, 'DWP', 'department', facilitatorActor, 1)
    const id = addClause(facilitator.doc, 'Pooling', ['Partners pool funding.'], facilitatorActor, 2)
    proposeClause(facilitator.doc, id, facilitatorActor, 3)
    await waitFor(() => readClauses(participant.doc)[0]?.status === 'proposed', 5000, 'proposed at the participant')

    // A self-declared "agree" is recorded but does not count; setting the clause agreed is refused.
    statePosition(participant.doc, id, 'DWP', 'agree', '', participantActor, 4, 'self-declared')
    await waitFor(() => readClauses(witness.doc)[0]?.positions.has('DWP') === true, 5000, 'self-declared position')
    expect(readClauses(witness.doc)[0]?.status).toBe('proposed')
    // Claiming the link basis without a link bound to DWP is refused.
    statePosition(participant.doc, id, 'DWP', 'block', 'No', participantActor, 5, 'link')
    getProtocolMap(participant.doc).get(id)!.set('status', 'agreed')
    await settle(participant, [witness], 'agreed-empty')
    expect(denied[0]).toBe('Only DWP can state DWP’s position.')
    expect(denied[1]).toMatch(/A clause is agreed only when every organisation taking part has agreed/)

    // Text written where DWP's position is, placed right after it so that it wins the merge, under
    // a fresh client id (found by the adversarial suite: counted as writing nothing, it replaced
    // the facilitator's on-behalf position).
    const positions = getProtocolMap(facilitator.doc).get(id)!.get('positions') as Y.Map<unknown>
    const current = (positions as unknown as { _map: Map<string, Y.Item> })._map.get('DWP')!.id
    const stated = readClauses(witness.doc)[0]!.positions.get('DWP')
    sendRaw(
      participant,
      craftUpdate([{ client: 424242, clock: 0, origin: [current.client, current.clock], content: { string: 'E' } }]),
    )
    await settle(participant, [witness], 'text-as-position')
    expect(denied.at(-1)).toBe('DWP’s position is not valid.')
    expect(readClauses(await room.fresh())[0]?.positions.get('DWP')).toEqual(stated)

    // The facilitator records DWP's agreement on its behalf: the clause is agreed.
    statePosition(facilitator.doc, id, 'DWP', 'agree', '', facilitatorActor, 6, 'on-behalf')
    await waitFor(() => readClauses(witness.doc)[0]?.status === 'agreed', 5000, 'agreed')

    // Its text is now immutable for everyone until the facilitator reopens it.
    const text = (doc: Y.Doc) => (clauseBody(doc, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    await waitFor(() => readClauses(participant.doc)[0]?.status === 'agreed', 5000, 'agreed at the participant')
    text(participant.doc).insert(0, 'All ')
    text(facilitator.doc).insert(0, 'Some ')
    await settle(participant, [witness], 'agreed-text')
    expect(denied.at(-1)).toBe('This clause is agreed: its text cannot change until the facilitator reopens it.')
    expect(text(await room.fresh()).toString()).toBe('Partners pool funding.')

    // Reopened, it can be edited again (by someone whose copy holds no refused change).
    reopenClause(facilitator.doc, id, facilitatorActor, 7)
    await waitFor(() => readClauses(witness.doc)[0]?.status === 'reopened', 5000, 'reopened')
    text(witness.doc).insert(0, 'All ')
    await settle(witness, [participant], 'after-reopen')
    expect(text(await room.fresh()).toString()).toBe('All Partners pool funding.')
    const ledger = readLedger(witness.doc)
    expect(ledger.map((e) => `${e.field}:${e.to}`)).toEqual(
      expect.arrayContaining(['status:agreed', 'status:reopened', 'position:DWP:agree']),
    )
    await expectStoreEqualsLive(room)
  })

  it('keeps a clause body to the editor’s schema: no unknown elements, no handler attributes', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addClause(facilitator.doc, 'Data sharing', ['Partners share data lawfully.'], facilitatorActor, 1)
    await waitFor(() => clauseBody(participant.doc, id)?.length === 1, 5000, 'clause at the participant')
    const image = new Y.XmlElement('image')
    image.setAttribute('src', 'x')
    clauseBody(participant.doc, id)!.insert(1, [image])
    ;(clauseBody(participant.doc, id)!.get(0) as Y.XmlElement).setAttribute('onclick', 'window.__xss=1')
    const heading = new Y.XmlElement('heading')
    heading.setAttribute('level', 2 as unknown as string)
    heading.insert(0, [new Y.XmlText('Lawful basis')])
    clauseBody(witness.doc, id)!.insert(0, [heading])
    await settle(participant, [witness], 'schema')
    expect(denied).toEqual([
      'A clause’s text holds something the editor cannot show.',
      'A clause’s text holds something the editor cannot show.',
    ])
    const body = clauseBody(await room.fresh(), id)!
    expect(body.toArray().map((node) => (node as Y.XmlElement).nodeName)).toEqual(['heading', 'paragraph'])
    expect((body.get(1) as Y.XmlElement).getAttribute('onclick')).toBeUndefined()
  })

  it('caps a clause body in bytes on the server', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addClause(facilitator.doc, 'Long', ['Start.'], facilitatorActor, 1)
    await waitFor(() => clauseBody(participant.doc, id)?.length === 1, 5000, 'clause at the participant')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('x'.repeat(6 * 1024 * 1024))])
    clauseBody(participant.doc, id)!.insert(1, [paragraph])
    await settle(participant, [witness], 'big-clause')
    expect(denied).toEqual([expect.stringMatching(/A clause’s text can be at most/)])
    expect(clauseBody(await room.fresh(), id)!.length).toBe(1)
  })
})

describe('values and attribution', () => {
  it('refuses bad values, new top-level types and rewritten attribution', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    await waitFor(() => getPotMap(participant.doc).has(id), 5000, 'line at the participant')

    getPotMap(participant.doc).get(id)!.set('amount', -5)
    getPotMap(participant.doc).get(id)!.set('partner', 'x'.repeat(100_000))
    getPotMap(participant.doc).get(id)!.set('proposedBy', participantActor)
    participant.doc.getMap('evil').set('x', 1)
    await settle(participant, [witness], 'values')
    expect(denied).toEqual([
      'A pot line’s amount: The amount cannot be negative.',
      'A pot line’s partner: must be at most 120 characters.',
      'Who proposed a pot line, and when, cannot be changed.',
      'This change writes a part the workshop does not have.',
    ])
    const [stored] = readPotLines(await room.fresh())
    expect(stored).toMatchObject({ amount: 5_000_000, partner: 'Jobcentre Plus', proposedBy: facilitatorActor })
  })

  it('keeps a line’s financial years in the standard form, for a changed line and a new one', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    await waitFor(() => getPotMap(participant.doc).has(id), 5000, 'line at the participant')

    getPotMap(participant.doc).get(id)!.set('years', 'next year')
    addPotLine(participant.doc, { ...line, partner: 'Police', years: 'Apr 2027' }, participantActor, 2)
    // A real year, but not as the grid and the exports write it.
    addPotLine(participant.doc, { ...line, partner: 'Probation', years: '2026/27' }, participantActor, 3)
    await settle(participant, [witness], 'years-refused')
    // (The participant's copy now holds the refused writes, which the next ones would build on.)
    updatePotLine(facilitator.doc, id, { years: '2027-28 to 2028-29' }, facilitatorActor, 3)
    await waitFor(() => readPotLines(witness.doc)[0]?.years === '2027-28 to 2028-29', 5000, 'a span of years')
    expect(denied).toEqual(
      Array(3).fill(
        'A pot line’s years: Financial years are written as 2026-27, or as a span such as 2026-27 to 2028-29.',
      ),
    )
    const stored = readPotLines(await room.fresh())
    expect(stored.map((l) => [l.partner, l.years])).toEqual([['Jobcentre Plus', '2027-28 to 2028-29']])
  })

  it('lets a member write only their own hand and dots, never lower another’s hand', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    raiseHand(witness.doc, witnessActor, 1)
    const barrier = addBarrier(
      facilitator.doc,
      {
        title: 'ESF match funding',
        description: '',
        rule: '',
        department: 'DWP',
        raisedBy: 'Swindon',
        champion: '',
        flexibility: '',
        impactPence: null,
        familiesAffected: null,
        dueDate: '',
      },
      facilitatorActor,
      1,
    )
    const vote = startVote(
      facilitator.doc,
      { title: 'Which first?', dotsPerPerson: 2, durationMinutes: null, visibility: 'live' },
      facilitatorActor,
      2,
    )
    await waitFor(
      () => readHands(participant.doc).length === 1 && participant.doc.getMap('votes').has(vote),
      5000,
      'hand and vote at the participant',
    )

    lowerHand(participant.doc, witnessActor.userId)
    raiseHand(participant.doc, participantActor, 3)
    placeDot(participant.doc, vote, barrier, participantActor, 4)
    // Another person's dot, even in a free slot, is not theirs to place; nor is ending the vote.
    placeDot(participant.doc, vote, barrier, witnessActor, 5)
    ;(participant.doc.getMap('votes').get(vote) as Y.Map<unknown>).set('status', 'ended')
    await settle(participant, [witness], 'hands')
    expect(denied).toEqual([
      'Only the facilitator can lower someone else’s hand.',
      'You can only place or move your own dots.',
      'Only the facilitator can start or end a vote.',
    ])
    const fresh = await room.fresh()
    expect(
      readHands(fresh)
        .map((h) => h.userId)
        .sort(),
    ).toEqual(['pat', 'wes'])
    expect([
      ...((fresh.getMap('votes').get(vote) as Y.Map<Y.Map<unknown>>).get('dots') as Y.Map<unknown>).keys(),
    ]).toEqual(['pat#0'])
  })

  it('moves barriers only along the allowed steps', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addBarrier(
      participant.doc,
      {
        title: 'Data sharing',
        description: '',
        rule: '',
        department: 'MoJ',
        raisedBy: 'Swindon',
        champion: '',
        flexibility: '',
        impactPence: null,
        familiesAffected: null,
        dueDate: '',
      },
      participantActor,
      1,
    )
    await waitFor(() => readBarriers(witness.doc).length === 1, 5000, 'barrier')
    participant.doc.getMap<Y.Map<unknown>>('barriers').get(id)!.set('status', 'flexibility-agreed')
    await settle(participant, [witness], 'barrier-jump')
    expect(denied).toEqual(['A barrier cannot move from Raised to Flexibility agreed.'])
    setBarrierStatus(witness.doc, id, 'with-department', witnessActor, 2)
    await waitFor(() => readBarriers(facilitator.doc)[0]?.status === 'with-department', 5000, 'allowed move')
  })
})

describe('the ledger', () => {
  it('is written by the server alone, from what changed, stamped with the link and the server’s clock', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    recordMember(
      participant.doc,
      participantActor.userId,
      { name: participantActor.name, organisation: participantActor.organisation, role: 'participant' },
      1,
    )
    const id = addPotLine(participant.doc, line, participantActor, 1)
    await waitFor(() => readLedger(witness.doc).length === 1, 5000, 'the server’s entry')
    const started = Date.now()
    updatePotLine(participant.doc, id, { amount: 6_000_000, conditions: 'Not a ledger field' }, participantActor, 1)
    addDecision(facilitator.doc, { what: 'Pool the ESF money' }, ['DWP'], facilitatorActor, 2)
    await waitFor(() => readLedger(witness.doc).length === 3, 5000, 'three entries')
    const [created, changed, decision] = readLedger(witness.doc)
    expect(created).toMatchObject({
      area: 'pot',
      subject: id,
      action: 'created',
      field: 'amount',
      to: 5_000_000,
      by: { userId: 'pat', name: 'Pat Participant' },
      link: { role: 'participant', organisation: null },
    })
    expect(changed).toMatchObject({ action: 'changed', field: 'amount', from: 5_000_000, to: 6_000_000 })
    expect(changed!.at).toBeGreaterThanOrEqual(started - 1000)
    expect(decision).toMatchObject({
      area: 'actions',
      action: 'created',
      field: 'agreedBy',
      to: 'DWP',
      link: { role: 'facilitator' },
    })
    expect(readActionItems(witness.doc)).toHaveLength(1)

    // No client may append, change or delete entries, the facilitator included.
    getLedgerArray(participant.doc).push([
      { ...created!, id: 'forged', by: { userId: 'x', name: 'DWP Director', organisation: 'DWP' }, at: 0 },
    ])
    getLedgerArray(participant.doc).delete(0, 2)
    getLedgerArray(facilitator.doc).delete(0, 1)
    await settle(participant, [witness], 'ledger')
    await settle(facilitator, [witness], 'ledger-f')
    expect(denied.slice(-2)).toEqual([
      'The record of changes is written by the server alone.',
      'The record of changes is written by the server alone.',
    ])
    expect(readLedger(await room.fresh())).toHaveLength(3)
  })
})

// Ported from test/integration/writePolicy.test.ts (the policy before the section rules): what a
// participant may still do beside what is refused, locks on every kind of write (deletions and
// typing placed by origin included), and observers.
describe('what stays allowed beside what is refused', () => {
  it('lets a participant write the canvas schema, the board and a pot line, and the facilitator the title and settings, while refusing the participant’s settings and title', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const before = await deniedMetric(server, 'facilitator_only')

    getSettingsMap(participant.doc).set('timer', { state: 'running', durationMs: 1, endsAt: 2 })
    getMetaMap(participant.doc).set('title', 'Hijacked by a participant')
    getMetaMap(participant.doc).set('canvasSchema', { schemaVersion: 2 })
    const id = addPotLine(participant.doc, line, participantActor, 1)
    putRecord(participant.doc, 'sticky', { text: 'ESF match funding' })
    setWorkshopTitle(facilitator.doc, 'Renamed by the facilitator', facilitatorActor, 2)
    setTakingPart(facilitator.doc, 'DWP', 'department', facilitatorActor, 3)

    await waitFor(
      () =>
        getMetaMap(witness.doc).get('canvasSchema') !== undefined &&
        getPotMap(witness.doc).has(id) &&
        hasRecord(witness.doc, 'sticky'),
      5000,
      'allowed writes at the witness',
    )
    await waitFor(
      () => readMeta(witness.doc).title === 'Renamed by the facilitator' && readTakingPart(witness.doc).length === 1,
      5000,
      'facilitator writes at the witness',
    )
    await settle(participant, [witness, facilitator], 'allowed')
    for (const doc of [witness.doc, facilitator.doc, await room.fresh()]) {
      expect(getSettingsMap(doc).has('timer')).toBe(false)
      expect(readTakingPart(doc)).toEqual([{ organisation: 'DWP', group: 'department' }])
      expect(readMeta(doc).title).toBe('Renamed by the facilitator')
      expect(getMetaMap(doc).get('canvasSchema')).toEqual({ schemaVersion: 2 })
      expect(readPotLines(doc)).toEqual([
        expect.objectContaining({ id, amount: 5_000_000, proposedBy: participantActor }),
      ])
      expect(hasRecord(doc, 'sticky')).toBe(true)
    }
    // Told, twice, still connected, counted.
    expect(denied).toEqual([
      'Only the facilitator can change the workshop settings.',
      'Only the facilitator can change the workshop settings.',
    ])
    expect(participant.provider.wsconnected).toBe(true)
    expect(await deniedMetric(server, 'facilitator_only')).toBe(before + 2)
    await expectStoreEqualsLive(room)
  })

  it('makes a locked pot read-only for a participant, new lines and deletions included, while their other writes and the facilitator’s pot writes go on', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const first = addPotLine(facilitator.doc, line, facilitatorActor, 1)
    const second = addPotLine(facilitator.doc, { ...line, partner: 'Wiltshire Police', amount: 2 }, facilitatorActor, 1)
    await waitFor(() => getPotMap(participant.doc).has(second), 5000, 'lines at the participant')
    setLock(facilitator.doc, 'pot', true, facilitatorActor, 2)
    await waitFor(() => readLocks(participant.doc).has('pot'), 5000, 'lock at the participant')
    const before = await deniedMetric(server, 'locked')

    updatePotLine(participant.doc, first, { amount: 999 }, participantActor, 3) // inside an existing line
    const refusedLine = addPotLine(participant.doc, { ...line, partner: 'DWP' }, participantActor, 3) // a new line
    deletePotLine(participant.doc, second, participantActor, 3) // a deletion only: no structs at all
    const barrier = addBarrier(
      participant.doc,
      { ...DEFAULT_BARRIER, title: 'ESF match funding', raisedBy: 'Swindon' },
      participantActor,
      3,
    ) // elsewhere: allowed
    updatePotLine(facilitator.doc, first, { conditions: 'The facilitator may' }, facilitatorActor, 4) // the facilitator may

    await waitFor(() => readBarriers(witness.doc).some((b) => b.id === barrier), 5000, 'barrier at the witness')
    await waitFor(
      () => readPotLines(witness.doc).some((l) => l.conditions === 'The facilitator may'),
      5000,
      'facilitator write',
    )
    await settle(participant, [witness], 'pot-locked')
    for (const doc of [witness.doc, facilitator.doc, await room.fresh()]) {
      expect(readPotLines(doc).map((l) => [l.id, l.amount])).toEqual(
        [
          [first, 5_000_000],
          [second, 2],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      )
      expect(getPotMap(doc).has(refusedLine)).toBe(false)
      expect(readBarriers(doc).map((b) => b.id)).toEqual([barrier])
    }
    expect(denied).toEqual(Array(3).fill('The pot is locked by the facilitator.'))
    expect(await deniedMetric(server, 'locked')).toBe(before + 3)

    // Unlocked again, the same participant's pot writes go through.
    setLock(facilitator.doc, 'pot', false, facilitatorActor, 5)
    await waitFor(() => !readLocks(participant.doc).has('pot'), 5000, 'unlock at the participant')
    const third = addPotLine(
      participant.doc,
      { ...line, partner: 'Kent County Council', amount: 3 },
      participantActor,
      6,
    )
    await waitFor(
      () => readPotLines(witness.doc).some((l) => l.id === third && l.amount === 3),
      5000,
      'pot write after unlock',
    )
    expect(participant.provider.wsconnected).toBe(true)
    await expectStoreEqualsLive(room)
  })

  it('lets a participant type into a clause while the protocol is open, not once it is locked, while the facilitator still edits it', async () => {
    const room = await rulesRoom(server, clients)
    const { facilitator, participant, witness, denied } = room
    const id = addClause(facilitator.doc, 'Decision making', ['Decisions by consensus.'], facilitatorActor, 1)
    await waitFor(() => clauseBody(participant.doc, id)?.length === 1, 5000, 'clause at the participant')

    // Items placed by origin inside the nested fragment: no parent in the update itself.
    const sent: Uint8Array[] = []
    participant.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== participant.provider && sent.push(u))
    clauseText(participant.doc, id).insert(9, ' reached quickly')
    expect((Y.decodeUpdate(sent[0]!).structs[0] as Y.Item).parent).toBeNull()
    await waitFor(
      () => clauseText(witness.doc, id).toString() === 'Decisions reached quickly by consensus.',
      5000,
      'typing at the witness',
    )

    setLock(facilitator.doc, 'protocol', true, facilitatorActor, 2)
    await waitFor(() => readLocks(participant.doc).has('protocol'), 5000, 'lock at the participant')
    clauseText(participant.doc, id).insert(0, 'All ')
    clauseText(participant.doc, id).delete(14, 8) // deleting text the server holds
    clauseBody(participant.doc, id)!.insert(1, [new Y.XmlElement('paragraph')])
    await settle(participant, [witness], 'protocol-locked')
    for (const doc of [witness.doc, facilitator.doc, await room.fresh()]) {
      expect(clauseText(doc, id).toString()).toBe('Decisions reached quickly by consensus.')
      expect(clauseBody(doc, id)!.length).toBe(1)
    }
    expect(denied).toEqual(Array(3).fill('The protocol is locked by the facilitator.'))

    // The facilitator still edits the locked clause.
    clauseText(facilitator.doc, id).insert(0, 'Agreed: ')
    await waitFor(
      () => clauseText(witness.doc, id).toString() === 'Agreed: Decisions reached quickly by consensus.',
      5000,
      'facilitator typing',
    )
    await expectStoreEqualsLive(room)
  })

  it('refuses every write of an observer, and counts it', async () => {
    const room = await createRoom(server)
    const observer = connect(server, room.roomId, room.tokens.observer)
    const witness = connect(server, room.roomId, room.tokens.participant)
    clients.push(observer, witness)
    await Promise.all([observer.firstSync, witness.firstSync])
    const before = await deniedMetric(server, 'observer')
    putRecord(observer.doc, 'sneaky', { text: 'an observer’s note' })
    addBarrier(
      observer.doc,
      { ...DEFAULT_BARRIER, title: 'Not mine to raise', raisedBy: 'Audit Commission' },
      participantActor,
      1,
    )
    await sleep(300)
    expect(hasRecord(witness.doc, 'sneaky')).toBe(false)
    expect(readBarriers(witness.doc)).toEqual([])
    expect(await deniedMetric(server, 'observer')).toBe(before + 2)
  })
})

describe('the cost of refusals', () => {
  it('closes a connection that keeps sending refused changes, and only that one', async () => {
    const strict = await startServer({ env: { RATE_REFUSAL_BURST: '3', RATE_REFUSALS_PER_SECOND: '1' } })
    try {
      const room = await rulesRoom(strict, clients)
      const { participant, witness } = room
      const ws = participant.provider.ws!
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
      )
      // Separate keys: a write placed against one's own refused write is garbage everywhere, not refused.
      for (let i = 0; i < 5; i++) getSettingsMap(participant.doc).set(`key${i}`, i)
      expect(await closed).toEqual({ code: 1013, reason: 'too many refused changes' })
      await settle(witness, [room.facilitator], 'witness-still-here')
      expect(witness.provider.wsconnected).toBe(true)
      const text = await (await fetch(`${strict.origin}/metrics`)).text()
      expect(text).toMatch(/^commonpot_limits_triggered_total\{limit="write_refusals"\} [1-9]/m)
    } finally {
      await strict.stop()
    }
  })
})
