/**
 * Property-based adversarial suite against the real server (issue #16): a participant holding only
 * a participant link sends hand-made, well-formed Yjs updates (test/helpers/adversarialUpdates.ts)
 * into a room that holds everything worth protecting: a locked pot (the facilitator's £50,000 line
 * among its lines), an agreed clause (positions recorded on behalf of every organisation taking
 * part), a proposed clause with counting positions, the server's ledger, members, another
 * participant's raised hand and comment, an open vote with dots, and the facilitator's settings
 * (organisations, timer, agenda, locks).
 *
 * The updates forge client ids (the facilitator's, the witness's, the server's, ids the room has
 * seen, fresh ones) at, below (overlapping) and above (leaving gaps) each client's state; name
 * every kind of parent (root names known and unknown, items holding types, items holding values,
 * ids the room does not have, origins and right origins anywhere); write existing and random map
 * keys; carry JSON (valid and not, forged ledger entries and positions, huge strings), nested
 * types, text, formats, embeds, binaries and subdocuments; and delete ranges over every client's
 * items, and beyond them. After each case:
 * 1. what is protected is unchanged in a fresh load (a new observer's first sync), and no top-level
 *    type outside the schema exists;
 * 2. the fresh load equals the witness's copy (what was relayed), the server is up and no honest
 *    connection was closed (the attacker neither: every update is well-formed);
 * 3. the facilitator still writes, and it reaches the witness.
 * At the end the server restarts and the room loads from the store to the same document.
 *
 * Seeds are not fixed: fast-check prints the seed and path of any failure (ADVERSARIAL_SEED
 * replays one, ADVERSARIAL_CASES runs more), and the failing case's structs are printed too.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBarrier } from '../../shared/barriers.ts'
import { raiseHand } from '../../shared/hands.ts'
import { ledgerEntrySchema } from '../../shared/ledger.ts'
import { addAgendaItem, setCurrentAgendaItem } from '../../shared/agenda.ts'
import { addPotLine, DEFAULT_LINE, setTargetPot, updatePotLine } from '../../shared/pot.ts'
import { addComment } from '../../shared/protocolComments.ts'
import { addClause, proposeClause, readClauses, statePosition } from '../../shared/protocol.ts'
import {
  DOC_KEYS,
  getBarriersMap,
  getHandsMap,
  getLedgerArray,
  getMembersMap,
  getMetaMap,
  getPotMap,
  getProtocolMap,
  getSettingsMap,
  getVotesMap,
  recordMember,
} from '../../shared/schema.ts'
import { setTimerDuration, startTimer } from '../../shared/timer.ts'
import { placeDot, startVote } from '../../shared/votes.ts'
import { setLock, setTakingPart } from '../../shared/workshopSettings.ts'
import { craftUpdate } from '../helpers/craftUpdate.ts'
import {
  describeCrafted,
  inventory,
  materialise,
  updateArb,
  type Crafted,
  type RoomIds,
  type UpdateChoice,
} from '../helpers/adversarialUpdates.ts'
import { deniedReasons, facilitatorActor, sendRaw, settle, witnessActor } from '../helpers/rulesRoom.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { workshopJson } from '../helpers/workshopJson.ts'

/** Generated cases per property (each 1–4 updates); ADVERSARIAL_CASES runs more. */
const CASES = Number(process.env.ADVERSARIAL_CASES ?? 60)
const AWAY_CASES = Number(process.env.ADVERSARIAL_AWAY_CASES ?? Math.ceil(CASES / 3))
/** A ceiling for one property, far above what the default number of cases takes (about 0.15 s each). */
const propertyTimeout = (cases: number) => Math.max(60_000, cases * 1500)
const runParameters = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  // No fixed seed: every run explores further. fast-check reports the seed of a failure.
  ...(process.env.ADVERSARIAL_SEED ? { seed: Number(process.env.ADVERSARIAL_SEED) } : {}),
  endOnFailure: true,
})

const dataDir = tempDir()
// Compaction merges stored rows, adversarial ones included: let it run during the suite.
const env = { COMPACT_ROWS: '40' }
let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer({ dataDir, env })
})
afterAll(async () => {
  for (const client of clients.splice(0)) destroy(client)
  await server?.stop()
})

