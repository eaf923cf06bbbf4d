/**
 * Multi-instance mode: two real server processes sharing one PostgreSQL schema and one Redis,
 * with real y-websocket clients on each (some through a TCP load balancer, as in production).
 */
import { Redis } from 'ioredis'
import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/api.ts'
import { startLoadBalancer, type LoadBalancer } from '../helpers/loadBalancer.ts'
import { freshSchema, TEST_REDIS_URL, type TestSchema } from '../helpers/multiInstance.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { pushRecord } from '../helpers/records.ts'
import { getCanvasArray } from '../../shared/schema.ts'

let schema: TestSchema
const servers: ServerProcess[] = []
const clients: TestClient[] = []
const balancers: LoadBalancer[] = []

beforeAll(async () => {
  schema = await freshSchema('multi')
})
afterAll(async () => {
  await schema?.drop()
})
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const balancer of balancers.splice(0)) await balancer.close()
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
})

async function instance(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({ env: { DATABASE_URL: schema.url, REDIS_URL: TEST_REDIS_URL, ...env } })
  servers.push(server)
  return server
}

/** A client connected to `target` (a server, or a load balancer in front of several). */
function open(
  target: Pick<ServerProcess, 'wsOrigin'>,
  roomId: string,
  token: string,
  options?: Parameters<typeof connect>[3],
): TestClient {
  const client = connect(target as ServerProcess, roomId, token, options)
  clients.push(client)
  return client
}

/**
 * The list of edits a test makes: each edit is a board record of its own pushed to the canvas
 * array (a valid write for any editor), read back as its text in array order.
 */
const items = (client: TestClient) => ({
  push: ([text]: [string]) => pushRecord(client.doc, text, { text }),
  get length() {
    return getCanvasArray(client.doc).length
  },
  toArray: () =>
    getCanvasArray(client.doc)
      .toArray()
      .map((entry) => entry.val.text as string),
})

async function metric(server: ServerProcess, line: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const found = text.split('\n').find((l) => l.startsWith(`${line} `))
  return found ? Number(found.slice(line.length + 1)) : NaN
}

