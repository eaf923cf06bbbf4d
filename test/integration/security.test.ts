/**
 * Who may connect and what a bad client can break: tokens, observers, malformed and oversized
 * frames, slow consumers. Raw `ws` sockets play the misbehaving clients.
 */
import { SignJWT } from 'jose'
import * as encoding from 'lib0/encoding'
import path from 'node:path'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, TEST_SECRET, type ServerProcess } from '../helpers/serverProcess.ts'
import { getRecord, hasRecord, putRecord, recordsJson, recordId } from '../helpers/records.ts'

let server: ServerProcess
const clients: TestClient[] = []
const sockets: WebSocket[] = []
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args)
  clients.push(client)
  return client
}

const MAX_MESSAGE_BYTES = 64 * 1024

beforeAll(async () => {
  server = await startServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } })
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const socket of sockets) socket.terminate()
  await server.stop()
})

function rawSocket(roomId: string, token: string | null): WebSocket {
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  const socket = new WebSocket(`${server.wsOrigin}/sync/${roomId}${query}`)
  sockets.push(socket)
  return socket
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

async function openSocket(roomId: string, token: string): Promise<WebSocket> {
  const socket = rawSocket(roomId, token)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return socket
}

/** A connected pair of clients in one room, to prove the room carries on. */
async function pair(roomId: string, token: string) {
  const a = open(server, roomId, token)
  const b = open(server, roomId, token)
  await Promise.all([a.firstSync, b.firstSync])
  return { a, b }
}

async function stillSyncing(a: TestClient, b: TestClient, value: string) {
  putRecord(a.doc, 'check', { value })
  await waitFor(() => getRecord(b.doc, 'check')?.value === value, 5000, `value ${value} to reach b`)
}

describe('tokens', () => {
  it('refuses a missing, forged, expired or other-room token with 4401', async () => {
    const room = await createRoom(server)
    const other = await createRoom(server)
    const forged = await new SignJWT({ role: 'facilitator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(room.roomId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-server-secret-at-all-0123456789'))
    const expired = await new SignJWT({ role: 'participant' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(room.roomId)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_SECRET))
    const codes = await Promise.all(
      [null, forged, expired, other.tokens.participant, 'not-a-jwt'].map((token) =>
        closeCode(rawSocket(room.roomId, token)),
      ),
    )
    expect(codes).toEqual([4401, 4401, 4401, 4401, 4401])

    // The real client stops retrying after a 44xx close.
    const client = open(server, room.roomId, other.tokens.facilitator)
    expect((await client.closed).code).toBe(4401)
  })

  it('tells a refused client why, in words, in the 4401 close reason', async () => {
    const room = await createRoom(server)
    const other = await createRoom(server)
    const reasonOf = (token: string | null) =>
      new Promise<string>((resolve) =>
        rawSocket(room.roomId, token).once('close', (_code: number, reason: Buffer) => resolve(reason.toString())),
      )
    expect(await reasonOf(null)).toBe('This link has no access token. Ask the facilitator for an invite link.')
    expect(await reasonOf('not-a-jwt')).toBe('This invite link is not valid. Ask the facilitator for a new one.')
    expect(await reasonOf(other.tokens.participant)).toBe('This invite link is for a different workshop.')
  })

  it('answers 4404 for a room that does not exist', async () => {
    const missing = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA'
    const token = await new SignJWT({ role: 'participant' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(missing)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET))
    expect(await closeCode(rawSocket(missing, token))).toBe(4404)
  })

  it('accepts the token as a Bearer header too', async () => {
    const room = await createRoom(server)
    const socket = new WebSocket(`${server.wsOrigin}/sync/${room.roomId}`, {
      headers: { Authorization: `Bearer ${room.tokens.observer}` },
    })
    sockets.push(socket)
    const first = await new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)))
    expect(first[0]).toBe(0) // sync step 1
    socket.close()
  })
})

describe('observers', () => {
  it('never lets an observer update reach others or storage, but shows them everything live', async () => {
    const room = await createRoom(server)
    const { a } = await pair(room.roomId, room.tokens.participant)
    const observer = open(server, room.roomId, room.tokens.observer)
    await observer.firstSync
    putRecord(observer.doc, 'sneaky', { n: 1 })
    putRecord(a.doc, 'fair', { n: 2 })
    await waitFor(() => getRecord(observer.doc, 'fair')?.n === 2, 5000, 'observer to see live edits')
    await sleep(300)
    expect(hasRecord(a.doc, 'sneaky')).toBe(false)

    // And nothing reached storage: a fresh client after the room is flushed does not see it.
    const fresh = open(server, room.roomId, room.tokens.participant)
    await fresh.firstSync
    expect(recordsJson(fresh.doc)).toEqual({ [recordId('fair')]: { id: recordId('fair'), typeName: 'shape', n: 2 } })
    const metrics = await (await fetch(`${server.origin}/metrics`)).text()
    expect(metrics).toMatch(/commonpot_observer_writes_denied_total [1-9]/)
  })

  it('answers an observer update with auth permission-denied', async () => {
    const room = await createRoom(server)
    const socket = await openSocket(room.roomId, room.tokens.observer)
    const frames: Buffer[] = []
    socket.on('message', (data: Buffer) => frames.push(data))
    // A real (non-empty) update from a scratch document.
    const { Doc, encodeStateAsUpdate } = await import('yjs')
    const scratch = new Doc()
    scratch.getMap('pot').set('x', 1)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 2)
    encoding.writeVarUint8Array(encoder, encodeStateAsUpdate(scratch))
    socket.send(encoding.toUint8Array(encoder))
    await waitFor(() => frames.some((f) => f[0] === 2 && f[1] === 0), 5000, 'permission denied frame')
    expect(socket.readyState).toBe(WebSocket.OPEN)
  })
})