function destroy(client: TestClient): void {
  try {
    client.destroy()
  } catch {
    // y-websocket cannot remove the presence of a document whose client id Yjs changed (which it
    // does when someone else wrote under it while its owner was away).
  }
}

/** Disconnects a client on purpose (y-websocket's disconnect throws once Yjs has changed the document's client id). */
function goOffline(client: TestClient): void {
  try {
    client.provider.disconnect()
  } catch {
    client.provider.shouldConnect = false
    client.provider.ws?.close()
  }
}

const COUNTING = ['DWP', 'Wiltshire Police'] as const
const TAKING_PART = [
  ['DWP', 'department'],
  ['Swindon Borough Council', 'area'],
  ['Wiltshire Police', 'partner'],
] as const
const line = {
  ...DEFAULT_LINE,
  partner: 'Jobcentre Plus',
  stream: 'Work Programme',
  amount: 5_000_000,
  status: 'offered',
  years: '2012-13',
} as const

interface Workshop {
  roomId: string
  tokens: { facilitator: string; participant: string; observer: string }
  facilitator: TestClient
  witness: TestClient
  /** A participant that only ever writes settle markers (when the attacker's own cannot). */
  courier: TestClient
  ids: RoomIds
  open(token: string): TestClient
  /** Closes of honest connections other than the facilitator's own disconnects. */
  closes: string[]
  target: number
}

const stateVector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64')

