/**
 * No response that answers a room's token may be kept by a browser or proxy cache (issue #18,
 * "No credentials in URLs"): exports, snapshots (whose content never changes, and which were once
 * cached for a year), the ledger, room info and errors alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerProcess, startServer } from '../helpers/serverProcess.ts'
import { createRoom } from '../helpers/syncClient.ts'

let server: ServerProcess

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.stop()
})

describe('Cache-Control on room responses', () => {
  it('is no-store on every answer to a room token, errors included', async () => {
    const room = await createRoom(server, 'Kent: caching')
    const auth = { Authorization: `Bearer ${room.tokens.facilitator}` }
    const base = `${server.origin}/api/rooms/${room.roomId}`
    const taken = await fetch(`${base}/snapshots`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Start of the day' }),
    })
    expect(taken.status).toBe(201)
    const { id } = (await taken.json()) as { id: string }
    const urls = [
      base,
      `${base}/export?format=json`,
      `${base}/export?format=md`,
      `${base}/export?format=csv&part=outcomes`,
      `${base}/ledger`,
      `${base}/snapshots`,
      `${base}/snapshots/${id}`,
      `${base}/snapshots/${id}?format=ydoc`,
      `${base}/snapshots/nosuchsnapshot1`,
      `${base}/export?format=pdf`,
    ]
    const answers = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(url, { headers: auth })
        await response.arrayBuffer()
        return [url.slice(base.length) || '/', response.status, response.headers.get('cache-control')]
      }),
    )
    expect(answers).toEqual([
      ['/', 200, 'no-store'],
      ['/export?format=json', 200, 'no-store'],
      ['/export?format=md', 200, 'no-store'],
      ['/export?format=csv&part=outcomes', 200, 'no-store'],
      ['/ledger', 200, 'no-store'],
      ['/snapshots', 200, 'no-store'],
      [`/snapshots/${id}`, 200, 'no-store'],
      [`/snapshots/${id}?format=ydoc`, 200, 'no-store'],
      ['/snapshots/nosuchsnapshot1', 404, 'no-store'],
      ['/export?format=pdf', 400, 'no-store'],
    ])
  })
})
