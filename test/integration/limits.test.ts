/**
 * The configurable limits (server/sync/limits.ts) against the real server: each one triggers,
 * does what docs/architecture.md says (drop, or close with the documented code), is counted in
 * /metrics, and leaves the room and well-behaved clients alone.
 */
import net from 'node:net'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/api.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { pushRecord, recordCount } from '../helpers/records.ts'

const clients: TestClient[] = []
const sockets: WebSocket[] = []
const servers: ServerProcess[] = []

async function serverWith(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ env })
  servers.push(server)
  return server
}

afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const socket of sockets) socket.terminate()
  await Promise.all(servers.map((s) => s.stop()))
})

function open(server: ServerProcess, roomId: string, token: string): TestClient {
  const client = connect(server, roomId, token)
  clients.push(client)
  return client
}

function rawSocket(server: ServerProcess, roomId: string, token: string): WebSocket {
  const socket = new WebSocket(`${server.wsOrigin}/sync/${roomId}?token=${encodeURIComponent(token)}`)
  sockets.push(socket)
  return socket
}

const opened = (socket: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
const closedWith = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  )

/** A y-websocket update frame carrying one small change: a board record of its own (valid for anyone who edits). */
function updateFrame(i: number, padding = ''): Uint8Array {
  const doc = new Y.Doc()
  pushRecord(doc, `k${i}`, { value: `value ${i}${padding}` })
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc))
  doc.destroy()
  return encoding.toUint8Array(encoder)
}

function awarenessFrame(awareness: Awareness): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]))
  return encoding.toUint8Array(encoder)
}

async function limitCount(server: ServerProcess, limit: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const match = text.match(new RegExp(`^commonpot_limits_triggered_total\\{limit="${limit}"\\} (\\d+)$`, 'm'))
  if (!match) throw new Error(`no ${limit} counter in /metrics`)
  return Number(match[1])
}

describe('messages and bytes per second (token bucket per connection)', () => {
  let server: ServerProcess
  let room: CreateRoomResponse
  beforeAll(async () => {
    server = await serverWith({
      RATE_MESSAGES_PER_SECOND: '20',
      RATE_MESSAGE_BURST: '30',
      RATE_BYTES_PER_SECOND: '4096',
      RATE_BYTE_BURST: '65536',
      MAX_MESSAGE_BYTES: '65536',
    })
    room = await createRoom(server)
  })

  it('drops a flood of awareness messages with a warning, and keeps the connection', async () => {
    const socket = rawSocket(server, room.roomId, room.tokens.participant)
    await opened(socket)
    const awareness = new Awareness(new Y.Doc())
    for (let i = 0; i < 100; i++) {
      awareness.setLocalState({ user: { name: 'Flooder' }, n: i })
      socket.send(awarenessFrame(awareness))
    }
    await waitFor(
      () => server.logs.some((l) => l.event === 'sync.limit' && l.limit === 'message_rate'),
      5000,
      'rate limit warning',
    )
    expect(await limitCount(server, 'message_rate')).toBeGreaterThan(0)
    await sleep(300)
    expect(socket.readyState).toBe(WebSocket.OPEN)
    awareness.destroy()
  })

  it('slows a connection that floods document updates instead of closing it: every update arrives', async () => {
    const watcher = open(server, room.roomId, room.tokens.facilitator)
    await watcher.firstSync
    const before = recordCount(watcher.doc)
    const socket = rawSocket(server, room.roomId, room.tokens.facilitator)
    await opened(socket)
    let closed = false
    socket.once('close', () => {
      closed = true
    })
    const throttledBefore = await limitCount(server, 'message_rate')
    const started = performance.now()
    // 30 in the burst, then 20 per second: 70 more take about 3.5 s.
    for (let i = 0; i < 100; i++) socket.send(updateFrame(i))
    await waitFor(() => recordCount(watcher.doc) === before + 100, 10_000, 'all 100 updates to reach the watcher')
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThan(3000)
    expect(closed).toBe(false)
    expect(socket.readyState).toBe(WebSocket.OPEN)
    expect(await limitCount(server, 'message_rate')).toBeGreaterThan(throttledBefore)
    socket.close()
  })

  it('slows a connection that sends more bytes than its bucket holds, and keeps every byte', async () => {
    const watcher = open(server, room.roomId, room.tokens.facilitator)
    await watcher.firstSync
    const before = recordCount(watcher.doc)
    const throttledBefore = await limitCount(server, 'byte_rate')
    const socket = rawSocket(server, room.roomId, room.tokens.facilitator)
    await opened(socket)
    const padding = 'x'.repeat(20_000)
    // 80 kB against a 64 KiB burst refilling at 4 KiB/s: the last one waits about 3.5 s.
    for (let i = 0; i < 4; i++) socket.send(updateFrame(1000 + i, padding))
    await waitFor(() => recordCount(watcher.doc) === before + 4, 20_000, 'the padded updates to arrive')
    expect(socket.readyState).toBe(WebSocket.OPEN)
    expect(await limitCount(server, 'byte_rate')).toBeGreaterThan(throttledBefore)
    socket.close()
  })
})