function clone(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** A room holding everything the attacker must not change. */
async function workshop(): Promise<Workshop> {
  const room = await createRoom(server)
  const open = (token: string) => {
    const client = connect(server, room.roomId, token)
    clients.push(client)
    return client
  }
  const facilitator = open(room.tokens.facilitator)
  const witness = open(room.tokens.participant)
  const courier = open(room.tokens.participant)
  await Promise.all([facilitator.firstSync, witness.firstSync, courier.firstSync])
  const closes: string[] = []
  witness.provider.on('connection-close', (event) => closes.push(`witness ${event?.code}`))
  courier.provider.on('connection-close', (event) => closes.push(`courier ${event?.code}`))
  const facilitatorDenied = deniedReasons(facilitator)
  const witnessDenied = deniedReasons(witness)
  const F = facilitator.doc
  const W = witness.doc
  let now = Date.now()
  const at = () => ++now

  recordMember(
    F,
    facilitatorActor.userId,
    { name: facilitatorActor.name, organisation: facilitatorActor.organisation, role: 'facilitator' },
    at(),
  )
  recordMember(
    W,
    witnessActor.userId,
    { name: witnessActor.name, organisation: witnessActor.organisation, role: 'participant' },
    at(),
  )
  raiseHand(W, witnessActor, at())
  for (const [organisation, group] of TAKING_PART) setTakingPart(F, organisation, group, facilitatorActor, at())

  const lineId = addPotLine(F, line, facilitatorActor, at())
  const witnessLine = addPotLine(
    W,
    { ...line, partner: 'Wiltshire Police', stream: 'Police', amount: 1_200_000, status: 'proposed' },
    witnessActor,
    at(),
  )
  updatePotLine(F, lineId, { status: 'agreed' }, facilitatorActor, at())
  // The witness's line must reach the server before the pot is locked.
  await waitFor(() => getPotMap(F).has(witnessLine), 5000, 'the witness’s line at the facilitator')

  const agreed = addClause(
    F,
    'Pooling',
    ['Partners pool their funding for families with complex needs.', 'The pot is held by Swindon.'],
    facilitatorActor,
    at(),
  )
  proposeClause(F, agreed, facilitatorActor, at())
  for (const [organisation] of TAKING_PART)
    statePosition(F, agreed, organisation, 'agree', '', facilitatorActor, at(), 'on-behalf')
  const proposed = addClause(F, 'Governance', ['A joint board agrees every change to the pot.'], facilitatorActor, at())
  proposeClause(F, proposed, facilitatorActor, at())
  statePosition(F, proposed, 'DWP', 'agree', '', facilitatorActor, at(), 'on-behalf')
  statePosition(
    F,
    proposed,
    'Wiltshire Police',
    'block',
    'The board needs a police lead.',
    facilitatorActor,
    at(),
    'on-behalf',
  )

  const barrier = addBarrier(
    F,
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
    at(),
  )
  const vote = startVote(
    F,
    { title: 'Which first?', dotsPerPerson: 2, durationMinutes: null, visibility: 'live' },
    facilitatorActor,
    at(),
  )
  placeDot(F, vote, barrier, facilitatorActor, at())

  setTimerDuration(F, 5 * 60_000)
  startTimer(F, Date.now())
  const item = addAgendaItem(F, { title: 'The pot', minutes: 20 })
  addAgendaItem(F, { title: 'The protocol', minutes: 30 })
  setCurrentAgendaItem(F, item)
  setLock(F, 'pot', true, facilitatorActor, at())

  await waitFor(
    () => readClauses(W).find((c) => c.id === agreed)?.status === 'agreed' && getVotesMap(W).has(vote),
    5000,
    'the agreed clause and the vote at the witness',
  )
  const comment = addComment(
    W,
    agreed,
    'Wiltshire Police agrees: signed off by the chief constable.',
    witnessActor,
    at(),
  )
  placeDot(W, vote, barrier, witnessActor, at())
  await waitFor(
    () => stateVector(F) === stateVector(W) && getLedgerArray(W).length > 0,
    5000,
    'the witness in step with the facilitator',
  )
  expect([...facilitatorDenied, ...witnessDenied], 'refusals of the honest set-up').toEqual([])
  expect(readClauses(W).find((c) => c.id === proposed)?.status).toBe('proposed')
  return {
    roomId: room.roomId,
    tokens: room.tokens,
    facilitator,
    witness,
    courier,
    ids: { line: lineId, agreed, proposed, vote, barrier, comment },
    open,
    closes,
    target: 0,
  }
}

/** The room as stored and served now: a new observer's first sync (a copy; the observer leaves). */
async function freshLoad(room: Workshop): Promise<Y.Doc> {
  const late = connect(server, room.roomId, room.tokens.observer)
  try {
    await late.firstSync
    return clone(late.doc)
  } finally {
    destroy(late)
  }
}

const mapOrNull = (value: unknown): Y.Map<unknown> | null => (value instanceof Y.Map ? value : null)
const json = (value: unknown): unknown =>
  value instanceof Y.AbstractType
    ? value.toJSON()
    : value instanceof Uint8Array
      ? `bytes(${value.length})`
      : value instanceof Y.Doc
        ? `doc(${value.guid})`
        : value

/** Everything the attacker must not change, as plain values. */
function protectedParts(doc: Y.Doc, ids: RoomIds) {
  const protocol = getProtocolMap(doc)
  const agreed = mapOrNull(protocol.get(ids.agreed))
  const proposed = mapOrNull(protocol.get(ids.proposed))
  const vote = mapOrNull(getVotesMap(doc).get(ids.vote))
  const barrier = mapOrNull(getBarriersMap(doc).get(ids.barrier))
  const { canvasSchema: _canvasSchema, ...meta } = getMetaMap(doc).toJSON() as Record<string, unknown>
  const positions = (clause: Y.Map<unknown> | null) => json(clause?.get('positions'))
  const dots = mapOrNull(vote?.get('dots'))
  const voteFields = vote
    ? Object.fromEntries([...vote.keys()].filter((k) => k !== 'dots').map((k) => [k, json(vote.get(k))]))
    : null
  const members = getMembersMap(doc)
  return {
    pot: getPotMap(doc).toJSON(),
    agreedClause: agreed && {
      status: agreed.get('status'),
      title: agreed.get('title'),
      body: json(agreed.get('body')),
      positions: positions(agreed),
      witnessComment: json(mapOrNull(agreed.get('comments'))?.get(ids.comment)),
    },
    proposedClause: proposed && {
      status: proposed.get('status'),
      counting: Object.fromEntries(COUNTING.map((o) => [o, json(mapOrNull(proposed.get('positions'))?.get(o))])),
    },
    facilitatorMember: json(members.get(facilitatorActor.userId)),
    witnessMember: json(members.get(witnessActor.userId)),
    witnessHand: json(getHandsMap(doc).get(witnessActor.userId)),
    settings: getSettingsMap(doc).toJSON(),
    meta,
    vote: voteFields && {
      ...voteFields,
      facilitatorDot: json(dots?.get(`${facilitatorActor.userId}#0`)),
      witnessDot: json(dots?.get(`${witnessActor.userId}#0`)),
    },
    barrierRaisedBy: barrier && { createdBy: barrier.get('createdBy'), createdAt: barrier.get('createdAt') },
    ledger: getLedgerArray(doc).toJSON() as unknown[],
  }
}
type Protected = ReturnType<typeof protectedParts>

const DOC_KEY_NAMES: ReadonlySet<string> = new Set(Object.values(DOC_KEYS))

/** Top-level types a clean document has after taking `doc`'s state (Y.Doc.share lists what an update names). */
function rootNames(doc: Y.Doc): string[] {
  const clean = new Y.Doc()
  Y.applyUpdate(clean, Y.encodeStateAsUpdate(doc))
  const names = [...clean.share.keys()]
  clean.destroy()
  return names
}

/** Asserts that nothing protected changed between `before` and `after` (a fresh load after the attack). */
function expectProtected(
  before: Protected,
  after: Protected,
  ids: RoomIds,
  window: { from: number; to: number },
): void {
  expect(after.pot, 'the locked pot').toEqual(before.pot)
  expect(after.agreedClause, 'the agreed clause').toEqual(before.agreedClause)
  // A participant may remove a clause that is not agreed; while it is there its counting positions and status stand.
  if (before.proposedClause && after.proposedClause)
    expect(after.proposedClause, 'the proposed clause’s counting positions').toEqual(before.proposedClause)
  expect(after.facilitatorMember, 'the facilitator’s member record').toEqual(before.facilitatorMember)
  expect(after.witnessMember, 'the witness’s member record').toEqual(before.witnessMember)
  expect(after.witnessHand, 'the witness’s raised hand').toEqual(before.witnessHand)
  expect(after.settings, 'the settings').toEqual(before.settings)
  expect(after.meta, 'the workshop’s details').toEqual(before.meta)
  expect(after.vote, 'the open vote and others’ dots').toEqual(before.vote)
  // A participant may remove a barrier; while it is there, who raised it stands.
  if (before.barrierRaisedBy && after.barrierRaisedBy) expect(after.barrierRaisedBy).toEqual(before.barrierRaisedBy)
  // The ledger: every entry that was there is there unchanged, in place; new entries are the
  // server's, for what this participant may change.
  expect(after.ledger.slice(0, before.ledger.length), 'the ledger’s existing entries').toEqual(before.ledger)
  for (const raw of after.ledger.slice(before.ledger.length)) {
    const entry = ledgerEntrySchema.safeParse(raw)
    expect(entry.success, `a new ledger entry the server did not write: ${JSON.stringify(raw)}`).toBe(true)
    const e = entry.data!
    const what = JSON.stringify(e)
    expect(e.link, what).toMatchObject({ role: 'participant', organisation: null })
    expect(e.at, what).toBeGreaterThanOrEqual(window.from - 1000)
    expect(e.at, what).toBeLessThanOrEqual(window.to + 1000)
    expect(['barriers', 'actions', 'protocol'], what).toContain(e.area)
    expect(e.subject, what).not.toBe(ids.agreed)
    if (e.subject === ids.proposed && e.action !== 'deleted') {
      expect(e.field, what).toMatch(/^position:/)
      expect(
        COUNTING.map((o) => `position:${o}`),
        what,
      ).not.toContain(e.field)
    }
  }
}

interface Tally {
  cases: number
  updates: number
  structs: number
  deletions: number
  refused: Map<string, number>
  accepted: number
  closedAttackers: number
  stolenFacilitatorIds: number
  /** Cases after which the witness's Y.Doc lists a top-level name outside the schema (relayed bytes naming it, holding nothing). */
  unknownNamesRelayed: number
}

const newTally = (): Tally => ({
  cases: 0,
  updates: 0,
  structs: 0,
  deletions: 0,
  refused: new Map(),
  accepted: 0,
  closedAttackers: 0,
  stolenFacilitatorIds: 0,
  unknownNamesRelayed: 0,
})

function summary(name: string, t: Tally): string {
  const refused = [...t.refused]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n}× ${reason}`)
    .join('; ')
  return `${name}: ${t.cases} cases, ${t.updates} updates (${t.structs} structs, ${t.deletions} deletions); ${t.accepted} accepted, refused: ${refused}; attackers closed: ${t.closedAttackers}; facilitator client ids taken while away: ${t.stolenFacilitatorIds}; cases after which the witness's document names a type outside the schema (holding nothing): ${t.unknownNamesRelayed}`
}

