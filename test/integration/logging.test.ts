/**
 * The logging policy: the server logs what happened (ids, roles, sizes, reasons), never what a
 * workshop says and never a credential. Distinctive text goes into every kind of content through
 * real clients, then through everything that reads it on the server (exports, snapshots, restore,
 * a malformed frame quoting it, a restart that reloads it), at debug level; no line the server
 * printed, JSON or not, on stdout or stderr, may contain that text or any token.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { afterAll, describe, expect, it } from 'vitest'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { addPotLine, DEFAULT_LINE, readPotLines } from '../../shared/pot.ts'
import { addClause, readClauses } from '../../shared/protocol.ts'
import { addComment } from '../../shared/protocolComments.ts'
import { recordMember } from '../../shared/schema.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, tempDir, TEST_SECRET, type ServerProcess } from '../helpers/serverProcess.ts'

/** Ten characters: V8 quotes the first ten of a text JSON.parse fails on, so a leak shows all of it. */
const MARKER = `leak${randomBytes(3).toString('hex')}`

const servers: ServerProcess[] = []
const clients: TestClient[] = []
const sockets: WebSocket[] = []
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const socket of sockets) socket.terminate()
  for (const server of servers) await server.stop()
})

/** A server at debug level whose every byte of output is kept, JSON lines or not. */
async function loggedServer(dataDir: string): Promise<{ server: ServerProcess; output: () => string[] }> {
  const server = await startServer({ dataDir, env: { LOG_LEVEL: 'debug' } })
  servers.push(server)
  let raw = ''
  server.child.stdout!.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  server.child.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  // Lines printed before `startServer` returned are in `logs` (nothing was written by then).
  return { server, output: () => [...server.logs.map((entry) => JSON.stringify(entry)), ...raw.split('\n')] }
}

function open(server: ServerProcess, roomId: string, token: string): TestClient {
  const client = connect(server, roomId, token)
  clients.push(client)
  return client
}

/** An awareness frame whose state is not JSON but text that starts with `text`. */
function malformedAwareness(text: string): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, 4242)
  encoding.writeVarUint(inner, 1)
  encoding.writeVarString(inner, `${text} is what the workshop said`)
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, 1)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

