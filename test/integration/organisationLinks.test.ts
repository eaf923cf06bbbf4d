/**
 * Invite links bound to an organisation (issue #16): the facilitator makes a participant link for
 * DWP (optionally naming the person); the token carries the organisation, the name and a link id,
 * and the room info tells the browser what its link is bound to. Revoking DWP's links ends those
 * alone (open sockets closed with 4401), while revoking the role ends bound links too. Bodies are
 * refused at the field; tokens from before bound links keep working; organisation keys survive a
 * restart.
 */
import { decodeJwt, SignJWT } from 'jose'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inviteResponseSchema, roomInfoSchema, type CreateRoomResponse, type InviteResponse } from '../../shared/api.ts'
import { startServer, tempDir, TEST_SECRET, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, type TestClient } from '../helpers/syncClient.ts'

let server: ServerProcess
const clients: TestClient[] = []
const sockets: WebSocket[] = []

beforeAll(async () => {
  server = await startServer({ env: { PUBLIC_URL: 'https://commonpot.example.org' } })
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const socket of sockets) socket.terminate()
  await server.stop()
})

const REVOKED = 'This invite link has been revoked. Ask the facilitator for a new one.'
const secret = new TextEncoder().encode(TEST_SECRET)

const open = (s: ServerProcess, roomId: string, token: string): TestClient => {
  const client = connect(s, roomId, token)
  clients.push(client)
  return client
}

function post(s: ServerProcess, pathname: string, token: string, body: unknown): Promise<Response> {
  return fetch(`${s.origin}${pathname}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

const get = (s: ServerProcess, pathname: string, token: string): Promise<Response> =>
  fetch(`${s.origin}${pathname}`, { headers: { Authorization: `Bearer ${token}` } })

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } }
  return { status: response.status, ...body.error }
}

async function invite(
  s: ServerProcess,
  room: CreateRoomResponse,
  body: Record<string, unknown>,
): Promise<InviteResponse> {
  const response = await post(s, `/api/rooms/${room.roomId}/invites`, room.tokens.facilitator, {
    expiresInHours: 24,
    ...body,
  })
  expect(response.status).toBe(201)
  return inviteResponseSchema.parse(await response.json())
}

async function revoke(
  s: ServerProcess,
  room: CreateRoomResponse,
  body: Record<string, unknown>,
  token = room.tokens.facilitator,
): Promise<InviteResponse> {
  const response = await post(s, `/api/rooms/${room.roomId}/invites/revoke`, token, body)
  expect(response.status).toBe(200)
  return inviteResponseSchema.parse(await response.json())
}

const info = async (s: ServerProcess, roomId: string, token: string) =>
  roomInfoSchema.parse(await (await get(s, `/api/rooms/${roomId}`, token)).json())

/** How the server closes a fresh raw socket with `token`, or 'open' when it lets it sync. */
function closeOf(s: ServerProcess, roomId: string, token: string): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(`${s.wsOrigin}/sync/${roomId}?token=${encodeURIComponent(token)}`)
  sockets.push(socket)
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

/** Whether the client is still connected a moment after everything else settled. */
async function stillOpen(client: TestClient): Promise<boolean> {
  const closed = await Promise.race([client.closed.then(() => true), sleep(300).then(() => false)])
  return !closed && client.provider.wsconnected
}

describe('a link bound to an organisation', () => {
  it('carries the organisation, the name and a link id, which reach the room info and the sync server', async () => {
    const room = await createRoom(server)
    const dwp = await invite(server, room, {
      role: 'participant',
      organisation: '  Department for Work and Pensions (DWP) ',
      name: ' Dana Smith ',
    })
    expect(dwp).toMatchObject({
      role: 'participant',
      organisation: 'Department for Work and Pensions (DWP)',
      name: 'Dana Smith',
    })
    expect(dwp.link).toBe(`https://commonpot.example.org/r/${room.roomId}?token=${dwp.token}`)
    const claims = decodeJwt(dwp.token)
    expect(claims).toMatchObject({
      role: 'participant',
      org: 'Department for Work and Pensions (DWP)',
      name: 'Dana Smith',
    })
    expect(claims.lid).toEqual(expect.any(String))
    expect(claims.okid).toEqual(expect.any(String))
    expect(claims.kid).toBe(decodeJwt(room.tokens.participant).kid)

    expect(await info(server, room.roomId, dwp.token)).toMatchObject({
      role: 'participant',
      organisation: 'Department for Work and Pensions (DWP)',
      linkName: 'Dana Smith',
    })
    // The link works over sync.
    await open(server, room.roomId, dwp.token).firstSync

    // A link without a name is bound all the same; a second link of the organisation shares its key id.
    const second = await invite(server, room, {
      role: 'participant',
      organisation: 'Department for Work and Pensions (DWP)',
    })
    expect(second.name).toBeNull()
    expect(decodeJwt(second.token).name).toBeUndefined()
    expect(decodeJwt(second.token).okid).toBe(claims.okid)
    expect(decodeJwt(second.token).lid).not.toBe(claims.lid)
    // A facilitator link can be bound too.
    const kent = await invite(server, room, { role: 'facilitator', organisation: 'Kent County Council' })
    expect(await info(server, room.roomId, kent.token)).toMatchObject({
      role: 'facilitator',
      organisation: 'Kent County Council',
      linkName: null,
    })

    // General links say so, and every link made now has an id of its own.
    const general = await invite(server, room, { role: 'observer' })
    expect(general).toMatchObject({ organisation: null, name: null })
    expect(decodeJwt(general.token).lid).toEqual(expect.any(String))
    expect(decodeJwt(general.token).org).toBeUndefined()
    expect(await info(server, room.roomId, room.tokens.participant)).toMatchObject({
      organisation: null,
      linkName: null,
    })
    // The facilitator's links in the room info are general links.
    const links = (await info(server, room.roomId, room.tokens.facilitator)).links!
    expect(decodeJwt(new URL(links.participant).searchParams.get('token')!).org).toBeUndefined()
  })

  it('is refused with 400 and what is wrong with the field', async () => {
    const room = await createRoom(server)
    const cases: [unknown, string][] = [
      [
        { role: 'observer', expiresInHours: 24, organisation: 'DWP' },
        'organisation can only be given for participant or facilitator links',
      ],
      [{ role: 'participant', expiresInHours: 24, organisation: '   ' }, 'organisation must not be empty'],
      [
        { role: 'participant', expiresInHours: 24, organisation: 'x'.repeat(121) },
        'organisation must be at most 120 characters',
      ],
      [{ role: 'participant', expiresInHours: 24, organisation: 42 }, 'organisation must be text'],
      [{ role: 'participant', expiresInHours: 24, organisation: 'DWP', name: '' }, 'name must not be empty'],
      [
        { role: 'participant', expiresInHours: 24, organisation: 'DWP', name: 'n'.repeat(81) },
        'name must be at most 80 characters',
      ],
    ]
    for (const [body, message] of cases) {
      expect(
        await errorOf(await post(server, `/api/rooms/${room.roomId}/invites`, room.tokens.facilitator, body)),
      ).toEqual({ status: 400, code: 'invalid_request', message })
    }
    expect(
      await errorOf(
        await post(server, `/api/rooms/${room.roomId}/invites/revoke`, room.tokens.facilitator, {
          role: 'observer',
          organisation: 'DWP',
        }),
      ),
    ).toEqual({
      status: 400,
      code: 'invalid_request',
      message: 'organisation can only be given for participant or facilitator links',
    })
    // Nothing was revoked by the refused body.
    expect((await get(server, `/api/rooms/${room.roomId}`, room.tokens.observer)).status).toBe(200)
    // Participants cannot make bound links either.
    expect(
      (
        await errorOf(
          await post(server, `/api/rooms/${room.roomId}/invites`, room.tokens.participant, {
            role: 'participant',
            organisation: 'DWP',
            expiresInHours: 1,
          }),
        )
      ).status,
    ).toBe(403)
  })
})

