/**
 * The sync endpoint against real y-websocket 3.x clients: convergence, late joiners, awareness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { clauseText, pushRecord, recordId } from '../helpers/records.ts'
import { addBarrier, DEFAULT_BARRIER, readBarriers, updateBarrier } from '../../shared/barriers.ts'
import { addPotLine, DEFAULT_LINE, readPotLines } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { getBarriersMap, getCanvasArray, getPotMap } from '../../shared/schema.ts'

const fiona = { userId: 'f', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }
const amira = { userId: 'a', name: 'Amira Khan', organisation: 'DWP' }
const ben = { userId: 'b', name: 'Ben Ode', organisation: 'Kent County Council' }

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

describe('sync', () => {
  it('gives a new client the workshop title at its first sync', async () => {
    const room = await createRoom(server, 'Lincolnshire pot workshop')
    let titleAtSync: unknown
    const a = open(server, room.roomId, room.tokens.participant, {
      onFirstSync: (doc) => (titleAtSync = doc.getMap('meta').get('title')),
    })
    await a.firstSync
    expect(titleAtSync).toBe('Lincolnshire pot workshop')
  })

  it('converges two clients on map, text and array edits', async () => {
    const room = await createRoom(server)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.facilitator)
    await Promise.all([a.firstSync, b.firstSync])
    // The facilitator adds a clause for the text (only the facilitator adds clauses).
    const clause = addClause(b.doc, 'Barriers', [''], fiona, 1)
    await waitFor(() => clauseBody(a.doc, clause) !== null, 5000, 'clause at a')

    const line = addPotLine(a.doc, { ...DEFAULT_LINE, partner: 'DWP', amount: 6_000_000_00 }, amira, 2) // a map
    clauseText(a.doc, clause).insert(0, 'ESF cannot be pooled at source.') // text
    pushRecord(b.doc, 'offer', { text: 'DWP offered £60m' }) // an array

    await waitFor(() => clauseText(b.doc, clause).toString() === 'ESF cannot be pooled at source.', 5000, 'text at b')
    await waitFor(() => getCanvasArray(a.doc).length === 1, 5000, 'array at a')
    await waitFor(() => getPotMap(b.doc).has(line), 5000, 'map at b')
    expect(getPotMap(b.doc).get(line)!.toJSON()).toEqual(getPotMap(a.doc).get(line)!.toJSON())
    expect(readPotLines(b.doc)[0]).toMatchObject({ partner: 'DWP', amount: 6_000_000_00 })
    expect(getCanvasArray(a.doc).toArray()).toEqual([
      { key: recordId('offer'), val: { id: recordId('offer'), typeName: 'shape', text: 'DWP offered £60m' } },
    ])
  })

  it('converges concurrent edits to the same text and map key', async () => {
    const room = await createRoom(server)
    const facilitator = open(server, room.roomId, room.tokens.facilitator)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([facilitator.firstSync, a.firstSync, b.firstSync])
    const clause = addClause(facilitator.doc, 'Pooling', [''], fiona, 1)
    const barrier = addBarrier(
      facilitator.doc,
      { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled', raisedBy: 'Kent County Council' },
      fiona,
      1,
    )
    await waitFor(
      () => [a, b].every((c) => clauseBody(c.doc, clause) !== null && getBarriersMap(c.doc).has(barrier)),
      5000,
      'clause and barrier at a and b',
    )
    // Both edit in the same tick, before either has seen the other's change: the same text, and
    // the same key of a map (a barrier's champion, a field with no attribution of its own).
    clauseText(a.doc, clause).insert(0, 'Partners pool ')
    clauseText(b.doc, clause).insert(0, 'funding for families. ')
    updateBarrier(a.doc, barrier, { champion: 'Director General, DWP' }, amira, 2)
    updateBarrier(b.doc, barrier, { champion: 'Permanent Secretary, DWP' }, ben, 2)

    const same = () =>
      clauseText(a.doc, clause).toString() === clauseText(b.doc, clause).toString() &&
      clauseText(a.doc, clause).length === 'Partners pool '.length + 'funding for families. '.length &&
      getBarriersMap(a.doc).get(barrier)!.get('champion') === getBarriersMap(b.doc).get(barrier)!.get('champion')
    await waitFor(same, 5000, 'convergence')
    // The server's ledger entries may still be on their way to one of them.
    await waitFor(
      () => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(),
      5000,
      'identical state',
    )
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
    expect(['Director General, DWP', 'Permanent Secretary, DWP']).toContain(readBarriers(a.doc)[0]!.champion)
  })

  it('gives a late joiner all 500 earlier edits at its first "synced"', async () => {
    const room = await createRoom(server)
    const writer = open(server, room.roomId, room.tokens.participant)
    await writer.firstSync
    // 500 edits, each a board record of its own (one update each).
    for (let i = 0; i < 500; i++) pushRecord(writer.doc, i, { i })
    // Wait until the server has them (a second client sees them all).
    const witness = open(server, room.roomId, room.tokens.participant)
    await waitFor(() => getCanvasArray(witness.doc).length === 500, 10_000, 'witness to see 500 edits')

    let countAtSync = -1
    const late = open(server, room.roomId, room.tokens.observer, {
      onFirstSync: (doc) => (countAtSync = getCanvasArray(doc).length),
    })
    await late.firstSync
    expect(countAtSync).toBe(500)
    expect(
      getCanvasArray(late.doc)
        .toArray()
        .map((entry) => entry.val.i),
    ).toEqual([...Array(500).keys()])
  })

  it('shows awareness to others and removes it when the connection closes', async () => {
    const room = await createRoom(server)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    a.provider.awareness.setLocalStateField('user', { name: 'Amira', organisation: 'DWP' })
    const aId = a.doc.clientID
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(aId) as { user?: { name?: string } } | undefined)?.user?.name === 'Amira',
      5000,
      'awareness at b',
    )

    // A third client joining later gets the current awareness states on connect.
    const c = open(server, room.roomId, room.tokens.observer)
    await c.firstSync
    await waitFor(() => c.provider.awareness.getStates().has(aId), 5000, 'awareness at late joiner')

    // Closing the socket (not a polite awareness removal) must still remove A everywhere.
    a.provider.shouldConnect = false
    a.provider.ws?.close()
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 5000, 'removal at b')
    await waitFor(() => !c.provider.awareness.getStates().has(aId), 5000, 'removal at c')
  })
})