function closeOf(server: ServerProcess, roomId: string, token: string, send?: Uint8Array): Promise<number> {
  const socket = new WebSocket(`${server.wsOrigin}/sync/${roomId}?token=${encodeURIComponent(token)}`)
  sockets.push(socket)
  if (send) socket.once('open', () => socket.send(send))
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

async function ok(response: Promise<Response>, status = 200): Promise<Response> {
  const answer = await response
  expect(answer.status, answer.url).toBe(status)
  return answer
}

describe('server logs', () => {
  it('never hold workshop content or a token, through edits, exports, snapshots, errors and a restart', async () => {
    const dataDir = tempDir()
    const first = await loggedServer(dataDir)
    const room = await createRoom(first.server, `Kent ${MARKER} workshop`)
    const tokens: string[] = Object.values(room.tokens)
    const api = (server: ServerProcess, pathname: string, init: RequestInit = {}) =>
      fetch(`${server.origin}${pathname}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${room.tokens.facilitator}`,
          'Content-Type': 'application/json',
          ...init.headers,
        },
      })

    // Content of every kind, written by a participant's real client.
    const writer = open(first.server, room.roomId, room.tokens.participant)
    await writer.firstSync
    const who = { userId: 'u-amira', name: `Amira ${MARKER}`, organisation: 'Department for Work and Pensions (DWP)' }
    writer.provider.awareness.setLocalStateField('user', {
      id: who.userId,
      name: who.name,
      organisation: who.organisation,
      colour: '#123456',
      role: 'participant',
    })
    recordMember(writer.doc, who.userId, { name: who.name, organisation: who.organisation, role: 'participant' }, 1)
    addPotLine(
      writer.doc,
      {
        ...DEFAULT_LINE,
        partner: 'DWP',
        stream: 'Work Programme',
        amount: 60_000_000,
        conditions: `Only if ${MARKER} is agreed`,
      },
      who,
      1,
    )
    const clause = addClause(writer.doc, `Pooling ${MARKER}`, [`The partners pool ${MARKER} funds.`], who, 2)
    addComment(writer.doc, clause, `Ask about ${MARKER}`, who, 3)
    addBarrier(writer.doc, { ...DEFAULT_BARRIER, title: `Ring-fence ${MARKER}`, raisedBy: 'Kent' }, who, 4)
    const exported = async (server: ServerProcess) =>
      await (await ok(api(server, `/api/rooms/${room.roomId}/export?format=md`))).text()
    const started = Date.now()
    while (!(await exported(first.server)).includes(`Ring-fence ${MARKER}`)) {
      if (Date.now() - started > 5000) throw new Error('the content did not reach the server')
      await sleep(50)
    }

    // A malformed frame that quotes content, refused tokens, and an observer's refused write.
    expect(await closeOf(first.server, room.roomId, room.tokens.participant, malformedAwareness(MARKER))).toBe(4400)
    const expired = await new SignJWT({ role: 'participant' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(room.roomId)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_SECRET))
    const forged = await new SignJWT({ role: 'facilitator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(room.roomId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(`not the secret ${MARKER} 0123456789`))
    tokens.push(expired, forged)
    expect(await closeOf(first.server, room.roomId, expired)).toBe(4401)
    expect(await closeOf(first.server, room.roomId, forged)).toBe(4401)
    await ok(fetch(`${first.server.origin}/api/rooms/${room.roomId}?token=${forged}`), 401)
    const observer = open(first.server, room.roomId, room.tokens.observer)
    await observer.firstSync
    addPotLine(observer.doc, { ...DEFAULT_LINE, partner: `Observer ${MARKER}`, amount: 1 }, who, 5)

    // Invites, exports of every format, snapshots read every way, and a restore.
    const invite = (await (
      await ok(
        api(first.server, `/api/rooms/${room.roomId}/invites`, {
          method: 'POST',
          body: JSON.stringify({ role: 'participant', expiresInHours: 2 }),
        }),
        201,
      )
    ).json()) as { token: string }
    tokens.push(invite.token)
    for (const query of [
      'format=json',
      'format=md',
      'format=csv&part=pot',
      'format=csv&part=barriers',
      'format=csv&part=actions',
    ]) {
      await ok(fetch(`${first.server.origin}/api/rooms/${room.roomId}/export?${query}&token=${room.tokens.observer}`))
    }
    const snapshot = (await (
      await ok(
        api(first.server, `/api/rooms/${room.roomId}/snapshots`, {
          method: 'POST',
          body: JSON.stringify({ name: `Before ${MARKER}`, author: { name: `Fiona ${MARKER}` } }),
        }),
        201,
      )
    ).json()) as { id: string }
    for (const query of ['format=json', 'format=md', 'format=csv&part=pot', 'format=ydoc']) {
      await ok(
        fetch(
          `${first.server.origin}/api/rooms/${room.roomId}/snapshots/${snapshot.id}?${query}&token=${room.tokens.participant}`,
        ),
      )
    }
    await ok(
      api(first.server, `/api/rooms/${room.roomId}/snapshots/${snapshot.id}/restore`, {
        method: 'POST',
        body: JSON.stringify({ author: { name: `Fiona ${MARKER}` } }),
      }),
    )
    const revoked = (await (
      await ok(
        api(first.server, `/api/rooms/${room.roomId}/invites/revoke`, {
          method: 'POST',
          body: JSON.stringify({ role: 'observer' }),
        }),
      )
    ).json()) as { token: string }
    tokens.push(revoked.token)
    await waitFor(() => first.server.logs.some((l) => l.event === 'invites.revoked'), 5000, 'the revocation')

    // An ordered stop (with its shutdown snapshot), then a restart that loads the room from disk.
    for (const client of clients.splice(0)) client.destroy()
    expect(await first.server.stop()).toBe(0)
    const second = await loggedServer(dataDir)
    const reader = open(second.server, room.roomId, room.tokens.participant)
    await reader.firstSync
    await waitFor(
      () => readPotLines(reader.doc).some((l) => l.conditions.includes(MARKER)),
      5000,
      'the pot line after the restart',
    )
    expect(readClauses(reader.doc)[0]?.title).toBe(`Pooling ${MARKER}`)
    expect(await exported(second.server)).toContain(`The partners pool ${MARKER} funds.`)
    reader.destroy()
    expect(await second.server.stop()).toBe(0)

    // The logs saw all of it happen...
    const events = new Set([...first.server.logs, ...second.server.logs].map((l) => l.event))
    for (const event of [
      'room.created',
      'sync.joined',
      'sync.bad_frame',
      'sync.refused',
      'invites.created',
      'snapshot.taken',
      'invites.revoked',
      'server.stopped',
      'room.loaded',
    ]) {
      expect(events, event).toContain(event)
    }
    // ...and hold none of it.
    for (const [name, lines] of [
      ['first run', first.output()],
      ['after the restart', second.output()],
    ] as const) {
      expect(
        lines.filter((line) => line.includes(MARKER)),
        `${name}: workshop content in the logs`,
      ).toEqual([])
      // Not even the signature part of a token, which is what makes it usable.
      const signatures = tokens.map((token) => token.split('.')[2]!)
      expect(
        lines.filter((line) => signatures.some((signature) => line.includes(signature))),
        `${name}: a token in the logs`,
      ).toEqual([])
    }
  })
})