describe('a plain y-websocket client sending as fast as it can (backpressure)', () => {
  it('delivers every one of 2,000 separate edits to a second client, with default limits, and never closes the sender', async () => {
    const server = await serverWith({})
    const room = await createRoom(server)
    const sender = open(server, room.roomId, room.tokens.facilitator)
    const receiver = open(server, room.roomId, room.tokens.facilitator)
    await Promise.all([sender.firstSync, receiver.firstSync])
    const closes: number[] = []
    sender.provider.on('connection-close', (event) => closes.push(event?.code ?? 0))
    const EDITS = 2000
    const started = performance.now()
    // Each call is its own transaction, so the provider sends 2,000 separate update messages.
    for (let i = 0; i < EDITS; i++) pushRecord(sender.doc, `burst-${i}`, { value: `edit ${i}` })
    const sent = performance.now() - started
    await waitFor(() => recordCount(receiver.doc) === EDITS, 30_000, 'every edit to reach the second client')
    const delivered = performance.now() - started
    expect(closes).toEqual([])
    expect(sender.provider.wsconnected).toBe(true)
    expect(await limitCount(server, 'message_rate')).toBeGreaterThan(0)
    console.log(
      `backpressure: ${EDITS} edits sent in ${sent.toFixed(0)} ms, all ${recordCount(receiver.doc)} delivered in ${delivered.toFixed(0)} ms`,
    )
  }, 40_000)
})

describe('connections per address and per room', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await serverWith({ MAX_CONNECTIONS_PER_IP: '4', MAX_CONNECTIONS_PER_ROOM: '2' })
  })

  it('refuses the connection past the room cap with 1013 "this workshop is full", and frees the slot on close', async () => {
    const room = await createRoom(server)
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    const third = rawSocket(server, room.roomId, room.tokens.participant)
    expect(await closedWith(third)).toEqual({ code: 1013, reason: 'this workshop is full' })
    expect(await limitCount(server, 'connections_per_room')).toBeGreaterThan(0)
    a.destroy()
    await sleep(200)
    const replacement = open(server, room.roomId, room.tokens.participant)
    await replacement.firstSync
    replacement.destroy()
    b.destroy()
  })

  it('refuses the connection past the address cap with 1013, across rooms', async () => {
    await sleep(200)
    const rooms = await Promise.all([createRoom(server), createRoom(server), createRoom(server)])
    const held = [
      open(server, rooms[0].roomId, rooms[0].tokens.participant),
      open(server, rooms[0].roomId, rooms[0].tokens.participant),
      open(server, rooms[1].roomId, rooms[1].tokens.participant),
      open(server, rooms[1].roomId, rooms[1].tokens.participant),
    ]
    await Promise.all(held.map((c) => c.firstSync))
    const fifth = rawSocket(server, rooms[2].roomId, rooms[2].tokens.participant)
    expect(await closedWith(fifth)).toEqual({ code: 1013, reason: 'too many connections from this address' })
    expect(await limitCount(server, 'connections_per_ip')).toBeGreaterThan(0)
    for (const c of held) c.destroy()
  })
})

