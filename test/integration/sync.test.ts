/**
 * The sync endpoint against real y-websocket 3.x clients: convergence, late joiners, awareness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
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

    a.doc.getMap('pot').set('dwp', { amount: 6_000_000_00 })
    a.doc.getText('notes').insert(0, 'ESF cannot be pooled at source.')
    b.doc.getArray<string>('ledger').push(['DWP offered £60m'])

    await waitFor(() => b.doc.getText('notes').toString() === 'ESF cannot be pooled at source.', 5000, 'text at b')
    await waitFor(() => a.doc.getArray('ledger').length === 1, 5000, 'array at a')
    expect(b.doc.getMap('pot').get('dwp')).toEqual({ amount: 6_000_000_00 })
    expect(a.doc.getArray('ledger').toArray()).toEqual(['DWP offered £60m'])
  })

  it('converges concurrent edits to the same text and map key', async () => {
    const room = await createRoom(server)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    // Both edit in the same tick, before either has seen the other's change.
    a.doc.getText('clause').insert(0, 'Partners pool ')
    b.doc.getText('clause').insert(0, 'funding for families. ')
    a.doc.getMap('scratch').set('phase', 'offers')
    b.doc.getMap('scratch').set('phase', 'agreement')

    const same = () =>
      a.doc.getText('clause').toString() === b.doc.getText('clause').toString() &&
      a.doc.getText('clause').length === 'Partners pool '.length + 'funding for families. '.length &&
      a.doc.getMap('scratch').get('phase') === b.doc.getMap('scratch').get('phase')
    await waitFor(same, 5000, 'convergence')
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
  })

  it('gives a late joiner all 500 earlier edits at its first "synced"', async () => {
    const room = await createRoom(server)
    const writer = open(server, room.roomId, room.tokens.participant)
    await writer.firstSync
    const items = writer.doc.getArray<number>('items')
    for (let i = 0; i < 500; i++) items.push([i])
    // Wait until the server has them (a second client sees them all).
    const witness = open(server, room.roomId, room.tokens.participant)
    await waitFor(() => witness.doc.getArray('items').length === 500, 10_000, 'witness to see 500 edits')

    let countAtSync = -1
    const late = open(server, room.roomId, room.tokens.observer, {
      onFirstSync: (doc) => (countAtSync = doc.getArray('items').length),
    })
    await late.firstSync
    expect(countAtSync).toBe(500)
    expect(late.doc.getArray<number>('items').toArray()).toEqual([...Array(500).keys()])
  })

  it('shows awareness to others and removes it when the connection closes', async () => {
    const room = await createRoom(server)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    a.provider.awareness.setLocalStateField('user', { name: 'Amira', organisation: 'DWP' })
    const aId = a.doc.clientID
    await waitFor(() => (b.provider.awareness.getStates().get(aId) as { user?: { name?: string } } | undefined)?.user?.name === 'Amira', 5000, 'awareness at b')

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
