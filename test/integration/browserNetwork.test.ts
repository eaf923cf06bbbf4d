/**
 * The page's reaction to the browser's `offline` and `online` events (client/sync/browserNetwork.ts),
 * with real y-websocket clients and the real server: a dropped network drops the socket at once,
 * a returning network reconnects at once rather than at the end of a long backoff, and a final
 * refusal stays final.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { followBrowserNetwork } from '../../client/sync/browserNetwork.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'

let server: ServerProcess
const clients: TestClient[] = []
const stops: (() => void)[] = []
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args)
  clients.push(client)
  return client
}
/** Stands in for `window`: the same two events, dispatched by the test. */
const network = () => new EventTarget()

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  for (const stop of stops) stop()
  for (const client of clients) client.destroy()
  await server.stop()
})

describe('following the browser network', () => {
  it('drops the socket as soon as the browser says offline, and keeps trying', async () => {
    const room = await createRoom(server)
    const client = open(server, room.roomId, room.tokens.participant)
    await client.firstSync
    const events = network()
    stops.push(followBrowserNetwork(client.provider, events))
    const statuses: string[] = []
    client.provider.on('status', ({ status }) => statuses.push(status))
    const before = client.provider.ws

    events.dispatchEvent(new Event('offline'))
    // At once, not after y-websocket's 30 s of silence: the page shows offline and counts changes.
    expect(statuses[0]).toBe('disconnected')
    expect(client.provider.synced).toBe(false)
    expect(client.provider.ws).not.toBe(before)
    // The provider goes on trying; where the server is reachable after all, it is back at once.
    await waitFor(() => client.provider.synced, 5000, 'resync after a wrong offline')
  })

  it('reconnects as soon as the browser says online, instead of at the end of its backoff', async () => {
    const dataDir = tempDir()
    let flaky = await startServer({ dataDir })
    try {
      const room = await createRoom(flaky)
      const client = open(flaky, room.roomId, room.tokens.participant)
      await client.firstSync
      const events = network()
      stops.push(followBrowserNetwork(client.provider, events))
      // A long time offline: the provider's next attempt is a minute away.
      client.provider.maxBackoffTime = 60_000
      client.provider.wsUnsuccessfulReconnects = 20
      const port = flaky.port
      await flaky.stop()
      await waitFor(() => !client.provider.wsconnected && !client.provider.wsconnecting, 5000, 'disconnected')
      flaky = await startServer({ dataDir, env: { PORT: String(port) } })

      const started = Date.now()
      events.dispatchEvent(new Event('online'))
      await waitFor(() => client.provider.synced, 5000, 'resync once online')
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      await flaky.stop()
    }
  })

  it('leaves a refused connection alone when the network comes back', async () => {
    const room = await createRoom(server)
    const other = await createRoom(server)
    // A token for another workshop: refused for good (4401), the provider stops.
    const client = open(server, room.roomId, other.tokens.participant)
    const closed = await client.closed
    expect(closed.code).toBe(4401)
    const events = network()
    stops.push(followBrowserNetwork(client.provider, events))

    events.dispatchEvent(new Event('online'))
    events.dispatchEvent(new Event('offline'))
    expect(client.provider.ws).toBeNull()
    await sleep(300)
    expect(client.provider.ws).toBeNull()
    expect(client.provider.wsconnected).toBe(false)
  })

  it('stops listening when the page lets go of the room', async () => {
    const room = await createRoom(server)
    const client = open(server, room.roomId, room.tokens.participant)
    await client.firstSync
    const events = network()
    followBrowserNetwork(client.provider, events)()
    const before = client.provider.ws
    events.dispatchEvent(new Event('offline'))
    expect(client.provider.ws).toBe(before)
    expect(client.provider.synced).toBe(true)
  })
})