describe('revoking one organisation’s links', () => {
  it('ends that organisation’s links of the role alone, closing their sockets, and answers a fresh bound link', async () => {
    const room = await createRoom(server)
    const dwp1 = await invite(server, room, { role: 'participant', organisation: 'DWP', name: 'Dana' })
    const dwp2 = await invite(server, room, { role: 'participant', organisation: 'DWP' })
    const police = await invite(server, room, { role: 'participant', organisation: 'Kent Police' })
    const dwpFacilitator = await invite(server, room, { role: 'facilitator', organisation: 'DWP' })
    const onDwp1 = open(server, room.roomId, dwp1.token)
    const onDwp2 = open(server, room.roomId, dwp2.token)
    const onPolice = open(server, room.roomId, police.token)
    const onGeneral = open(server, room.roomId, room.tokens.participant)
    const onDwpFacilitator = open(server, room.roomId, dwpFacilitator.token)
    await Promise.all([onDwp1, onDwp2, onPolice, onGeneral, onDwpFacilitator].map((c) => c.firstSync))

    const fresh = await revoke(server, room, {
      role: 'participant',
      organisation: 'DWP',
      name: 'Dana',
      expiresInHours: 48,
    })
    expect(fresh).toMatchObject({ role: 'participant', organisation: 'DWP', name: 'Dana' })
    expect(decodeJwt(fresh.token).okid).not.toBe(decodeJwt(dwp1.token).okid)
    expect(fresh.expiresAt).toBeGreaterThan(Date.now() + 47 * 3600_000)

    expect(await onDwp1.closed).toEqual({ code: 4401, reason: REVOKED })
    expect(await onDwp2.closed).toEqual({ code: 4401, reason: REVOKED })
    // Other organisations, the general link and DWP's facilitator links stay.
    expect(await stillOpen(onPolice)).toBe(true)
    expect(await stillOpen(onGeneral)).toBe(true)
    expect(await stillOpen(onDwpFacilitator)).toBe(true)

    for (const old of [dwp1.token, dwp2.token]) {
      expect(await closeOf(server, room.roomId, old)).toEqual({ code: 4401, reason: REVOKED })
      expect(await errorOf(await get(server, `/api/rooms/${room.roomId}`, old))).toEqual({
        status: 401,
        code: 'token_revoked',
        message: REVOKED,
      })
    }
    for (const token of [police.token, room.tokens.participant, dwpFacilitator.token])
      expect((await get(server, `/api/rooms/${room.roomId}`, token)).status).toBe(200)
    // The fresh link, and links made afterwards, work.
    await open(server, room.roomId, fresh.token).firstSync
    const later = await invite(server, room, { role: 'participant', organisation: 'DWP' })
    expect(decodeJwt(later.token).okid).toBe(decodeJwt(fresh.token).okid)
    expect(await info(server, room.roomId, later.token)).toMatchObject({ organisation: 'DWP' })

    // An organisation that never had a link can be revoked: the answer is its first link.
    const first = await revoke(server, room, { role: 'participant', organisation: 'NHS Kent and Medway' })
    expect(await info(server, room.roomId, first.token)).toMatchObject({ organisation: 'NHS Kent and Medway' })
    const logged = server.logs.filter((l) => l.event === 'invites.revoked' && l.room === room.roomId)
    expect(logged).toContainEqual(expect.objectContaining({ role: 'participant', bound: true, disconnected: 2 }))
  })

  it('is part of revoking the whole role: bound links of the role end too, other roles’ bound links stay', async () => {
    const room = await createRoom(server)
    const dwp = await invite(server, room, { role: 'participant', organisation: 'DWP' })
    const kent = await invite(server, room, { role: 'facilitator', organisation: 'Kent County Council' })
    const onDwp = open(server, room.roomId, dwp.token)
    const onKent = open(server, room.roomId, kent.token)
    await Promise.all([onDwp.firstSync, onKent.firstSync])

    const fresh = await revoke(server, room, { role: 'participant' })
    expect(fresh).toMatchObject({ organisation: null, name: null })
    expect(await onDwp.closed).toEqual({ code: 4401, reason: REVOKED })
    expect(await stillOpen(onKent)).toBe(true)
    expect(await closeOf(server, room.roomId, dwp.token)).toEqual({ code: 4401, reason: REVOKED })
    expect((await errorOf(await get(server, `/api/rooms/${room.roomId}`, dwp.token))).code).toBe('token_revoked')
    // A DWP link made now carries the role's new key id and works.
    const again = await invite(server, room, { role: 'participant', organisation: 'DWP' })
    expect(decodeJwt(again.token).kid).toBe(decodeJwt(fresh.token).kid)
    await open(server, room.roomId, again.token).firstSync
  })
})