describe('two instances', () => {
  it('converge when clients on each edit the same room at once', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room = await createRoom(a)
    const onA = open(a, room.roomId, room.tokens.facilitator)
    const onB = open(b, room.roomId, room.tokens.participant)
    await Promise.all([onA.firstSync, onB.firstSync])
    for (let i = 0; i < 100; i++) {
      items(onA).push([`a${i}`])
      items(onB).push([`b${i}`])
      if (i % 10 === 9) await sleep(1)
    }
    await waitFor(
      () => items(onA).length === 200 && items(onB).length === 200,
      10_000,
      'both clients to hold 200 items',
    )
    expect(items(onA).toArray()).toEqual(items(onB).toArray())
    // Relayed through Redis, own messages dropped.
    expect(await metric(a, 'commonpot_bus_messages_total{event="received"}')).toBeGreaterThan(0)
    expect(await metric(b, 'commonpot_bus_messages_total{event="dropped_own"}')).toBeGreaterThan(0)
    // A third client on either instance, and the store, agree.
    const late = open(b, room.roomId, room.tokens.observer)
    await late.firstSync
    expect(items(late).toArray()).toEqual(items(onA).toArray())
  })

  it("show each other's cursors across instances, and their departure", async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room = await createRoom(a)
    const onA = open(a, room.roomId, room.tokens.participant)
    const onB = open(b, room.roomId, room.tokens.participant)
    await Promise.all([onA.firstSync, onB.firstSync])
    onA.provider.awareness.setLocalStateField('user', { name: 'Amira (A)', cursor: [10, 20] })
    const idA = onA.doc.clientID
    await waitFor(
      () =>
        (onB.provider.awareness.getStates().get(idA) as { user?: { name: string } } | undefined)?.user?.name ===
        'Amira (A)',
      5000,
      "B to see A's cursor",
    )
    onB.provider.awareness.setLocalStateField('user', { name: 'Ben (B)' })
    await waitFor(() => onA.provider.awareness.getStates().has(onB.doc.clientID), 5000, "A to see B's cursor")
    onA.destroy()
    await waitFor(() => !onB.provider.awareness.getStates().has(idA), 5000, 'B to see A leave')
  })

  it("a late instance loads the whole history before its first client's first sync", async () => {
    const a = await instance({ COMPACT_ROWS: '50' })
    const room = await createRoom(a)
    const writer = open(a, room.roomId, room.tokens.facilitator)
    await writer.firstSync
    for (let i = 0; i < 300; i++) {
      items(writer).push([`edit ${i}`])
      if (i % 20 === 19) await sleep(2)
    }
    const witness = open(a, room.roomId, room.tokens.observer)
    await witness.firstSync
    await waitFor(() => items(witness).length === 300, 5000, 'witness on A to see 300 edits')
    // Edits keep coming while B starts and loads the room.
    const b = await instance()
    let atFirstSync = -1
    const reader = open(b, room.roomId, room.tokens.observer, {
      onFirstSync: (doc) => (atFirstSync = getCanvasArray(doc).length),
    })
    await reader.firstSync
    expect(atFirstSync).toBeGreaterThanOrEqual(300)
    items(writer).push(['after B joined'])
    await waitFor(() => items(reader).length === 301, 5000, 'reader on B to see the next edit')
    expect(items(reader).toArray()).toEqual(items(writer).toArray())
  })

  it('moves the clients of a killed instance to the other, losing nothing', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    // The balancer sends every new connection to A while it lives, then to B.
    const balancer = await startLoadBalancer([a.port, b.port], 'first')
    balancers.push(balancer)
    const room = await createRoom(a)
    const movers = [0, 1, 2].map(() => open(balancer, room.roomId, room.tokens.participant))
    const stayer = open(b, room.roomId, room.tokens.participant)
    await Promise.all([...movers, stayer].map((c) => c.firstSync))
    expect(balancer.connectionsTo.get(a.port)).toBe(3)
    movers.forEach((client, n) => {
      for (let i = 0; i < 50; i++) items(client).push([`m${n}-${i}`])
    })
    await waitFor(() => items(stayer).length === 150, 5000, 'the client on B to see the edits made on A')
    // Edits A may or may not have relayed when it dies: its clients resend them to B.
    movers.forEach((client, n) => items(client).push([`m${n}-last`]))
    await a.stop('SIGKILL')
    await waitFor(
      () => movers.every((c) => c.provider.wsconnected) && (balancer.connectionsTo.get(b.port) ?? 0) >= 3,
      10_000,
      'the clients to reconnect through the balancer',
    )
    await waitFor(() => [...movers, stayer].every((c) => items(c).length === 153), 10_000, 'everyone to hold 153 items')
    const expected = [...items(stayer).toArray()].sort()
    for (const client of movers) expect([...items(client).toArray()].sort()).toEqual(expected)
    // And it is all in the shared store: a fresh instance serves it.
    const c = await instance()
    let atFirstSync = -1
    const fresh = open(c, room.roomId, room.tokens.observer, {
      onFirstSync: (doc) => (atFirstSync = getCanvasArray(doc).length),
    })
    await fresh.firstSync
    expect(atFirstSync).toBe(153)
  })

  it("refuses on B a link revoked on A, and closes B's connections holding it", async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room: CreateRoomResponse = await createRoom(a)
    const onB = open(b, room.roomId, room.tokens.participant)
    await onB.firstSync
    const response = await fetch(`${a.origin}/api/rooms/${room.roomId}/invites/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'participant' }),
    })
    expect(response.status).toBe(200)
    const closed = await Promise.race([
      onB.closed,
      sleep(5000).then(() => ({ code: -1, reason: 'still open after 5 s' })),
    ])
    expect(closed.code).toBe(4401)
    // B had the old key id cached: it must refuse the old link now.
    const socket = new WebSocket(
      `${b.wsOrigin}/sync/${room.roomId}?token=${encodeURIComponent(room.tokens.participant)}`,
    )
    const refused = await new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    expect(refused).toBe(4401)
    const rest = await fetch(`${b.origin}/api/rooms/${room.roomId}`, {
      headers: { Authorization: `Bearer ${room.tokens.participant}` },
    })
    expect(rest.status).toBe(401)
    // The new link works on B.
    const { token } = (await response.json()) as { token: string }
    const fresh = open(b, room.roomId, token)
    await fresh.firstSync
  })

  it('refuses on B an organisation’s links revoked on A, closing B’s sockets holding them, and nothing else', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room: CreateRoomResponse = await createRoom(a)
    const make = async (origin: string, path: string, body: Record<string, unknown>) => {
      const response = await fetch(`${origin}/api/rooms/${room.roomId}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      return (await response.json()) as { token: string }
    }
    // Made on B, so B has DWP's key id cached before A rotates it.
    const dwp = await make(b.origin, '/invites', { role: 'participant', organisation: 'DWP', expiresInHours: 1 })
    const police = await make(b.origin, '/invites', {
      role: 'participant',
      organisation: 'Kent Police',
      expiresInHours: 1,
    })
    const onB = open(b, room.roomId, dwp.token)
    const policeOnB = open(b, room.roomId, police.token)
    await Promise.all([onB.firstSync, policeOnB.firstSync])
    const fresh = await make(a.origin, '/invites/revoke', { role: 'participant', organisation: 'DWP' })
    const closed = await Promise.race([
      onB.closed,
      sleep(5000).then(() => ({ code: -1, reason: 'still open after 5 s' })),
    ])
    expect(closed.code).toBe(4401)
    const socket = new WebSocket(`${b.wsOrigin}/sync/${room.roomId}?token=${encodeURIComponent(dwp.token)}`)
    expect(await new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))).toBe(4401)
    expect(
      (await fetch(`${b.origin}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${dwp.token}` } }))
        .status,
    ).toBe(401)
    // The police link and its socket on B are untouched; the fresh DWP link works on B.
    expect(policeOnB.provider.wsconnected).toBe(true)
    expect(
      (await fetch(`${b.origin}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${police.token}` } }))
        .status,
    ).toBe(200)
    await open(b, room.roomId, fresh.token).firstSync
  })

  it('times out, server-side, the cursors of clients whose instance died', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room = await createRoom(a)
    const ghost = open(a, room.roomId, room.tokens.participant)
    const watcher = open(b, room.roomId, room.tokens.participant)
    await Promise.all([ghost.firstSync, watcher.firstSync])
    ghost.provider.awareness.setLocalStateField('user', { name: 'Ghost' })
    const ghostId = ghost.doc.clientID
    await waitFor(() => watcher.provider.awareness.getStates().has(ghostId), 5000, "B to relay the ghost's cursor")
    await a.stop('SIGKILL')
    ghost.destroy()
    const seenBy = async (): Promise<boolean> => {
      const probe = open(b, room.roomId, room.tokens.observer)
      await probe.firstSync
      await sleep(300)
      const seen = probe.provider.awareness.getStates().has(ghostId)
      probe.destroy()
      return seen
    }
    // Right after the crash B still holds the ghost's state (nobody told it otherwise)…
    expect(await seenBy()).toBe(true)
    // …until the awareness timeout (30 s without renewal) removes it on B itself.
    await sleep(34_000)
    expect(await seenBy()).toBe(false)
  })
})