describe('awareness size and silent sockets', () => {
  let server: ServerProcess
  let room: CreateRoomResponse
  beforeAll(async () => {
    server = await serverWith({ MAX_AWARENESS_BYTES: '2048', HANDSHAKE_TIMEOUT_MS: '400' })
    room = await createRoom(server)
  })

  it('drops an awareness state over the size limit, keeps the connection, and relays the next normal one', async () => {
    const a = open(server, room.roomId, room.tokens.participant)
    const b = open(server, room.roomId, room.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    const seenByB = () =>
      b.provider.awareness.getStates().get(a.doc.clientID) as { name?: string; blob?: string } | undefined
    a.provider.awareness.setLocalState({ name: 'Alex', blob: 'x'.repeat(4000) })
    await waitFor(
      () => server.logs.some((l) => l.event === 'sync.limit' && l.limit === 'awareness_size'),
      5000,
      'awareness size warning',
    )
    expect(seenByB()?.blob).toBeUndefined()
    expect(await limitCount(server, 'awareness_size')).toBeGreaterThan(0)
    a.provider.awareness.setLocalState({ name: 'Alex (Swindon Borough Council)' })
    await waitFor(() => seenByB()?.name === 'Alex (Swindon Borough Council)', 5000, 'the small state to arrive')
    expect(a.provider.wsconnected).toBe(true)
  })

  it('closes a websocket that sends nothing after opening with 1013 (retried); real clients speak at once and stay', async () => {
    const silent = rawSocket(server, room.roomId, room.tokens.participant)
    const closed = closedWith(silent)
    const real = open(server, room.roomId, room.tokens.participant)
    await real.firstSync
    const { code } = await closed
    expect(code).toBe(1013)
    expect(await limitCount(server, 'first_message_timeout')).toBeGreaterThan(0)
    await sleep(600)
    expect(real.provider.wsconnected).toBe(true)
  })

  it('cuts off a client that never finishes its HTTP request headers', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: server.port })
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write(`GET /sync/${room.roomId} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n`)
    const started = Date.now()
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    await new Promise<void>((resolve) => socket.once('close', () => resolve()))
    expect(answer).toMatch(/^HTTP\/1.1 408/)
    // Headers timeout (400 ms) plus Node's checking interval; well under its 60 s default.
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('loaded rooms (least recently used unload)', () => {
  let server: ServerProcess
  beforeAll(async () => {
    // A long grace period: without the cap, idle rooms would all stay loaded for a minute.
    server = await serverWith({ MAX_LOADED_ROOMS: '2', ROOM_GRACE_MS: '60000' })
  })

  const loadedRooms = async () => ((await (await fetch(`${server.origin}/healthz`)).json()) as { rooms: number }).rooms
  const unloaded = (roomId: string) => server.logs.some((l) => l.event === 'room.unloaded' && l.room === roomId)

  it('unloads the least recently used idle room to load a new one, and refuses with 1013 when every room is in use', async () => {
    const [a, b, c] = await Promise.all([createRoom(server), createRoom(server), createRoom(server)])
    for (const room of [a, b]) {
      const visit = open(server, room.roomId, room.tokens.participant)
      await visit.firstSync
      visit.destroy()
      await sleep(100)
    }
    expect(await loadedRooms()).toBe(2)
    const inC = open(server, c.roomId, c.tokens.participant)
    await inC.firstSync
    await waitFor(() => unloaded(a.roomId), 5000, 'room A (idle longest) to unload')
    expect(unloaded(b.roomId)).toBe(false)
    expect(await loadedRooms()).toBe(2)
    expect(await limitCount(server, 'loaded_rooms')).toBe(1)

    const inB = open(server, b.roomId, b.tokens.participant)
    await inB.firstSync
    // B and C are both in use now: A cannot be loaded, and nobody in B or C is disturbed.
    const refused = rawSocket(server, a.roomId, a.tokens.participant)
    expect(await closedWith(refused)).toEqual({ code: 1013, reason: 'the server is busy; retrying' })
    expect(await limitCount(server, 'loaded_rooms')).toBe(2)
    expect(inB.provider.wsconnected && inC.provider.wsconnected).toBe(true)

    // Once B empties, A loads again, and what was stored in it is all there.
    inB.destroy()
    await sleep(100)
    const back = open(server, a.roomId, a.tokens.participant)
    await back.firstSync
    expect(back.doc.getMap('meta').get('title')).toBe('Swindon families: agreeing the virtual pot')
  })
})