let markers = 0

/**
 * One case: a new attacker connection (participant link) sends `updates` (made against the room as
 * the witness holds it), then every property is checked. Returns the reasons the attacker was given.
 */
async function attack(
  room: Workshop,
  make: (
    inv: ReturnType<typeof inventory>,
    clients: { facilitator: number; witness: number; attacker: number },
  ) => Crafted[],
  options: { away: boolean; tally?: Tally; reasons?: number },
): Promise<string[]> {
  const { facilitator, witness, ids } = room
  const baseline = clone(witness.doc)
  const before = protectedParts(baseline, ids)
  const inv = inventory(baseline)
  const attacker = room.open(room.tokens.participant)
  await attacker.firstSync
  const denied = deniedReasons(attacker)
  const attackerCloses: number[] = []
  attacker.provider.on('connection-close', (event) => attackerCloses.push(event?.code ?? 0))
  if (options.away) {
    // The facilitator is the room's only facilitator connection: the server logs when it has left.
    const joined = server.logs
      .filter((l) => l.event === 'sync.joined' && l.room === room.roomId && l.role === 'facilitator')
      .at(-1)
    goOffline(facilitator)
    await waitFor(
      () => server.logs.some((l) => l.event === 'sync.closed' && l.peer === joined?.peer),
      5000,
      'the server letting the facilitator go',
    )
  }
  const facilitatorClient = facilitator.doc.clientID
  const crafted = make(inv, {
    facilitator: facilitatorClient,
    witness: witness.doc.clientID,
    attacker: attacker.doc.clientID,
  })
  const from = Date.now()
  try {
    for (const { update } of crafted) sendRaw(attacker, update)
    const marker = `adversarial-${++markers}`
    const closed = attacker.closed.then(() => 'closed' as const)
    const settled = settle(attacker, [witness], marker).then(() => 'settled' as const)
    if ((await Promise.race([settled, closed])) === 'closed') {
      // The server closed the attacker on handling one of its frames, after handling everything
      // before it; a marker from another connection now comes after whatever that relayed.
      await settle(room.courier, [witness], `${marker}-courier`)
    }
    const to = Date.now()
    for (const reason of denied)
      expect(
        reason.length > 8 && reason !== 'undefined' && !reason.startsWith('[object'),
        `a refusal's reason for people: ${reason}`,
      ).toBe(true)
    const fresh = await freshLoad(room)
    const after = protectedParts(fresh, ids)

    // 1. Protected parts unchanged, no top-level type outside the schema.
    expectProtected(before, after, ids, { from, to })
    expect(
      rootNames(fresh).filter((name) => !DOC_KEY_NAMES.has(name)),
      'top-level types outside the schema',
    ).toEqual([])

    // 2. What the room serves is what it relayed; the server is up; nobody honest was closed.
    expect(stateVector(fresh), 'the fresh load’s state vector equals the witness’s').toBe(stateVector(witness.doc))
    expect(workshopJson(fresh), 'the fresh load equals the witness’s copy').toEqual(workshopJson(witness.doc))
    fresh.destroy()
    expect(server.child.exitCode).toBeNull()
    expect(room.closes).toEqual([])
    expect(witness.provider.wsconnected).toBe(true)
    if (attackerCloses.length > 0) {
      // Only a frame Yjs cannot apply closes a connection (4400); every frame here is well-formed,
      // so it must be an update that fails to apply to the room as it was.
      expect(attackerCloses, 'the attacker was closed').toEqual([4400])
      // An update may apply to the room as it was and fail after an earlier one of the case (or its
      // tombstone) changed it, so each alone and all in turn are tried.
      const failing =
        crafted.some(({ update }) => throwsOn(baseline, update)) ||
        throwsInTurn(
          baseline,
          crafted.map((c) => c.update),
        )
      // Or Yjs failed on it in the room's replica, whose structs may be split differently from a
      // fresh copy's (the live document took nothing of it: the checks above hold).
      const failedOnReplica = server.logs.some(
        (l) =>
          l.event === 'sync.bad_frame' &&
          l.room === room.roomId &&
          String(l.detail).startsWith('update could not be applied'),
      )
      expect(failing || failedOnReplica, 'the attacker was closed for an update that applies').toBe(true)
      options.tally && options.tally.closedAttackers++
    } else expect(attacker.provider.wsconnected).toBe(true)
    if (options.reasons !== undefined)
      await waitFor(() => denied.length >= options.reasons!, 5000, 'the reasons given to the attacker')

    if (options.tally) {
      const t = options.tally
      t.cases++
      t.updates += crafted.length
      t.structs += crafted.reduce((n, c) => n + c.structs.length, 0)
      t.deletions += crafted.reduce((n, c) => n + c.deletions.length, 0)
      t.accepted += Math.max(0, crafted.length - denied.length)
      if ([...witness.doc.share.keys()].some((name) => !DOC_KEY_NAMES.has(name))) t.unknownNamesRelayed++
      for (const reason of denied)
        t.refused.set(reason.split(/[,.:]/)[0]!, (t.refused.get(reason.split(/[,.:]/)[0]!) ?? 0) + 1)
    }
  } catch (error) {
    console.error(
      `adversarial case failed; updates sent:\n${crafted.map((c, i) => `update ${i + 1}:\n${describeCrafted(c)}`).join('\n')}\nreasons given: ${JSON.stringify(denied)}\nserver warnings: ${server.logs
        .filter((l) => l.level !== 'info' && l.level !== 'debug')
        .slice(-5)
        .map((l) => JSON.stringify(l))
        .join('\n')}`,
    )
    throw error
  } finally {
    destroy(attacker)
    baseline.destroy()
  }

  // 3. The facilitator (back, if away) still writes, and the witness sees it.
  if (options.away) {
    facilitator.provider.connect()
    await waitFor(() => facilitator.provider.synced, 5000, 'the facilitator back')
    if (facilitator.doc.clientID !== facilitatorClient && options.tally) options.tally.stolenFacilitatorIds++
  }
  const target = ++room.target
  setTargetPot(facilitator.doc, target, facilitatorActor, Date.now())
  await waitFor(
    () => getMetaMap(witness.doc).get('targetPot') === target,
    5000,
    'the facilitator’s write at the witness',
  )
  await waitFor(
    () => stateVector(facilitator.doc) === stateVector(witness.doc),
    5000,
    'the witness in step with the facilitator',
  )
  return denied
}