describe('a Redis outage', () => {
  it('is survived: the instance reconnects and catches up from the store on what it missed', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room = await createRoom(a)
    const onA = open(a, room.roomId, room.tokens.participant)
    const onB = open(b, room.roomId, room.tokens.participant)
    await Promise.all([onA.firstSync, onB.firstSync])
    items(onA).push(['before'])
    await waitFor(() => items(onB).length === 1, 5000, 'B to see the first edit')
    // Cut B's subscriber connection, as a Redis restart or a network blip would.
    const busOfB = b.logs.find((l) => l.event === 'bus.connected')?.instance as string
    const redis = new Redis(TEST_REDIS_URL)
    try {
      const list = (await redis.client('LIST')) as string
      const ids = list
        .split('\n')
        .filter((l) => l.includes(`name=commonpot-${busOfB}-sub`))
        .map((l) => /id=(\d+)/.exec(l)![1]!)
      expect(ids).toHaveLength(1)
      await redis.client('KILL', 'ID', ids[0]!)
    } finally {
      redis.disconnect()
    }
    // Published while B was away: B gets these from the store once it is back.
    for (let i = 0; i < 20; i++) items(onA).push([`during ${i}`])
    await waitFor(() => items(onB).length === 21, 10_000, "B's client to catch up")
    expect(items(onB).toArray()).toEqual(items(onA).toArray())
    await waitFor(() => b.logs.some((l) => l.event === 'bus.reconnected'), 5000, 'B to log the reconnect')
    expect(await metric(b, 'commonpot_bus_messages_total{event="reconnects"}')).toBeGreaterThanOrEqual(1)
    items(onA).push(['after'])
    await waitFor(() => items(onB).length === 22, 5000, 'relaying to resume')
  })
})

describe('bad messages on the bus', () => {
  it('are counted and dropped; the instances keep relaying', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    const room = await createRoom(a)
    const onA = open(a, room.roomId, room.tokens.participant)
    const onB = open(b, room.roomId, room.tokens.participant)
    await Promise.all([onA.firstSync, onB.firstSync])
    const redis = new Redis(TEST_REDIS_URL)
    try {
      const channel = `commonpot:room:${room.roomId}`
      const stranger = Buffer.alloc(16, 7)
      await redis.publish(channel, Buffer.from('not a bus message at all'))
      // Right envelope, truncated body.
      await redis.publish(channel, Buffer.concat([Buffer.from([1, 1]), stranger, Buffer.from([5, 200])]))
      // Right envelope, one frame whose Yjs update is garbage.
      await redis.publish(
        channel,
        Buffer.concat([Buffer.from([1, 1]), stranger, Buffer.from([1, 6, 0, 2, 3, 255, 255, 255])]),
      )
      // A key rotation that is not JSON.
      await redis.publish(
        'commonpot:keys',
        Buffer.concat([Buffer.from([1, 2]), stranger, Buffer.from([3, 0x7b, 0x7b, 0x7b])]),
      )
    } finally {
      redis.disconnect()
    }
    items(onA).push(['still relayed'])
    await waitFor(() => items(onB).length === 1, 5000, 'B to keep relaying')
    for (const server of [a, b]) {
      expect(await metric(server, 'commonpot_bus_messages_total{event="malformed"}')).toBeGreaterThanOrEqual(4)
      expect(server.child.exitCode).toBeNull()
    }
    expect(onA.provider.wsconnected && onB.provider.wsconnected).toBe(true)
  })
})

describe('an instance with an unreachable Redis or PostgreSQL', () => {
  it('refuses to start, with a clear message', async () => {
    await expect(startServer({ env: { DATABASE_URL: schema.url, REDIS_URL: 'redis://127.0.0.1:1' } })).rejects.toThrow(
      /REDIS_URL: cannot reach Redis/,
    )
    await expect(startServer({ env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' } })).rejects.toThrow(
      /ECONNREFUSED/,
    )
  })
})
