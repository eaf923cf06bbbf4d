/**
 * Memory stays flat: 200 sockets into one room, half of them sending garbage, then all gone;
 * the server's heap returns near where it started. The server runs with the V8 inspector on a
 * loopback port so the test can force a garbage collection and read process.memoryUsage()
 * without any hook in the production code.
 */
import net from 'node:net'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, waitFor } from '../helpers/syncClient.ts'

let server: ServerProcess
let inspector: WebSocket
let nextId = 1

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
    probe.once('error', reject)
  })
}

function call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: T; error?: unknown }
      if (message.id !== id) return
      inspector.off('message', onMessage)
      if (message.error) reject(new Error(JSON.stringify(message.error)))
      else resolve(message.result as T)
    }
    inspector.on('message', onMessage)
    inspector.send(JSON.stringify({ id, method, params }))
  })
}

interface Memory {
  rss: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

async function memory(collect: boolean): Promise<Memory> {
  if (collect) {
    // Twice: the first pass can leave objects with finalizers for the second.
    await call('HeapProfiler.collectGarbage')
    await call('HeapProfiler.collectGarbage')
  }
  const result = await call<{ result: { value: string } }>('Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())',
    returnByValue: true,
  })
  return JSON.parse(result.result.value) as Memory
}

const MB = 1024 * 1024
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10

beforeAll(async () => {
  const inspectPort = await freePort()
  server = await startServer({ env: { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` } })
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string
  }[]
  inspector = new WebSocket(targets[0]!.webSocketDebuggerUrl)
  await new Promise((resolve) => inspector.once('open', resolve))
})

afterAll(async () => {
  inspector?.close()
  await server?.stop()
})

function garbage(i: number): Uint8Array | string {
  switch (i % 4) {
    case 0:
      return Uint8Array.from({ length: 64 + (i % 50) }, (_, k) => (k * 31 + i) & 0xff)
    case 1: {
      // A sync update claiming a 2 GB payload.
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint(encoder, 2)
      encoding.writeVarUint(encoder, 2 ** 31)
      return encoding.toUint8Array(encoder)
    }
    case 2:
      return 'not the protocol'
    default:
      return Uint8Array.of(9, 9, 9)
  }
}

it('holds 200 sockets, half sending garbage, and returns near its baseline memory', async () => {
  const room = await createRoom(server)
  // Warm up: the first room load and sockets allocate code and caches that stay for good.
  const warm = connect(server, room.roomId, room.tokens.participant)
  await warm.firstSync
  warm.destroy()
  await sleep(500)
  const baseline = await memory(true)

  const url = `${server.wsOrigin}/sync/${room.roomId}?token=${encodeURIComponent(room.tokens.participant)}`
  const sockets = Array.from({ length: 200 }, () => new WebSocket(url))
  const closes = sockets.map((s) => new Promise<number>((resolve) => s.once('close', (code: number) => resolve(code))))
  await Promise.all(
    sockets.map((s) => new Promise((resolve, reject) => (s.once('open', resolve), s.once('error', reject)))),
  )
  sockets.forEach((socket, i) => {
    if (i % 2 === 0)
      socket.send(Uint8Array.of(0, 0, 1, 0)) // sync step 1 with an empty state vector: a normal client's hello
    else socket.send(garbage(i))
  })
  const garbageCodes = await Promise.all(closes.filter((_, i) => i % 2 === 1))
  expect(new Set(garbageCodes)).toEqual(new Set([4400]))
  await waitFor(
    () => sockets.every((s, i) => i % 2 === 1 || s.readyState === WebSocket.OPEN),
    5000,
    'well-behaved sockets open',
  )
  const peak = await memory(false)

  // The room is intact for a real client while the others are still connected.
  const check = connect(server, room.roomId, room.tokens.participant)
  await check.firstSync
  expect(check.doc.getMap('meta').get('title')).toBe('Swindon families: agreeing the virtual pot')
  check.destroy()

  for (const socket of sockets) socket.close()
  await Promise.all(closes)
  // Let the room's grace period (200 ms in tests) pass so it unloads.
  await waitFor(() => server.logs.filter((l) => l.event === 'room.unloaded').length >= 2, 10_000, 'room unload')
  const after = await memory(true)

  const used = (m: Memory) => m.heapUsed + m.external + m.arrayBuffers
  console.log(
    `memory (MB) heap+external: baseline ${mb(used(baseline))}, peak ${mb(used(peak))}, after ${mb(used(after))}; ` +
      `rss: baseline ${mb(baseline.rss)}, peak ${mb(peak.rss)}, after ${mb(after.rss)}`,
  )
  expect(used(after)).toBeLessThan(used(baseline) + 4 * MB)
  expect(server.logs.filter((l) => l.event === 'sync.bad_frame').length).toBe(100)
})