function throwsOn(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = clone(doc)
  try {
    Y.applyUpdate(copy, update)
    return false
  } catch {
    return true
  } finally {
    copy.destroy()
  }
}

/** Whether applying `updates` one after another to a copy of `doc` fails at some point. */
function throwsInTurn(doc: Y.Doc, updates: readonly Uint8Array[]): boolean {
  const copy = clone(doc)
  try {
    for (const update of updates) Y.applyUpdate(copy, update)
    return false
  } catch {
    return true
  } finally {
    copy.destroy()
  }
}

/** After a restart, the room loads from the store to exactly what the witness held. */
async function expectStoreEqualsLive(room: Workshop): Promise<void> {
  const held = clone(room.witness.doc)
  for (const client of clients.splice(0)) destroy(client)
  await server.stop()
  expect(server.logs.filter((line) => line.level === 'error')).toEqual([])
  server = await startServer({ dataDir, env })
  const reloaded = await freshLoad(room)
  expect(stateVector(reloaded)).toBe(stateVector(held))
  expect(workshopJson(reloaded)).toEqual(workshopJson(held))
  expect(rootNames(reloaded).filter((name) => !DOC_KEY_NAMES.has(name))).toEqual([])
}

const caseArb = fc.array(updateArb, { minLength: 1, maxLength: 4 })

