/**
 * Issue #18, point 7, on the server: the sync endpoint takes its token and user secret from the
 * Sec-WebSocket-Protocol header (and still from `?token=`/`?user=`), answers with `commonpot` and
 * never a credential; /metrics is behind METRICS_TOKEN; /healthz says 503 when the store cannot be
 * read; and no response a token reaches may be cached.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage } from 'node:http'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../../shared/api.ts'
import { getMembersMap, recordMember } from '../../shared/schema.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, testDevice, waitFor, type TestClient } from '../helpers/syncClient.ts'

const METRICS_TOKEN = 'scrape-token-0123456789abcdef'

let server: ServerProcess
let guarded: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  // TRUST_PROXY lets a test speak from another address (X-Forwarded-For) to a server on loopback.
  ;[server, guarded] = await Promise.all([
    startServer({ env: { TRUST_PROXY: 'true' } }),
    startServer({ env: { METRICS_TOKEN } }),
  ])
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([server.stop(), guarded.stop()])
})

interface Opened {
  protocol: string
  /** The headers of the server's 101 answer. */
  upgradeHeaders: IncomingMessage['headers']
  /** The first frame the server sent. */
  first: Buffer
  socket: WebSocket
}

/** Opens a raw `ws` socket and waits for its first frame, or for its close. */
function open(
  url: string,
  protocols: string[] = [],
): Promise<{ ok: true; opened: Opened } | { ok: false; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { perMessageDeflate: false })
    let upgradeHeaders: IncomingMessage['headers'] = {}
    socket.on('upgrade', (response) => {
      upgradeHeaders = response.headers
    })
    socket.once('message', (data: Buffer) =>
      resolve({ ok: true, opened: { protocol: socket.protocol, upgradeHeaders, first: data, socket } }),
    )
    socket.once('close', (code, reason) => resolve({ ok: false, code, reason: reason.toString() }))
    socket.once('error', reject)
  })
}

/** y-websocket's sync step 1, which the server sends first to a connection it admitted. */
const isSyncStep1 = (frame: Buffer) => frame[0] === 0 && frame[1] === 0

describe('sync credentials in the Sec-WebSocket-Protocol header', () => {
  it('admits a token offered as a subprotocol, answering commonpot and never the token', async () => {
    const room = await createRoom(server, 'Hull: credentials in headers')
    const token = room.tokens.participant
    const answer = await open(`${server.wsOrigin}/sync/${room.roomId}`, ['commonpot', `commonpot.token.${token}`])
    if (!answer.ok) throw new Error(`refused: ${answer.code} ${answer.reason}`)
    expect(answer.opened.protocol).toBe('commonpot')
    expect(answer.opened.upgradeHeaders['sec-websocket-protocol']).toBe('commonpot')
    expect(JSON.stringify(answer.opened.upgradeHeaders)).not.toContain(token.split('.')[2]!)
    expect(isSyncStep1(answer.opened.first)).toBe(true)
    answer.opened.socket.close()
  })

  it('refuses a forged or another room’s token offered as a subprotocol with 4401', async () => {
    const room = await createRoom(server, 'Hull: forged header token')
    const other = await createRoom(server, 'Hull: the other room')
    const [header, payload] = room.tokens.facilitator.split('.')
    const forged = `${header}.${payload}.${'A'.repeat(43)}`
    const url = `${server.wsOrigin}/sync/${room.roomId}`
    expect(await open(url, ['commonpot', `commonpot.token.${forged}`])).toEqual({
      ok: false,
      code: CLOSE_CODES.unauthorized,
      reason: 'This invite link is not valid. Ask the facilitator for a new one.',
    })
    expect(await open(url, ['commonpot', `commonpot.token.${other.tokens.facilitator}`])).toEqual({
      ok: false,
      code: CLOSE_CODES.unauthorized,
      reason: 'This invite link is for a different workshop.',
    })
    // Offering commonpot with no credential at all is a missing token, not an open door.
    expect(await open(url, ['commonpot'])).toMatchObject({ ok: false, code: CLOSE_CODES.unauthorized })
  })

  it('still admits ?token= from standard clients, which offer no subprotocol', async () => {
    const room = await createRoom(server, 'Hull: query tokens')
    const answer = await open(
      `${server.wsOrigin}/sync/${room.roomId}?token=${encodeURIComponent(room.tokens.observer)}`,
    )
    if (!answer.ok) throw new Error(`refused: ${answer.code} ${answer.reason}`)
    expect(answer.opened.protocol).toBe('')
    expect(isSyncStep1(answer.opened.first)).toBe(true)
    answer.opened.socket.close()
  })

  it('takes the user secret from the header: the device proves its id and may key its member record', async () => {
    const room = await createRoom(server, 'Hull: keyed by header')
    const device = testDevice('header-device')
    const writer = connect(server, room.roomId, room.tokens.participant, {
      userSecret: device.secret,
      credentialsIn: 'subprotocols',
    })
    clients.push(writer)
    await Promise.race([
      writer.firstSync,
      writer.closed.then(({ code, reason }) => Promise.reject(new Error(`refused: ${code} ${reason}`))),
    ])
    expect(writer.provider.ws?.protocol).toBe('commonpot')
    expect(writer.provider.ws?.url).toBe(`${server.wsOrigin}/sync/${room.roomId}`)
    // Only a connection that proved the id may write a keyed record for it (server/sync/writeGuard.ts).
    recordMember(
      writer.doc,
      device.userId,
      { name: 'Hana', organisation: 'Hull City Council', role: 'participant', keyed: true },
      Date.now(),
    )
    const reader = connect(server, room.roomId, room.tokens.observer)
    clients.push(reader)
    await reader.firstSync
    await waitFor(() => getMembersMap(reader.doc).get(device.userId)?.keyed === true, 5000, 'the keyed member')
    expect(server.logs.map((line) => JSON.stringify(line)).join('\n')).not.toContain(device.secret)
  })
})

