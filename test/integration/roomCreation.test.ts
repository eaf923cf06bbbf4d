/**
 * Who may create a workshop (issue #18, point 5), against the real server: an organiser key in
 * ROOM_CREATION=key mode, a limit per address per hour in either mode, JSON only, and no
 * requests a browser makes for another website.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiErrorSchema, createRoomResponseSchema, serverConfigSchema } from '../../shared/api.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'

const servers: ServerProcess[] = []

async function serverWith(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ env })
  servers.push(server)
  return server
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
})

const JSON_TYPE = { 'Content-Type': 'application/json' }

function post(
  server: ServerProcess,
  headers: Record<string, string> = JSON_TYPE,
  body = JSON.stringify({ title: 'Swindon families workshop' }),
): Promise<Response> {
  return fetch(`${server.origin}/api/rooms`, { method: 'POST', headers, body })
}

async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = apiErrorSchema.parse(await response.json())
  return { status: response.status, ...error }
}

const created = (server: ServerProcess) => server.logs.filter((l) => l.event === 'room.created').length

async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  if (!line) throw new Error(`no ${name} in /metrics`)
  return Number(line.split(' ')[1])
}

describe('open mode (the default)', () => {
  const PUBLIC_URL = 'https://commonpot.example.org'
  let server: ServerProcess
  beforeAll(async () => {
    server = await serverWith({ PUBLIC_URL })
  })

  it('tells the create page that no organiser key is needed, and creates a workshop without one', async () => {
    const config = await fetch(`${server.origin}/api/config`)
    expect(config.headers.get('cache-control')).toBe('no-store')
    expect(serverConfigSchema.parse(await config.json())).toEqual({ roomCreation: 'open' })
    expect((await post(server)).status).toBe(201)
    // A key sent anyway is not read: a client that always sends one still works here.
    expect((await post(server, { ...JSON_TYPE, Authorization: 'Bearer not-a-key' })).status).toBe(201)
  })

  it('answers 415 to a body not declared as JSON, even when it is JSON', async () => {
    const before = created(server)
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      expect(await refusal(await post(server, { 'Content-Type': type }))).toMatchObject({
        status: 415,
        code: 'unsupported_media_type',
        message: 'The request body must be JSON, sent with the header Content-Type: application/json.',
      })
    }
    // No Content-Type at all (fetch sends a string body as text/plain; a Blob without a type sends none).
    const untyped = await fetch(`${server.origin}/api/rooms`, {
      method: 'POST',
      body: new Blob([JSON.stringify({ title: 'No type' })]),
    })
    expect((await refusal(untyped)).status).toBe(415)
    expect(created(server)).toBe(before)
    expect((await post(server, { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(201)
  })

  it('answers 403 when the browser says the request is cross-site, and accepts same-origin, same-site and none', async () => {
    const before = created(server)
    expect(await refusal(await post(server, { ...JSON_TYPE, 'Sec-Fetch-Site': 'cross-site' }))).toMatchObject({
      status: 403,
      code: 'cross_site_request',
    })
    // What another website's form or text/plain fetch sends: refused before anything is read.
    const forged = await post(
      server,
      { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
      '{"title": "Made by another site"}',
    )
    expect((await refusal(forged)).status).toBe(403)
    expect(created(server)).toBe(before)
    for (const site of ['same-origin', 'same-site', 'none'])
      expect((await post(server, { ...JSON_TYPE, 'Sec-Fetch-Site': site })).status, site).toBe(201)
  })

  it('answers 403 to a foreign Origin, and accepts its own and PUBLIC_URL as Origin', async () => {
    const before = created(server)
    const otherPort = `http://127.0.0.1:${server.port === 65535 ? 1 : server.port + 1}`
    for (const origin of [
      'https://evil.example',
      otherPort,
      'null',
      'http://commonpot.example.org',
      'https://commonpot.example.org.evil.example',
      'not a url',
    ]) {
      const answer = await refusal(await post(server, { ...JSON_TYPE, Origin: origin }))
      expect(answer, origin).toMatchObject({ status: 403, code: 'cross_site_request' })
      expect(answer.message).toBe(
        'This request came from another website. Create workshops from the Commonpot page itself.',
      )
    }
    expect(created(server)).toBe(before)
    // The page the server itself served, as a browser POSTs from it.
    const own = await post(server, { ...JSON_TYPE, Origin: server.origin, 'Sec-Fetch-Site': 'same-origin' })
    expect(own.status).toBe(201)
    createRoomResponseSchema.parse(await own.json())
    // Behind a proxy the request reaches us for 127.0.0.1, while the page is PUBLIC_URL's.
    expect((await post(server, { ...JSON_TYPE, Origin: PUBLIC_URL })).status).toBe(201)
  })
})

describe('key mode (ROOM_CREATION=key)', () => {
  const KEYS = ['first-organiser-key-7Hq2mZ', 'second-organiser-key-Rw4kLp']
  let server: ServerProcess
  beforeAll(async () => {
    server = await serverWith({ ROOM_CREATION: 'key', ORGANISER_KEYS: ` ${KEYS[0]} ,${KEYS[1]},` })
  })

  it('tells the create page a key is needed', async () => {
    expect(serverConfigSchema.parse(await (await fetch(`${server.origin}/api/config`)).json())).toEqual({
      roomCreation: 'key',
    })
  })

  it('refuses without a key with 401 organiser_key_required, and creates nothing', async () => {
    const before = created(server)
    const response = await post(server)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await refusal(response)).toEqual({
      status: 401,
      code: 'organiser_key_required',
      message:
        'Creating a workshop on this server needs an organiser key. Ask whoever runs Commonpot for your organisation for one.',
    })
    // Another scheme, or Bearer with nothing after it, is no key either.
    for (const authorization of [`Basic ${btoa(`x:${KEYS[0]}`)}`, 'Bearer ', KEYS[0] as string]) {
      expect((await refusal(await post(server, { ...JSON_TYPE, Authorization: authorization }))).code).toBe(
        'organiser_key_required',
      )
    }
    expect(created(server)).toBe(before)
  })

  it('refuses a wrong key with 401 bad_organiser_key, however close it is', async () => {
    const before = created(server)
    const key = KEYS[0] as string
    for (const wrong of ['guess', key.slice(0, -1), `${key}x`, key.toUpperCase(), KEYS.join(',')]) {
      expect(await refusal(await post(server, { ...JSON_TYPE, Authorization: `Bearer ${wrong}` })), wrong).toEqual({
        status: 401,
        code: 'bad_organiser_key',
        message:
          'That organiser key is not one this server accepts. Check you copied all of it, or ask whoever runs Commonpot for the current key.',
      })
    }
    expect(created(server)).toBe(before)
  })

  it('creates the workshop with any one of the keys', async () => {
    for (const key of KEYS) {
      const response = await post(server, { ...JSON_TYPE, Authorization: `Bearer ${key}` })
      expect(response.status).toBe(201)
      createRoomResponseSchema.parse(await response.json())
    }
    // The scheme's name is case-insensitive (RFC 9110).
    expect((await post(server, { ...JSON_TYPE, authorization: `bearer ${KEYS[1]}` })).status).toBe(201)
  })

  it('never logs a key', () => {
    const printed = JSON.stringify(server.logs)
    for (const key of KEYS) expect(printed).not.toContain(key)
    expect(server.logs.some((l) => l.event === 'rooms.organiser_key_refused' && l.reason === 'wrong')).toBe(true)
  })
})

describe('a server configured for keys without one', () => {
  /** Why the server would not start (a server that does start is stopped, not left behind). */
  async function startFailure(env: Record<string, string>): Promise<string> {
    try {
      await (await startServer({ env })).stop()
      return 'started'
    } catch (error) {
      return String(error)
    }
  }

  it('refuses to start, saying what to set', async () => {
    expect(await startFailure({ ROOM_CREATION: 'key' })).toMatch(
      /ROOM_CREATION=key needs at least one organiser key in ORGANISER_KEYS/,
    )
    expect(await startFailure({ ROOM_CREATION: 'key', ORGANISER_KEYS: ' , ' })).toMatch(/ORGANISER_KEYS/)
    expect(await startFailure({ ROOM_CREATION: 'key', ORGANISER_KEYS: 'short' })).toMatch(
      /ORGANISER_KEYS: key 1 is shorter than 16 characters/,
    )
  })
})