describe('tokens from before bound links', () => {
  it('keep working as general links; a bound token without its key id, or under an old one, does not', async () => {
    const room = await createRoom(server)
    const { kid } = decodeJwt(room.tokens.participant)
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(room.roomId)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret)
    // As the previous release signed them: role and key id, no link id.
    const old = await sign({ role: 'participant', kid })
    expect(await info(server, room.roomId, old)).toMatchObject({
      role: 'participant',
      organisation: null,
      linkName: null,
    })
    await open(server, room.roomId, old).firstSync

    const noOrgKey = await sign({ role: 'participant', kid, org: 'DWP', lid: 'x' })
    expect((await errorOf(await get(server, `/api/rooms/${room.roomId}`, noOrgKey))).code).toBe('token_invalid')
    const wrongOrgKey = await sign({ role: 'participant', kid, org: 'DWP', okid: 'not-the-key', lid: 'y' })
    expect((await errorOf(await get(server, `/api/rooms/${room.roomId}`, wrongOrgKey))).code).toBe('token_revoked')
    expect((await closeOf(server, room.roomId, wrongOrgKey)).code).toBe(4401)
  })
})

describe('organisation key ids', () => {
  it('are kept across a restart: bound links still work, revoked ones stay revoked', async () => {
    const dataDir = tempDir()
    let own = await startServer({ dataDir })
    try {
      const room = await createRoom(own)
      const before = await invite(own, room, { role: 'participant', organisation: 'DWP' })
      const revokedToo = await invite(own, room, { role: 'participant', organisation: 'Kent Police' })
      const fresh = await revoke(own, room, { role: 'participant', organisation: 'Kent Police' })
      await own.stop()
      own = await startServer({ dataDir })
      expect(await info(own, room.roomId, before.token)).toMatchObject({ organisation: 'DWP' })
      expect(await info(own, room.roomId, fresh.token)).toMatchObject({ organisation: 'Kent Police' })
      expect((await errorOf(await get(own, `/api/rooms/${room.roomId}`, revokedToo.token))).code).toBe('token_revoked')
    } finally {
      await own.stop()
    }
  })
})
