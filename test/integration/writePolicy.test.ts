/**
 * The server's write policy through the real server and real y-websocket clients: participants
 * cannot change the facilitator's settings or the title, nor a locked section (writes or
 * deletions), while their writes elsewhere and every facilitator write go through. A refused
 * update never reaches another client, storage or a late joiner; the sender is told why and
 * stays connected, and its later writes still apply.
 */
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { getMetaMap, getPotMap, getSettingsMap, readMeta } from '../../shared/schema.ts'
import { readLocks, setLock, setWorkshopTitle } from '../../shared/workshopSettings.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'

let server: ServerProcess
const clients: TestClient[] = []
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args)
  clients.push(client)
  return client
}

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

const facilitatorActor = { userId: 'f', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }

/** The reasons of the auth permission-denied messages a client receives. */
function deniedReasons(client: TestClient): string[] {
  const reasons: string[] = []
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    decoding.readVarUint(decoder) // 0: permission denied
    reasons.push(decoding.readVarString(decoder))
  }
  return reasons
}

async function metric(reason: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const match = text.match(new RegExp(`^commonpot_writes_denied_total\\{reason="${reason}"\\} (\\d+)$`, 'm'))
  return match ? Number(match[1]) : NaN
}

/** Facilitator, the participant under test, and a second participant watching. */
async function workshop() {
  const room = await createRoom(server)
  const facilitator = open(server, room.roomId, room.tokens.facilitator)
  const participant = open(server, room.roomId, room.tokens.participant)
  const witness = open(server, room.roomId, room.tokens.participant)
  await Promise.all([facilitator.firstSync, participant.firstSync, witness.firstSync])
  const denied = deniedReasons(participant)
  /** A late joiner's view of the stored room, once it has synced. */
  const lateJoiner = async () => {
    const late = open(server, room.roomId, room.tokens.observer)
    await late.firstSync
    return late.doc
  }
  return { room, facilitator, participant, witness, denied, lateJoiner }
}

/** A marker write by `writer` that `reader` must see: proves everything sent before it was handled. */
async function settle(writer: TestClient, readers: TestClient[], marker: string) {
  writer.doc.getMap('check').set('marker', marker)
  for (const reader of readers) await waitFor(() => reader.doc.getMap('check').get('marker') === marker, 5000, `marker ${marker}`)
}