describe('workshops per address per hour (ROOMS_PER_HOUR_PER_ADDRESS)', () => {
  it('answers 429 with Retry-After and when to try again once an address has created N in the hour', async () => {
    const server = await serverWith({ ROOMS_PER_HOUR_PER_ADDRESS: '3' })
    // Refused requests do not use up the allowance.
    expect((await post(server, JSON_TYPE, '{"title": ""}')).status).toBe(400)
    expect((await post(server, { 'Content-Type': 'text/plain' })).status).toBe(415)
    expect((await post(server, { ...JSON_TYPE, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403)
    for (let i = 0; i < 3; i++) expect((await post(server)).status).toBe(201)

    const response = await post(server)
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(3500)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    expect(await refusal(response)).toEqual({
      status: 429,
      code: 'too_many_rooms',
      message:
        'This network has created 3 workshops in the last hour, the most this server allows. You can create another in 60 minutes.',
    })
    expect(created(server)).toBe(3)
    expect(await metric(server, 'commonpot_limits_triggered_total{limit="rooms_per_address"}')).toBe(1)
    // Other routes from the same address carry on.
    expect((await fetch(`${server.origin}/api/config`)).status).toBe(200)
  })

  it('holds organiser-key holders to the same allowance', async () => {
    const key = 'an-organiser-key-0123456789'
    const server = await serverWith({ ROOM_CREATION: 'key', ORGANISER_KEYS: key, ROOMS_PER_HOUR_PER_ADDRESS: '1' })
    const withKey = { ...JSON_TYPE, Authorization: `Bearer ${key}` }
    // Wrong keys are refused before the allowance is touched.
    expect((await post(server, { ...JSON_TYPE, Authorization: 'Bearer wrong-key-0123456789' })).status).toBe(401)
    expect((await post(server, withKey)).status).toBe(201)
    const refused = await refusal(await post(server, withKey))
    expect(refused).toMatchObject({ status: 429, code: 'too_many_rooms' })
    expect(refused.message).toContain('created 1 workshop in the last hour')
  })

  it('counts behind a load balancer by the address it adds (TRUST_PROXY), an IPv6 /64 as one', async () => {
    const server = await serverWith({ TRUST_PROXY: 'true', ROOMS_PER_HOUR_PER_ADDRESS: '1' })
    const from = (forwardedFor: string) => post(server, { ...JSON_TYPE, 'X-Forwarded-For': forwardedFor })
    expect((await from('203.0.113.5')).status).toBe(201)
    expect((await from('203.0.113.5')).status).toBe(429)
    // Only the last hop is the balancer's; what the client put before it is its own say.
    expect((await from('198.51.100.1, 203.0.113.5')).status).toBe(429)
    expect((await from('203.0.113.6')).status).toBe(201)
    expect((await from('2001:db8:1:2::1')).status).toBe(201)
    expect((await from('2001:db8:1:2:abcd::99')).status).toBe(429)
    expect((await from('2001:db8:1:3::1')).status).toBe(201)
  })
})