describe('GET /metrics', () => {
  it('with METRICS_TOKEN, is refused without its bearer or with another, and served with it', async () => {
    const url = `${guarded.origin}/metrics`
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer not-the-metrics-token-at-all' },
      { Authorization: METRICS_TOKEN },
    ]) {
      const refused = await fetch(url, { headers })
      expect(refused.status).toBe(401)
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
      expect(await refused.json()).toEqual({
        error: { code: 'metrics_unauthorized', message: 'Metrics need the bearer token set as METRICS_TOKEN.' },
      })
    }
    // The token in the query is not a bearer either: a URL is what this issue keeps credentials out of.
    expect((await fetch(`${url}?token=${METRICS_TOKEN}`)).status).toBe(401)
    const served = await fetch(url, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toContain('text/plain')
    expect(await served.text()).toMatch(/^commonpot_peers_connected \d+$/m)
  })

  it('without METRICS_TOKEN, is served to this machine only', async () => {
    const local = await fetch(`${server.origin}/metrics`)
    expect(local.status).toBe(200)
    expect(await local.text()).toContain('commonpot_rooms_loaded')
    const remote = await fetch(`${server.origin}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })
    expect(remote.status).toBe(403)
    expect(((await remote.json()) as { error: { code: string } }).error.code).toBe('metrics_local_only')
  })
})

describe('Cache-Control beyond /api/rooms', () => {
  it('is no-store on the sync endpoint’s refusals, an invite link’s page and any URL with a token', async () => {
    const room = await createRoom(server, 'Hull: caching elsewhere')
    const token = encodeURIComponent(room.tokens.facilitator)
    const answers = await Promise.all(
      [
        `/sync/${room.roomId}?token=${token}`,
        `/sync/${room.roomId}`,
        `/r/${room.roomId}?token=${token}`,
        `/r/${room.roomId}`,
        `/api/time?token=${token}`,
        '/healthz',
      ].map(async (url) => {
        const response = await fetch(server.origin + url)
        await response.arrayBuffer()
        return [url.replace(token, 'TOKEN'), response.headers.get('cache-control')]
      }),
    )
    expect(answers).toEqual([
      [`/sync/${room.roomId}?token=TOKEN`, 'no-store'],
      [`/sync/${room.roomId}`, 'no-store'],
      [`/r/${room.roomId}?token=TOKEN`, 'no-store'],
      [`/r/${room.roomId}`, 'no-store'],
      ['/api/time?token=TOKEN', 'no-store'],
      ['/healthz', 'no-store'],
    ])
  })
})

describe('GET /healthz', () => {
  it('answers 503 with what failed while the SQLite file is not the one being written, 200 again once it is', async () => {
    const broken = await startServer()
    try {
      const health = async () => {
        const response = await fetch(`${broken.origin}/healthz`)
        return { status: response.status, body: (await response.json()) as Record<string, unknown> }
      }
      expect(await health()).toEqual({
        status: 200,
        body: { ok: true, rooms: 0, peers: 0, checks: { store: 'ok' } },
      })
      // The server keeps its file open, so reads through it still work: what breaks is that the
      // file at the path, the one a restart opens, is no longer it. As root (CI), a chmod would not
      // stop a read, so the file is moved away and a directory put in its place.
      const file = path.join(broken.dataDir, 'commonpot.sqlite')
      const aside = `${file}.aside`
      fs.renameSync(file, aside)
      fs.mkdirSync(file)
      const failing = await health()
      expect(failing).toEqual({
        status: 503,
        body: {
          ok: false,
          rooms: 0,
          peers: 0,
          checks: { store: 'unreadable' },
          error: { code: 'store_unavailable', message: 'The store could not be read.' },
        },
      })
      fs.rmdirSync(file)
      expect((await health()).status).toBe(503)
      fs.renameSync(aside, file)
      expect((await health()).status).toBe(200)
      expect(broken.logs.filter((line) => line.event === 'health.store').map((line) => line.health)).toEqual([
        'unreadable',
        'ok',
      ])
    } finally {
      await broken.stop()
    }
  })
})