const fromChoices =
  (room: Workshop, choices: UpdateChoice[]) =>
  (inv: ReturnType<typeof inventory>, ids: { facilitator: number; witness: number; attacker: number }) =>
    choices.map((choice) => materialise(choice, inv, ids, room.ids, Date.now()))

describe('a participant sending hand-made updates', () => {
  it(
    'changes nothing protected, and the room serves what it relayed, while the facilitator is connected',
    async () => {
      const room = await workshop()
      const tally = newTally()
      await fc.assert(
        fc.asyncProperty(caseArb, async (choices) => {
          await attack(room, fromChoices(room, choices), { away: false, tally })
        }),
        runParameters(CASES),
      )
      console.log(summary('adversarial updates, facilitator connected', tally))
      // Both sides were reached: updates refused for many reasons, and some taken.
      expect(tally.refused.size).toBeGreaterThan(3)
      expect(tally.accepted).toBeGreaterThan(0)
      await expectStoreEqualsLive(room)
    },
    propertyTimeout(CASES),
  )

  it(
    'changes nothing protected while the facilitator is away, and the facilitator writes again when back',
    async () => {
      const room = await workshop()
      const tally = newTally()
      await fc.assert(
        fc.asyncProperty(caseArb, async (choices) => {
          await attack(room, fromChoices(room, choices), { away: true, tally })
        }),
        runParameters(AWAY_CASES),
      )
      console.log(summary('adversarial updates, facilitator away', tally))
      await expectStoreEqualsLive(room)
    },
    propertyTimeout(AWAY_CASES),
  )
})

