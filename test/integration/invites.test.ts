/**
 * Invite links per role: created with an expiry the facilitator picks, revoked by rotating the
 * role's key id (old links fail at once, connected sockets included, with a clear message),
 * facilitator-only REST answering 403 to everyone else, the live title, and rooms stored before
 * key ids existed.
 */
import Database from 'better-sqlite3'
import { decodeJwt, SignJWT } from 'jose'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inviteResponseSchema, roomInfoSchema, type CreateRoomResponse } from '../../shared/api.ts'
import { encodeNewWorkshop } from '../../shared/schema.ts'
import { setWorkshopTitle } from '../../shared/workshopSettings.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, tempDir, TEST_SECRET, type ServerProcess } from '../helpers/serverProcess.ts'
import { getRecord, putRecord } from '../helpers/records.ts'

let server: ServerProcess
const clients: TestClient[] = []
const sockets: WebSocket[] = []
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args)
  clients.push(client)
  return client
}

beforeAll(async () => {
  server = await startServer({ env: { PUBLIC_URL: 'https://commonpot.example.org' } })
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const socket of sockets) socket.terminate()
  await server.stop()
})

const REVOKED = 'This invite link has been revoked. Ask the facilitator for a new one.'
const EXPIRED = 'This invite link has expired. Ask the facilitator for a new one.'
const secret = new TextEncoder().encode(TEST_SECRET)

function api(s: ServerProcess, pathname: string, token: string | null, body?: unknown, raw?: string) {
  const headers: Record<string, string> = {}
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json'
  return fetch(`${s.origin}${pathname}`, {
    method: body !== undefined || raw !== undefined ? 'POST' : 'GET',
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  })
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } }
  return { status: response.status, ...body.error }
}

/** Opens a raw socket and resolves with how the server closed it. */
function closeOf(s: ServerProcess, roomId: string, token: string): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(`${s.wsOrigin}/sync/${roomId}?token=${encodeURIComponent(token)}`)
  sockets.push(socket)
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

const revoke = (s: ServerProcess, room: CreateRoomResponse, role: string, token = room.tokens.facilitator) =>
  api(s, `/api/rooms/${room.roomId}/invites/revoke`, token, { role })