describe('write policy', () => {
  it('keeps settings and the title to the facilitator, and lets participants write the canvas schema and the pot', async () => {
    const { facilitator, participant, witness, denied, lateJoiner } = await workshop()
    const before = await metric('facilitator_only')

    getSettingsMap(participant.doc).set('timer', { hijacked: true })
    getMetaMap(participant.doc).set('title', 'Hijacked by a participant')
    getMetaMap(participant.doc).set('canvasSchema', { schemaVersion: 2 })
    getPotMap(participant.doc).set('line-p', new Y.Map([['amount', 100]]))
    setWorkshopTitle(facilitator.doc, 'Renamed by the facilitator', facilitatorActor, 1)
    getSettingsMap(facilitator.doc).set('organisations', new Y.Map())

    await waitFor(() => witness.doc.getMap('meta').get('canvasSchema') !== undefined && getPotMap(witness.doc).has('line-p'), 5000, 'allowed writes at the witness')
    await waitFor(() => readMeta(witness.doc).title === 'Renamed by the facilitator', 5000, 'facilitator title at the witness')
    await settle(participant, [witness, facilitator], 'after')

    for (const doc of [witness.doc, facilitator.doc, await lateJoiner()]) {
      expect(getSettingsMap(doc).has('timer')).toBe(false)
      expect(getSettingsMap(doc).has('organisations')).toBe(true)
      expect(readMeta(doc).title).toBe('Renamed by the facilitator')
      expect(getMetaMap(doc).get('canvasSchema')).toEqual({ schemaVersion: 2 })
      expect(getPotMap(doc).get('line-p')?.get('amount')).toBe(100)
    }
    // The participant was told, twice, and is still connected.
    expect(denied).toEqual(['Only the facilitator can change the workshop settings.', 'Only the facilitator can change the workshop settings.'])
    expect(participant.provider.wsconnected).toBe(true)
    expect(await metric('facilitator_only')).toBe(before + 2)
  })

  it('makes a locked pot read-only for participants, deletions included, and carries on with their other writes', async () => {
    const { facilitator, participant, witness, denied, lateJoiner } = await workshop()
    getPotMap(facilitator.doc).set('line-1', new Y.Map([['amount', 1]]))
    getPotMap(facilitator.doc).set('line-2', new Y.Map([['amount', 2]]))
    await waitFor(() => getPotMap(participant.doc).has('line-2'), 5000, 'lines at the participant')
    setLock(facilitator.doc, 'pot', true, facilitatorActor, 1)
    await waitFor(() => readLocks(participant.doc).has('pot'), 5000, 'lock at the participant')
    const before = await metric('locked')

    getPotMap(participant.doc).get('line-1')!.set('amount', 999) // inside an existing line
    getPotMap(participant.doc).set('line-p', new Y.Map([['amount', 5]])) // a new line
    getPotMap(participant.doc).delete('line-2') // a deletion only: no structs at all
    participant.doc.getMap('barriers').set('b-1', 'a barrier') // elsewhere: allowed
    getPotMap(facilitator.doc).get('line-1')!.set('note', 'facilitator may') // the facilitator may

    await waitFor(() => witness.doc.getMap('barriers').get('b-1') === 'a barrier', 5000, 'barrier at the witness')
    await waitFor(() => getPotMap(witness.doc).get('line-1')?.get('note') === 'facilitator may', 5000, 'facilitator write')
    await settle(participant, [witness], 'locked')
    for (const doc of [witness.doc, facilitator.doc, await lateJoiner()]) {
      expect(getPotMap(doc).get('line-1')?.get('amount')).toBe(1)
      expect(getPotMap(doc).has('line-2')).toBe(true)
      expect(getPotMap(doc).has('line-p')).toBe(false)
      expect(doc.getMap('barriers').get('b-1')).toBe('a barrier')
    }
    expect(denied).toEqual(['The facilitator has locked the pot.', 'The facilitator has locked the pot.', 'The facilitator has locked the pot.'])
    expect(await metric('locked')).toBe(before + 3)

    // Unlocked again, the same participant's pot writes go through.
    setLock(facilitator.doc, 'pot', false, facilitatorActor, 2)
    await waitFor(() => !readLocks(participant.doc).has('pot'), 5000, 'unlock at the participant')
    getPotMap(participant.doc).set('line-3', new Y.Map([['amount', 3]]))
    await waitFor(() => getPotMap(witness.doc).get('line-3')?.get('amount') === 3, 5000, 'pot write after unlock')
    expect(participant.provider.wsconnected).toBe(true)
  })

  it('lets a participant type into an existing clause body while the protocol is open, not once it is locked', async () => {
    const { facilitator, participant, witness, denied, lateJoiner } = await workshop()
    const id = addClause(facilitator.doc, 'Decision making', ['Decisions by consensus.'], facilitatorActor, 1)
    await waitFor(() => clauseBody(participant.doc, id)?.length === 1, 5000, 'clause at the participant')
    const textOf = (doc: Y.Doc) => ((clauseBody(doc, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText)

    // Items placed by origin inside the nested fragment: no parent in the update itself.
    const sent: Uint8Array[] = []
    participant.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== participant.provider && sent.push(u))
    textOf(participant.doc).insert(9, ' reached quickly')
    expect((Y.decodeUpdate(sent[0]!).structs[0] as Y.Item).parent).toBeNull()
    await waitFor(() => textOf(witness.doc).toString() === 'Decisions reached quickly by consensus.', 5000, 'typing at the witness')

    setLock(facilitator.doc, 'protocol', true, facilitatorActor, 2)
    await waitFor(() => readLocks(participant.doc).has('protocol'), 5000, 'lock at the participant')
    textOf(participant.doc).insert(0, 'All ')
    textOf(participant.doc).delete(10, 8) // deleting text the server holds
    clauseBody(participant.doc, id)!.insert(1, [new Y.XmlElement('paragraph')])
    await settle(participant, [witness], 'protocol locked')
    for (const doc of [witness.doc, facilitator.doc, await lateJoiner()]) {
      expect(textOf(doc).toString()).toBe('Decisions reached quickly by consensus.')
      expect(clauseBody(doc, id)!.length).toBe(1)
    }
    expect(denied).toEqual(Array(3).fill('The facilitator has locked the protocol.'))

    // The facilitator still edits the locked clause.
    textOf(facilitator.doc).insert(0, 'Agreed: ')
    await waitFor(() => textOf(witness.doc).toString().startsWith('Agreed: Decisions'), 5000, 'facilitator typing')
  })

  it('refuses every write of an observer, counted by reason', async () => {
    const room = await createRoom(server)
    const observer = open(server, room.roomId, room.tokens.observer)
    const witness = open(server, room.roomId, room.tokens.participant)
    await Promise.all([observer.firstSync, witness.firstSync])
    const before = await metric('observer')
    observer.doc.getMap('pot').set('sneaky', 1)
    await sleep(300)
    expect(witness.doc.getMap('pot').has('sneaky')).toBe(false)
    expect(await metric('observer')).toBe(before + 1)
  })
})