describe('bad input', () => {
  const malformed: Record<string, Uint8Array> = {
    'unknown message type': Uint8Array.from([9, 1, 2]),
    'truncated sync payload': Uint8Array.from([0, 2, 50, 1, 2]),
    'garbage update': Uint8Array.from([0, 2, 4, 255, 255, 255, 255]),
    'bad awareness json': (() => {
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, 12345)
      encoding.writeVarUint(inner, 1)
      encoding.writeVarString(inner, '{not json')
      const outer = encoding.createEncoder()
      encoding.writeVarUint(outer, 1)
      encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
      return encoding.toUint8Array(outer)
    })(),
    'trailing bytes': Uint8Array.from([3, 7, 7]),
  }

  for (const [name, frame] of Object.entries(malformed)) {
    it(`closes only the sender of a frame with ${name} (4400)`, async () => {
      const room = await createRoom(server)
      const { a, b } = await pair(room.roomId, room.tokens.participant)
      const bad = await openSocket(room.roomId, room.tokens.participant)
      const code = closeCode(bad)
      bad.send(frame)
      expect(await code).toBe(4400)
      await stillSyncing(a, b, name)
      const health = await fetch(`${server.origin}/healthz`)
      expect(health.status).toBe(200)
    })
  }

  it('closes a text frame with 4400', async () => {
    const room = await createRoom(server)
    const bad = await openSocket(room.roomId, room.tokens.participant)
    const code = closeCode(bad)
    bad.send('hello')
    expect(await code).toBe(4400)
  })

  it('closes an oversized frame with 1009 while the room carries on', async () => {
    const room = await createRoom(server)
    const { a, b } = await pair(room.roomId, room.tokens.participant)
    const bad = await openSocket(room.roomId, room.tokens.participant)
    const code = closeCode(bad)
    bad.send(new Uint8Array(MAX_MESSAGE_BYTES + 1))
    expect(await code).toBe(1009)
    await stillSyncing(a, b, 'after oversized')
    const metrics = await (await fetch(`${server.origin}/metrics`)).text()
    expect(metrics).toMatch(/commonpot_oversized_frames_total [1-9]/)
  })

  it('closes a consumer that stops reading once its unsent buffer passes the bound', async () => {
    const slowServer = await startServer({ env: { MAX_BUFFERED_BYTES: String(64 * 1024) } })
    try {
      const room = await createRoom(slowServer)
      const writer = connect(slowServer, room.roomId, room.tokens.participant)
      clients.push(writer)
      await writer.firstSync
      const slow = new WebSocket(
        `${slowServer.wsOrigin}/sync/${room.roomId}?token=${encodeURIComponent(room.tokens.participant)}`,
      )
      sockets.push(slow)
      await new Promise((r) => slow.once('open', r))
      const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()))
      // Stop reading: the kernel buffers fill, then the server's send buffer grows.
      ;(slow as unknown as { _socket: { pause(): void } })._socket.pause()
      const big = 'x'.repeat(16 * 1024)
      let closedYet = false
      void closed.then(() => (closedYet = true))
      for (let i = 0; i < 2000 && !closedYet; i++) {
        putRecord(writer.doc, `k${i}`, { big })
        if (i % 20 === 19) await sleep(5)
      }
      ;(slow as unknown as { _socket: { resume(): void } })._socket.resume()
      await closed
      await waitFor(() => slowServer.logs.some((l) => l.event === 'sync.slow_consumer'), 5000, 'slow consumer log')
      // The writer itself is unaffected.
      expect(writer.provider.wsconnected).toBe(true)
    } finally {
      await slowServer.stop()
    }
  })
})

describe('observer writes and storage', () => {
  it('stores nothing for a room an observer wrote to', async () => {
    const room = await createRoom(server)
    const observer = open(server, room.roomId, room.tokens.observer)
    await observer.firstSync
    putRecord(observer.doc, 'sneaky', { n: 1 })
    await sleep(300)
    const db = new Database(path.join(server.dataDir, 'commonpot.sqlite'), { readonly: true })
    const rows = (db.prepare('SELECT count(*) AS n FROM updates WHERE room_id = ?').get(room.roomId) as { n: number }).n
    db.close()
    expect(rows).toBe(1) // the room's initial state only
  })
})
