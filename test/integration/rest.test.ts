/** The REST contract: creating rooms, reading them with a token, errors, health, headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoomResponseSchema, roomInfoSchema, serverTimeSchema } from '../../shared/api.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'

let server: ServerProcess

beforeAll(async () => {
  server = await startServer({ env: { PUBLIC_URL: 'https://commonpot.example.org/' } })
})
afterAll(async () => {
  await server.stop()
})

const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${server.origin}/api/rooms`, { method: 'POST', headers, body })

describe('POST /api/rooms', () => {
  it('creates a room with tokens and links for every role', async () => {
    const response = await post(JSON.stringify({ title: '  Kent: troubled families pot  ' }))
    expect(response.status).toBe(201)
    const body = createRoomResponseSchema.parse(await response.json())
    expect(body.title).toBe('Kent: troubled families pot')
    expect(body.roomId).toMatch(/^[A-Za-z0-9_-]{27}$/)
    for (const role of ['facilitator', 'participant', 'observer'] as const) {
      expect(body.links[role]).toBe(`https://commonpot.example.org/r/${body.roomId}?token=${body.tokens[role]}`)
    }
  })

  it('gives each room a different unguessable id', async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 20; i++) ids.add((await createRoom(server)).roomId)
    expect(ids.size).toBe(20)
  })

  it.each([
    ['{"title": ""}', 'title must not be empty'],
    ['{"title": "   "}', 'title must not be empty'],
    ['{}', 'title is required'],
    [JSON.stringify({ title: 'x'.repeat(121) }), 'title must be at most 120 characters'],
    ['{"title": 42}', 'title must be text'],
  ])('refuses %s with a message saying what is wrong', async (body, message) => {
    const response = await post(body)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: { code: 'invalid_request', message } })
  })

  it('refuses a body that is not JSON', async () => {
    // Declared JSON but not: a body declared as anything else is 415 (roomCreation.test.ts).
    const response = await post('title=hello')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string } }
    expect(body.error.code).toBe('bad_json')
  })
})

describe('GET /api/rooms/:id', () => {
  it('returns the metadata and role to any valid token, and links only to facilitators', async () => {
    const room = await createRoom(server, 'Essex pot')
    const asFacilitator = roomInfoSchema.parse(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}`, {
          headers: { Authorization: `Bearer ${room.tokens.facilitator}` },
        })
      ).json(),
    )
    expect(asFacilitator).toMatchObject({ roomId: room.roomId, title: 'Essex pot', role: 'facilitator' })
    expect(asFacilitator.links?.participant).toContain(`/r/${room.roomId}?token=`)

    const asObserver = roomInfoSchema.parse(
      await (await fetch(`${server.origin}/api/rooms/${room.roomId}?token=${room.tokens.observer}`)).json(),
    )
    expect(asObserver.role).toBe('observer')
    expect(asObserver.links).toBeUndefined()
  })

  it('answers 401 with a JSON error for a missing or other-room token', async () => {
    const room = await createRoom(server)
    const other = await createRoom(server)
    const missing = await fetch(`${server.origin}/api/rooms/${room.roomId}`)
    expect(missing.status).toBe(401)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('token_missing')
    const wrong = await fetch(`${server.origin}/api/rooms/${room.roomId}?token=${other.tokens.facilitator}`)
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('token_other_room')
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await fetch(`${server.origin}/api/nothing-here`)
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })
})

describe('operations', () => {
  it('tells the time on the server clock, uncached, for the shared timer', async () => {
    const before = Date.now()
    const response = await fetch(`${server.origin}/api/time`)
    const after = Date.now()
    expect(response.headers.get('cache-control')).toBe('no-store')
    const { now } = serverTimeSchema.parse(await response.json())
    // Same machine, same clock: the answer falls inside the round trip.
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(after)
  })

  it('serves /healthz and Prometheus /metrics', async () => {
    expect(await (await fetch(`${server.origin}/healthz`)).json()).toMatchObject({ ok: true })
    const metrics = await fetch(`${server.origin}/metrics`)
    expect(metrics.headers.get('content-type')).toContain('text/plain')
    expect(await metrics.text()).toMatch(/^commonpot_rooms_loaded \d+$/m)
  })

  it('sends security headers: CSP with only self and the ws origin, nosniff, no framing', async () => {
    const response = await fetch(`${server.origin}/`)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' data: ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('never writes a token into its logs', async () => {
    const room = await createRoom(server)
    await fetch(`${server.origin}/api/rooms/${room.roomId}?token=${room.tokens.facilitator}`)
    const everything = JSON.stringify(server.logs)
    for (const token of Object.values(room.tokens)) expect(everything).not.toContain(token)
  })
})