describe('the overlapping-clock item under the facilitator’s client id (regression, issue #16)', () => {
  /** The facilitator's last item is then in the locked pot: Yjs would link the overlapping item after it. */
  async function lastWriteInThePot(room: Workshop, amount: number): Promise<void> {
    updatePotLine(room.facilitator.doc, room.ids.line, { amount }, facilitatorActor, Date.now())
    await waitFor(
      () => stateVector(room.facilitator.doc) === stateVector(room.witness.doc),
      5000,
      'the amount at the witness',
    )
    const structs = room.facilitator.doc.store.clients.get(room.facilitator.doc.clientID)!
    const last = structs[structs.length - 1] as Y.Item
    expect(
      ((last.parent as Y.AbstractType<unknown>)._item!.parent as Y.AbstractType<unknown>) ===
        getPotMap(room.facilitator.doc),
    ).toBe(true)
  }

  const overlapping =
    (parent: 'ledger' | 'canvas') => (_inv: unknown, clients: { facilitator: number }, facilitatorDoc: Y.Doc) => {
      const clock = Y.getState(facilitatorDoc.store, clients.facilitator)
      const second = parent === 'ledger' ? 1 : { key: 'shape:x', val: { id: 'shape:x', typeName: 'shape' } }
      const structs = [
        { client: clients.facilitator, clock: clock - 1, parent, content: { any: ['x', second] } },
      ] as const
      return { update: craftUpdate(structs), structs: [...structs], deletions: [] }
    }

  for (const parent of ['ledger', 'canvas'] as const) {
    it(`refuses it naming the ${parent}${parent === 'canvas' ? ' with a valid-looking board record' : ''}, with the facilitator connected and away`, async () => {
      const room = await workshop()
      await lastWriteInThePot(room, 5_000_001)
      const connected = await attack(
        room,
        (inv, clients) => [overlapping(parent)(inv, clients, room.facilitator.doc)],
        { away: false, reasons: 1 },
      )
      expect(connected).toEqual([
        'This change was made under another person’s editing session, so it was not saved. Reload the page.',
      ])

      await lastWriteInThePot(room, 5_000_002)
      const away = await attack(room, (inv, clients) => [overlapping(parent)(inv, clients, room.facilitator.doc)], {
        away: true,
        reasons: 1,
      })
      expect(away).toEqual([
        'This change could not be matched to a part of the workshop, so it was not saved. Reload the page.',
      ])
      expect(getPotMap(room.witness.doc).get(room.ids.line)?.get('amount')).toBe(5_000_002)
    })
  }
})

