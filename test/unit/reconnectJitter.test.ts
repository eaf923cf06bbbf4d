import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { addReconnectJitter, jitteredDelay, RECONNECT_BACKOFF } from '../../client/sync/reconnectJitter.ts'

/** The delay y-websocket itself would wait after its n-th unsuccessful connection. */
const libraryDelay = (attempt: number) => Math.min(2 ** attempt * 100, 2500)

describe('reconnect jitter', () => {
  it('stays within [0, the exponential ceiling] and never above what the library would wait', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(RECONNECT_BACKOFF.capMs, RECONNECT_BACKOFF.baseMs * 2 ** attempt)
      expect(ceiling).toBeLessThanOrEqual(libraryDelay(attempt))
      for (let i = 0; i < 500; i++) {
        const delay = jitteredDelay(attempt)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(ceiling)
      }
    }
    expect(jitteredDelay(1, () => 0)).toBe(0)
    expect(jitteredDelay(1, () => 0.999_999)).toBe(200)
    expect(jitteredDelay(3, () => 0.5)).toBe(400)
    expect(jitteredDelay(1000, () => 0.999_999)).toBe(RECONNECT_BACKOFF.capMs)
    // A source that strays outside [0, 1) cannot push a delay out of bounds.
    expect(jitteredDelay(2, () => 7)).toBe(400)
    expect(jitteredDelay(2, () => -1)).toBe(0)
  })

  it('spreads the delays of clients that failed together over the whole window', () => {
    const attempt = 5
    const ceiling = Math.min(RECONNECT_BACKOFF.capMs, RECONNECT_BACKOFF.baseMs * 2 ** attempt)
    const delays = Array.from({ length: 2000 }, () => jitteredDelay(attempt))
    expect(new Set(delays).size).toBeGreaterThan(500)
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length
    expect(mean).toBeGreaterThan(ceiling * 0.4)
    expect(mean).toBeLessThan(ceiling * 0.6)
    // Each tenth of the window gets its share: no clustering at either end.
    const buckets = new Array<number>(10).fill(0)
    for (const d of delays) buckets[Math.min(9, Math.floor((d / ceiling) * 10))]!++
    for (const n of buckets) expect(n).toBeGreaterThan(100)
  })
})

describe('reconnect jitter on a real y-websocket provider', () => {
  let server: WebSocketServer | undefined
  let provider: WebsocketProvider | undefined
  afterEach(async () => {
    provider?.destroy()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  })

  it('makes the library wait the jittered delays instead of its own', async () => {
    // A server that turns every connection away at once: the client keeps retrying.
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()))
    const arrivals: number[] = []
    server.on('connection', (socket) => {
      arrivals.push(performance.now())
      socket.close(1011, 'go away')
    })
    const { port } = server.address() as { port: number }
    provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, 'jitter', new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      connect: false,
    })
    const used: number[] = []
    addReconnectJitter(provider, () => 0.05)
    provider.on('connection-close', () => queueMicrotask(() => used.push(provider!.maxBackoffTime)))
    provider.connect()
    const started = performance.now()
    while (arrivals.length < 5 && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5))
    expect(arrivals.length).toBe(5)
    // Retries after the 1st…4th failure: 10, 20, 40, 80 ms where the library alone waits 200, 400, 800, 1600.
    expect(used.slice(0, 4)).toEqual([10, 20, 40, 80])
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!)
    gaps.forEach((gap, i) => expect(gap).toBeLessThan(libraryDelay(i + 1)))
    expect(arrivals[4]! - arrivals[0]!).toBeLessThan(1000)
  })
})
