/**
 * Security headers on every kind of response a browser can get from the server: the app's HTML
 * (home and a workshop route), hashed static assets, REST JSON (success, 401, 404, 405), the
 * plain 404 of a missing file, the sync endpoint's 426, and the export downloads. A browser
 * applies the policy of whatever response it renders, so a single surface without it would be
 * the way in.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoom } from '../helpers/syncClient.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

let server: ServerProcess
let room: Awaited<ReturnType<typeof createRoom>>
let asset: string

beforeAll(async () => {
  const index = fs.readFileSync(path.join(ROOT, 'dist', 'index.html'), 'utf8')
  const script = index.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]
  if (!script) throw new Error('dist/index.html names no script: run `npx vite build` first')
  asset = script
  server = await startServer()
  room = await createRoom(server, 'Kent: headers')
})
afterAll(async () => {
  await server.stop()
})

/** Every directive the policy holds, in order; anything more was not written by the server. */
const EXPECTED_DIRECTIVES = [
  'default-src',
  'script-src',
  'style-src',
  'img-src',
  'font-src',
  'media-src',
  'connect-src',
  'worker-src',
  'object-src',
  'base-uri',
  'form-action',
  'frame-ancestors',
]

/** The policy's directives by name, each with its sources. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) out.set(name.toLowerCase(), sources)
  }
  return out
}

function expectSecurityHeaders(response: Response, what: string): void {
  const csp = response.headers.get('content-security-policy')
  expect(csp, `${what}: Content-Security-Policy`).toBeTruthy()
  const policy = directives(csp!)
  expect(policy.get('default-src'), what).toEqual(["'self'"])
  // Scripts only from this origin: no inline script, no eval, no other host, no data: URL.
  expect(policy.get('script-src'), what).toEqual(["'self'"])
  expect([...policy.keys()], `${what}: directives`).toEqual(EXPECTED_DIRECTIVES)
  const connect = policy.get('connect-src') ?? []
  expect(connect, what).toContain("'self'")
  expect(connect, what).toContain(`ws://127.0.0.1:${server.port}`)
  expect(connect, what).toContain(`wss://127.0.0.1:${server.port}`)
  expect(
    connect.some((s) => s === '*' || s === 'ws:' || s === 'wss:' || s === 'https:'),
    `${what}: connect-src is not open-ended`,
  ).toBe(false)
  expect(policy.get('frame-ancestors'), what).toEqual(["'none'"])
  expect(policy.get('object-src'), what).toEqual(["'none'"])
  expect(policy.get('base-uri'), what).toEqual(["'self'"])
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(response.headers.get('x-frame-options'), what).toBe('DENY')
  expect(response.headers.get('referrer-policy'), what).toBe('no-referrer')
}

describe('security headers', () => {
  it('are on the HTML of the home page and of a workshop route', async () => {
    for (const pathname of ['/', `/r/${room.roomId}`, `/r/${room.roomId}/snapshots/AAAAAAAAAAAAAAAAAAAAAA`]) {
      const response = await fetch(`${server.origin}${pathname}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/html')
      expectSecurityHeaders(response, pathname)
    }
  })

  it('are on static assets, served with their exact type so nosniff holds', async () => {
    const response = await fetch(`${server.origin}${asset}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expectSecurityHeaders(response, asset)
  })

  it('are on REST JSON answers, successful or not', async () => {
    const answers: [string, RequestInit | undefined, number][] = [
      ['/api/time', undefined, 200],
      ['/api/config', undefined, 200],
      [`/api/rooms/${room.roomId}?token=${room.tokens.observer}`, undefined, 200],
      [`/api/rooms/${room.roomId}`, undefined, 401],
      ['/api/nothing-here', undefined, 404],
      [`/api/rooms/${room.roomId}/snapshots?token=${room.tokens.facilitator}`, { method: 'DELETE' }, 405],
      ['/api/rooms', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' }, 400],
      ['/api/rooms', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }, 415],
      ['/api/rooms', { method: 'POST', headers: { Origin: 'https://evil.example' }, body: '{}' }, 403],
      ['/healthz', undefined, 200],
    ]
    for (const [pathname, init, status] of answers) {
      const response = await fetch(`${server.origin}${pathname}`, init)
      expect(response.status, pathname).toBe(status)
      expect(response.headers.get('content-type'), pathname).toContain('application/json')
      expectSecurityHeaders(response, `${init?.method ?? 'GET'} ${pathname.split('?')[0]}`)
    }
  })

  it('are on the 404 of a missing file and the 426 of a plain request to the sync endpoint', async () => {
    const missing = await fetch(`${server.origin}/assets/not-there.js`)
    expect(missing.status).toBe(404)
    expectSecurityHeaders(missing, 'missing asset')
    const sync = await fetch(`${server.origin}/sync/${room.roomId}`)
    expect(sync.status).toBe(426)
    expectSecurityHeaders(sync, 'sync without upgrade')
  })

  it('send exports as downloads, never as a page the browser would render', async () => {
    for (const query of [
      'format=md',
      'format=csv&part=pot',
      'format=csv&part=barriers',
      'format=csv&part=actions',
      'format=json&download=1',
    ]) {
      const response = await fetch(
        `${server.origin}/api/rooms/${room.roomId}/export?${query}&token=${room.tokens.observer}`,
      )
      expect(response.status, query).toBe(200)
      // The workshop's title ("Kent: headers", the colon a file name cannot hold), the part, the day.
      expect(response.headers.get('content-disposition'), query).toMatch(
        /^attachment; filename="Kent headers(-minutes|-pot|-barriers|-actions|)-\d{4}-\d{2}-\d{2}\.(md|csv|json)"; filename\*=UTF-8''Kent%20headers\1-\d{4}-\d{2}-\d{2}\.\2$/,
      )
      expect(response.headers.get('content-type'), query).toMatch(
        /^(text\/markdown|text\/csv|application\/json); charset=utf-8$/,
      )
      expectSecurityHeaders(response, query)
    }
    // The JSON a page reads (the print page) is not a download unless asked to be.
    const json = await fetch(
      `${server.origin}/api/rooms/${room.roomId}/export?format=json&token=${room.tokens.observer}`,
    )
    expect(json.headers.get('content-disposition')).toBeNull()
  })

  it('never lets a forged Host header write directives into the policy', async () => {
    // Node refuses a Host with spaces, but not one with a `;`, which would end connect-src and
    // start a directive of the client's choosing. fetch() will not send such a Host; a raw request will.
    const answer = await new Promise<{ status: number; csp: string }>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'evil.example;script-src-elem' } },
        (response) => {
          response.resume()
          resolve({ status: response.statusCode ?? 0, csp: String(response.headers['content-security-policy'] ?? '') })
        },
      )
      request.on('error', reject)
      request.end()
    })
    expect(answer.status).toBe(200)
    expect(answer.csp).not.toContain('evil.example')
    expect([...directives(answer.csp).keys()]).toEqual(EXPECTED_DIRECTIVES)
  })
})