/**
 * Found by this suite: a top-level type named like a property of Object.prototype ("__proto__",
 * "hasOwnProperty"…) made the rules throw (`ROOT_RULES[root]` is not a rule), and so did such a
 * field name under a barrier ("constructor": `BARRIER_FIELDS[field].safeParse` is not a function).
 * That closed the sender with 4400 and, worse, left the candidate replica holding the update it had
 * just tried: it was neither invalidated nor rebuilt. A later update reusing that update's clocks was then
 * judged by what it did on the candidate (where those clocks were already known and skipped),
 * while the live document took all of it, unjudged.
 */
describe('a top-level name the rules do not expect (regression)', () => {
  const NOT_A_PART = 'This change writes a part the workshop does not have.'

  it('refuses updates naming Object.prototype properties as top-level types or fields, and keeps the sender connected', async () => {
    const room = await workshop()
    const roots = ['__proto__', 'hasOwnProperty', 'valueOf', 'constructor', 'toString']
    const fields = ['constructor', '__proto__', 'toString']
    const barrier = getBarriersMap(room.witness.doc).get(room.ids.barrier)!._item!.id
    const reasons = await attack(
      room,
      () =>
        [
          ...roots.map((parent, i) => [
            { client: 0x6a6a_0000 + i, clock: 0, parent, parentSub: 'k', content: { any: [1] } },
          ]),
          // A field of the facilitator's barrier (the barriers are not locked).
          ...fields.map((parentSub, i) => [
            {
              client: 0x6b6b_0000 + i,
              clock: 0,
              parent: [barrier.client, barrier.clock] as const,
              parentSub,
              content: { any: [1] },
            },
          ]),
        ].map((structs) => ({ update: craftUpdate(structs), structs, deletions: [] })),
      { away: false, reasons: roots.length + fields.length },
    )
    expect(reasons.slice(0, roots.length)).toEqual(roots.map(() => NOT_A_PART))
    expect(reasons).toHaveLength(roots.length + fields.length)
  })

  it('never lets an update the rules threw on make a later update reusing its clocks reach a locked pot unjudged', async () => {
    const room = await workshop()
    const { witness, ids } = room
    const before = protectedParts(clone(witness.doc), ids)
    const amount = getPotMap(witness.doc).get(ids.line)!._map.get('amount')!.id
    const X = 0x7a7a_7a7a
    const record = (key: string) => ({ key, val: { id: key, typeName: 'shape' } })

    // 1. A valid board record under a fresh client id X, and a struct under a root named "__proto__".
    const first = room.open(room.tokens.participant)
    await first.firstSync
    sendRaw(
      first,
      craftUpdate([
        { client: X, clock: 0, parent: 'canvas', content: { any: [record('shape:first')] } },
        { client: X + 1, clock: 0, parent: '__proto__', parentSub: 'k', content: { any: [1] } },
      ]),
    )
    const firstOutcome = await Promise.race([
      first.closed.then((c) => c.code),
      settle(first, [witness], 'proto-first').then(() => 'open' as const),
    ])
    // 2. From a new connection: X:0 again, now the locked £50,000 line's amount (-5, after the
    //    current value), then X:1, a valid board record.
    const second = room.open(room.tokens.participant)
    await second.firstSync
    sendRaw(
      second,
      craftUpdate([
        { client: X, clock: 0, origin: [amount.client, amount.clock], content: { any: [-5] } },
        { client: X, clock: 1, parent: 'canvas', content: { any: [record('shape:second')] } },
      ]),
    )
    await settle(second, [witness], 'proto-second')

    const fresh = await freshLoad(room)
    expect(getPotMap(fresh).get(ids.line)?.get('amount'), 'the locked line’s amount').toBe(5_000_000)
    expectProtected(before, protectedParts(fresh, ids), ids, { from: 0, to: Date.now() })
    expect(workshopJson(fresh)).toEqual(workshopJson(witness.doc))
    expect(firstOutcome, 'the first sender').toBe('open')
  })
})