describe('expired links', () => {
  it('are refused with 4401 and their message over sync, and 401 token_expired over REST', async () => {
    const room = await createRoom(server)
    const { kid } = decodeJwt(room.tokens.participant)
    const expired = await new SignJWT({ role: 'participant', kid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(room.roomId)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(secret)
    expect(await closeOf(server, room.roomId, expired)).toEqual({ code: 4401, reason: EXPIRED })
    expect(await errorOf(await api(server, `/api/rooms/${room.roomId}`, expired))).toEqual({
      status: 401,
      code: 'token_expired',
      message: EXPIRED,
    })
    // The real client stops there.
    const client = open(server, room.roomId, expired)
    expect(await client.closed).toEqual({ code: 4401, reason: EXPIRED })
  })
})

describe('creating invite links', () => {
  it('gives the facilitator a working link for a role, lasting the chosen number of hours', async () => {
    const room = await createRoom(server)
    const started = Date.now()
    const response = await api(server, `/api/rooms/${room.roomId}/invites`, room.tokens.facilitator, {
      role: 'observer',
      expiresInHours: 24,
    })
    expect(response.status).toBe(201)
    const invite = inviteResponseSchema.parse(await response.json())
    expect(invite.role).toBe('observer')
    expect(invite.link).toBe(`https://commonpot.example.org/r/${room.roomId}?token=${invite.token}`)
    expect(invite.expiresAt).toBeGreaterThanOrEqual(started + 24 * 3600_000 - 2000)
    expect(invite.expiresAt).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 1000)
    expect(decodeJwt(invite.token).exp! * 1000).toBe(invite.expiresAt)
    const info = roomInfoSchema.parse(await (await api(server, `/api/rooms/${room.roomId}`, invite.token)).json())
    expect(info.role).toBe('observer')
    const client = open(server, room.roomId, invite.token)
    await client.firstSync
  })

  it('refuses bodies that are not right with 400 and what is wrong', async () => {
    const room = await createRoom(server)
    const url = `/api/rooms/${room.roomId}/invites`
    const cases: [unknown, string][] = [
      [{ role: 'admin', expiresInHours: 24 }, 'role must be facilitator, participant or observer'],
      [{ role: 'participant', expiresInHours: 0 }, 'expiresInHours must be at least 1'],
      [{ role: 'participant', expiresInHours: 24 * 90 + 1 }, 'expiresInHours must be at most 2160 (90 days)'],
      [{ role: 'participant', expiresInHours: 1.5 }, 'expiresInHours must be a whole number of hours'],
      [{ role: 'participant' }, 'expiresInHours must be a number of hours'],
    ]
    for (const [body, message] of cases) {
      expect(await errorOf(await api(server, url, room.tokens.facilitator, body))).toEqual({
        status: 400,
        code: 'invalid_request',
        message,
      })
    }
    expect((await errorOf(await api(server, url, room.tokens.facilitator, undefined, 'role=participant'))).code).toBe(
      'bad_json',
    )
    expect((await errorOf(await api(server, `${url}/revoke`, room.tokens.facilitator, {}))).message).toBe(
      'role must be facilitator, participant or observer',
    )
  })
})

describe('facilitator-only REST', () => {
  it('answers 403 with a JSON error to participants and observers, and changes nothing', async () => {
    const room = await createRoom(server)
    for (const role of ['participant', 'observer'] as const) {
      const token = room.tokens[role]
      expect(
        await errorOf(
          await api(server, `/api/rooms/${room.roomId}/invites`, token, { role: 'facilitator', expiresInHours: 24 }),
        ),
      ).toEqual({
        status: 403,
        code: 'forbidden',
        message: 'Only the facilitator can create invite links.',
      })
      expect(await errorOf(await revoke(server, room, 'facilitator', token))).toEqual({
        status: 403,
        code: 'forbidden',
        message: 'Only the facilitator can revoke invite links.',
      })
    }
    // Nothing was revoked.
    for (const token of Object.values(room.tokens))
      expect((await api(server, `/api/rooms/${room.roomId}`, token)).status).toBe(200)
    // And no token at all is a 401, as everywhere.
    expect(
      (
        await errorOf(
          await api(server, `/api/rooms/${room.roomId}/invites`, null, { role: 'observer', expiresInHours: 1 }),
        )
      ).code,
    ).toBe('token_missing')
  })
})

describe('revoking a role’s links', () => {
  it('refuses every old link of the role at once, closing its open sockets, while other roles stay', async () => {
    const room = await createRoom(server)
    const extra = inviteResponseSchema.parse(
      await (
        await api(server, `/api/rooms/${room.roomId}/invites`, room.tokens.facilitator, {
          role: 'participant',
          expiresInHours: 1,
        })
      ).json(),
    )
    const facilitator = open(server, room.roomId, room.tokens.facilitator)
    const participant = open(server, room.roomId, room.tokens.participant)
    const participant2 = open(server, room.roomId, extra.token)
    const observer = open(server, room.roomId, room.tokens.observer)
    await Promise.all([facilitator, participant, participant2, observer].map((c) => c.firstSync))

    const response = await revoke(server, room, 'participant')
    expect(response.status).toBe(200)
    const fresh = inviteResponseSchema.parse(await response.json())
    expect(fresh.role).toBe('participant')
    expect(fresh.token).not.toBe(room.tokens.participant)

    // Open sockets holding the old links are closed with the message; others stay connected.
    expect(await participant.closed).toEqual({ code: 4401, reason: REVOKED })
    expect(await participant2.closed).toEqual({ code: 4401, reason: REVOKED })
    putRecord(facilitator.doc, 'after', { n: 1 })
    await waitFor(() => getRecord(observer.doc, 'after')?.n === 1, 5000, 'observer still live')
    expect(facilitator.provider.wsconnected && observer.provider.wsconnected).toBe(true)

    // Old links: 4401 over sync, 401 token_revoked over REST (exports too).
    for (const old of [room.tokens.participant, extra.token]) {
      expect(await closeOf(server, room.roomId, old)).toEqual({ code: 4401, reason: REVOKED })
      expect(await errorOf(await api(server, `/api/rooms/${room.roomId}`, old))).toEqual({
        status: 401,
        code: 'token_revoked',
        message: REVOKED,
      })
      expect((await errorOf(await api(server, `/api/rooms/${room.roomId}/export?format=json`, old))).code).toBe(
        'token_revoked',
      )
    }
    // The new link works, and so do the other roles' old links.
    const again = open(server, room.roomId, fresh.token)
    await again.firstSync
    expect(getRecord(again.doc, 'after')?.n).toBe(1)
    expect((await api(server, `/api/rooms/${room.roomId}`, room.tokens.observer)).status).toBe(200)
    // The facilitator's links now carry the new key.
    const info = roomInfoSchema.parse(
      await (await api(server, `/api/rooms/${room.roomId}`, room.tokens.facilitator)).json(),
    )
    expect(decodeJwt(new URL(info.links!.participant).searchParams.get('token')!).kid).toBe(decodeJwt(fresh.token).kid)
    const metrics = await (await fetch(`${server.origin}/metrics`)).text()
    expect(metrics).toMatch(/^commonpot_auth_failures_total [1-9]/m)
  })

  it('gives the facilitator who revokes the facilitator role a new token of their own', async () => {
    const room = await createRoom(server)
    const facilitator = open(server, room.roomId, room.tokens.facilitator)
    await facilitator.firstSync
    const renewed = inviteResponseSchema.parse(await (await revoke(server, room, 'facilitator')).json())
    expect(renewed.role).toBe('facilitator')
    expect((await facilitator.closed).code).toBe(4401)
    expect(await errorOf(await api(server, `/api/rooms/${room.roomId}`, room.tokens.facilitator))).toMatchObject({
      status: 401,
      code: 'token_revoked',
    })
    expect((await revoke(server, room, 'observer')).status).toBe(401)
    const info = roomInfoSchema.parse(await (await api(server, `/api/rooms/${room.roomId}`, renewed.token)).json())
    expect(info.role).toBe('facilitator')
    expect((await revoke(server, room, 'observer', renewed.token)).status).toBe(200)
  })
})

describe('the workshop title', () => {
  it('is the document’s current title while the room is loaded, and the stored one after', async () => {
    const dataDir = tempDir()
    const own = await startServer({ dataDir })
    try {
      const room = await createRoom(own, 'Kent pot')
      const facilitator = connect(own, room.roomId, room.tokens.facilitator)
      await facilitator.firstSync
      setWorkshopTitle(
        facilitator.doc,
        'Kent and Medway pot',
        { userId: 'f', name: 'F', organisation: 'Kent County Council' },
        1,
      )
      const title = async () =>
        roomInfoSchema.parse(await (await api(own, `/api/rooms/${room.roomId}`, room.tokens.participant)).json()).title
      await waitFor(() => own.logs.some((l) => l.event === 'room.loaded'), 5000, 'room loaded')
      let seen = ''
      for (let i = 0; i < 100 && seen !== 'Kent and Medway pot'; i++) {
        seen = await title()
        if (seen !== 'Kent and Medway pot') await sleep(20)
      }
      expect(seen).toBe('Kent and Medway pot')
      facilitator.destroy()
      await waitFor(
        () => own.logs.some((l) => l.event === 'room.unloaded' && l.room === room.roomId),
        5000,
        'room unloaded',
      )
      expect(await title()).toBe('Kent and Medway pot')
      await own.stop()
      const again = await startServer({ dataDir })
      try {
        expect(
          roomInfoSchema.parse(await (await api(again, `/api/rooms/${room.roomId}`, room.tokens.observer)).json())
            .title,
        ).toBe('Kent and Medway pot')
      } finally {
        await again.stop()
      }
    } finally {
      await own.stop()
    }
  })
})

describe('rooms stored before key ids', () => {
  it('keep their links working until the facilitator first revokes a role', async () => {
    // A database as the previous release left it: no key id columns, no schema version.
    const dataDir = tempDir()
    const roomId = 'LegacyRoom0123456789abcdefgh'
    const db = new Database(path.join(dataDir, 'commonpot.sqlite'))
    db.exec(`
      CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room_id TEXT NOT NULL REFERENCES rooms(id), data BLOB NOT NULL);
      CREATE INDEX updates_by_room ON updates(room_id, seq);
    `)
    db.prepare('INSERT INTO rooms (id, title, created_at) VALUES (?, ?, ?)').run(roomId, 'Legacy workshop', 1)
    db.prepare('INSERT INTO updates (room_id, data) VALUES (?, ?)').run(
      roomId,
      encodeNewWorkshop({ title: 'Legacy workshop', createdAt: 1 }),
    )
    db.close()
    const legacy = async (role: string) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(roomId)
        .setIssuedAt()
        .setExpirationTime('30d')
        .sign(secret)
    const tokens = {
      facilitator: await legacy('facilitator'),
      participant: await legacy('participant'),
      observer: await legacy('observer'),
    }

    const own = await startServer({ dataDir })
    try {
      const participant = connect(own, roomId, tokens.participant)
      let title: unknown
      participant.provider.on(
        'sync',
        (synced: boolean) => synced && (title = participant.doc.getMap('meta').get('title')),
      )
      await participant.firstSync
      expect(title).toBe('Legacy workshop')
      const info = roomInfoSchema.parse(await (await api(own, `/api/rooms/${roomId}`, tokens.facilitator)).json())
      expect(info.role).toBe('facilitator')
      // Links handed out before the first rotation carry no key id either, and work.
      const linked = new URL(info.links!.observer).searchParams.get('token')!
      expect(decodeJwt(linked).kid).toBeUndefined()
      expect((await api(own, `/api/rooms/${roomId}`, linked)).status).toBe(200)

      const fresh = inviteResponseSchema.parse(
        await (
          await api(own, `/api/rooms/${roomId}/invites/revoke`, tokens.facilitator, { role: 'participant' })
        ).json(),
      )
      expect(decodeJwt(fresh.token).kid).toEqual(expect.any(String))
      expect(await participant.closed).toEqual({ code: 4401, reason: REVOKED })
      participant.destroy()
      expect((await errorOf(await api(own, `/api/rooms/${roomId}`, tokens.participant))).code).toBe('token_revoked')
      for (const token of [tokens.facilitator, tokens.observer, fresh.token])
        expect((await api(own, `/api/rooms/${roomId}`, token)).status).toBe(200)
    } finally {
      await own.stop()
    }
    const after = new Database(path.join(dataDir, 'commonpot.sqlite'), { readonly: true })
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(4)
      const row = after
        .prepare('SELECT facilitator_kid, participant_kid, observer_kid FROM rooms WHERE id = ?')
        .get(roomId)
      expect(row).toEqual({ facilitator_kid: null, participant_kid: expect.any(String), observer_kid: null })
    } finally {
      after.close()
    }
  })
})
