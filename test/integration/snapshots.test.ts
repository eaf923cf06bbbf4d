/**
 * Snapshots through the real server (issue #8): taken from the live document, listed with a
 * SHA-256 of exactly the bytes `?format=ydoc` answers (stable across calls and restarts), never
 * changed afterwards, and taken automatically when everyone leaves a changed room and after an
 * interval of work.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  snapshotContentResponseSchema,
  snapshotListSchema,
  snapshotMetaSchema,
  type SnapshotMeta,
} from '../../shared/api.ts'
import { diffWorkshops, isEmptyDiff } from '../../shared/diff.ts'
import { buildExport } from '../../shared/export.ts'
import { readLedger } from '../../shared/ledger.ts'
import { addPotLine, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
const line = (stream: string, amount: number) => ({
  ...DEFAULT_LINE,
  partner: 'Department for Work and Pensions (DWP)',
  stream,
  amount,
})
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

const servers: ServerProcess[] = []
const clients: TestClient[] = []
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.stop()
})

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<ServerProcess> {
  const server = await startServer(options)
  servers.push(server)
  return server
}

function join(server: ServerProcess, roomId: string, token: string): TestClient {
  const client = connect(server, roomId, token)
  clients.push(client)
  return client
}

async function take(server: ServerProcess, roomId: string, token: string, name: string): Promise<SnapshotMeta> {
  const response = await fetch(`${server.origin}/api/rooms/${roomId}/snapshots`, {
    method: 'POST',
    headers: { ...bearer(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  expect(response.status, await response.clone().text()).toBe(201)
  return snapshotMetaSchema.parse(await response.json())
}

async function list(server: ServerProcess, roomId: string, token: string): Promise<SnapshotMeta[]> {
  const response = await fetch(`${server.origin}/api/rooms/${roomId}/snapshots?token=${encodeURIComponent(token)}`)
  expect(response.status).toBe(200)
  return snapshotListSchema.parse(await response.json()).snapshots
}

async function bytesOf(
  server: ServerProcess,
  roomId: string,
  token: string,
  sid: string,
): Promise<{ bytes: Uint8Array; response: Response }> {
  const response = await fetch(`${server.origin}/api/rooms/${roomId}/snapshots/${sid}?format=ydoc`, {
    headers: bearer(token),
  })
  expect(response.status).toBe(200)
  return { bytes: new Uint8Array(await response.arrayBuffer()), response }
}

const exportOf = (bytes: Uint8Array) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, bytes)
  const data = buildExport(doc)
  doc.destroy()
  return JSON.parse(JSON.stringify(data)) as unknown
}

describe('snapshots over REST', () => {
  let server: ServerProcess
  beforeAll(async () => {
    // No automatic snapshots get in the way here: a long grace period and interval.
    server = await start({ env: { ROOM_GRACE_MS: '600000', SNAPSHOT_INTERVAL_MS: '3600000' } })
  })

  it('takes a snapshot of the live document whose listed SHA-256 is that of its bytes, and which later edits do not change', async () => {
    const room = await createRoom(server, 'Kent: the record')
    const writer = join(server, room.roomId, room.tokens.participant)
    await writer.firstSync
    const id = addPotLine(writer.doc, line('Work Programme', 60_000_000), dwp, 1)
    // The edit reaches the server first; the snapshot flushes the room before encoding it.
    await sleep(50)
    const meta = await take(server, room.roomId, room.tokens.facilitator, '  End of pot discussion  ')
    expect(meta).toMatchObject({ name: 'End of pot discussion', kind: 'manual', author: { name: 'Facilitator' } })

    const listed = await list(server, room.roomId, room.tokens.observer)
    expect(listed).toEqual([meta])
    const first = await bytesOf(server, room.roomId, room.tokens.observer, meta.id)
    expect(first.response.headers.get('content-type')).toBe('application/octet-stream')
    expect(sha256(first.bytes)).toBe(meta.sha256)
    expect(first.bytes.byteLength).toBe(meta.size)
    expect(first.response.headers.get('x-content-sha256')).toBe(meta.sha256)
    expect(first.response.headers.get('etag')).toBe(`"${meta.sha256}"`)

    // The JSON content is the export of exactly those bytes, with the line as it was.
    const before = snapshotContentResponseSchema.parse(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}`, {
          headers: bearer(room.tokens.participant),
        })
      ).json(),
    )
    expect(before.snapshot).toEqual(meta)
    expect(before.content).toEqual(exportOf(first.bytes))
    expect(
      (before.content as { pot: { lines: { id: string; amount: number }[] } }).pot.lines.map((l) => [l.id, l.amount]),
    ).toEqual([[id, 60_000_000]])

    // The pot moves on; the snapshot does not.
    updatePotLine(writer.doc, id, { amount: 75_000_000 }, dwp, 2)
    const witness = join(server, room.roomId, room.tokens.observer)
    await waitFor(() => readPotLines(witness.doc)[0]?.amount === 75_000_000, 5000, 'edit relayed')
    const after = snapshotContentResponseSchema.parse(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}`, {
          headers: bearer(room.tokens.participant),
        })
      ).json(),
    )
    expect(after).toEqual(before)
    const second = await bytesOf(server, room.roomId, room.tokens.facilitator, meta.id)
    expect(second.bytes).toEqual(first.bytes)

    // A second snapshot has the new amount and lists first (newest first).
    const later = await take(server, room.roomId, room.tokens.facilitator, 'After the break')
    expect(later.sha256).not.toBe(meta.sha256)
    expect((await list(server, room.roomId, room.tokens.participant)).map((s) => s.id)).toEqual([later.id, meta.id])

    // Markdown: a first line naming the snapshot, its date and hash, then the export.
    const md = await (
      await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}?format=md`, {
        headers: bearer(room.tokens.observer),
      })
    ).text()
    const [header] = md.split('\n')
    expect(header).toContain('End of pot discussion')
    expect(header).toContain(meta.sha256)
    expect(header).toContain(new Date(meta.createdAt).toISOString().slice(0, 10))
    expect(md).toContain('Work Programme')

    // CSV of the snapshot's pot: the amount as it was when it was taken.
    const csv = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}?format=csv&part=pot`, {
      headers: bearer(room.tokens.observer),
    })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = (await csv.text()).split('\r\n')
    expect(rows[0]).toMatch(/^Partner,Funding stream,Amount \(£\),/)
    expect(rows[1]).toContain('Work Programme,600000,')
    expect(rows).toHaveLength(3)
  })

  it('answers 403 to participants and observers, 400 to a bad name, 404 to another room’s snapshot', async () => {
    const room = await createRoom(server, 'Roles')
    const other = await createRoom(server, 'Another workshop')
    for (const role of ['participant', 'observer'] as const) {
      const response = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
        method: 'POST',
        headers: { ...bearer(room.tokens[role]), 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Mine' }),
      })
      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({
        error: { code: 'forbidden', message: expect.stringContaining('facilitator') },
      })
    }
    for (const [body, message] of [
      [{ name: '   ' }, 'name must not be empty'],
      [{ name: 'x'.repeat(121) }, 'name must be at most 120 characters'],
      [{}, 'name is required'],
    ] as const) {
      const response = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
        method: 'POST',
        headers: { ...bearer(room.tokens.facilitator), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({ error: { code: 'invalid_request', message } })
    }
    expect(await list(server, room.roomId, room.tokens.facilitator)).toEqual([])
    // Taken from the stored state: nobody has the room open.
    const theirs = await take(server, other.roomId, other.tokens.facilitator, 'Theirs')
    const response = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${theirs.id}`, {
      headers: bearer(room.tokens.facilitator),
    })
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('no_such_snapshot')
    expect(
      (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/nosuchsnapshotid00000`, {
          headers: bearer(room.tokens.facilitator),
        })
      ).status,
    ).toBe(404)
    // Someone else's token does not open the other room's snapshot either.
    expect(
      (
        await fetch(`${server.origin}/api/rooms/${other.roomId}/snapshots/${theirs.id}`, {
          headers: bearer(room.tokens.facilitator),
        })
      ).status,
    ).toBe(401)
  })

  it('offers no way to change a snapshot (deleting one is the facilitator’s: snapshotBounds.test.ts)', async () => {
    const room = await createRoom(server, 'Immutable')
    const meta = await take(server, room.roomId, room.tokens.facilitator, 'The record')
    const { bytes } = await bytesOf(server, room.roomId, room.tokens.facilitator, meta.id)
    const url = `${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}`
    for (const method of ['PUT', 'PATCH', 'POST']) {
      const response = await fetch(url, {
        method,
        headers: { ...bearer(room.tokens.facilitator), 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Rewritten' }),
      })
      expect(response.status, method).toBe(405)
      expect(response.headers.get('allow')).toBe('GET, DELETE')
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed')
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
        method,
        headers: bearer(room.tokens.facilitator),
      })
      expect(response.status, method).toBe(405)
    }
    expect(await list(server, room.roomId, room.tokens.facilitator)).toEqual([meta])
    expect((await bytesOf(server, room.roomId, room.tokens.facilitator, meta.id)).bytes).toEqual(bytes)
  })
})

describe('snapshots across a restart', () => {
  it('keeps the same bytes and hash after the server restarts', async () => {
    const dataDir = tempDir()
    const env = { ROOM_GRACE_MS: '600000', SNAPSHOT_INTERVAL_MS: '3600000' }
    const first = await start({ dataDir, env })
    const room = await createRoom(first, 'Restart')
    const writer = join(first, room.roomId, room.tokens.facilitator)
    await writer.firstSync
    addPotLine(writer.doc, line('Troubled Families', 4_000_000), dwp, 1)
    const meta = await take(first, room.roomId, room.tokens.facilitator, 'Before restart')
    const { bytes } = await bytesOf(first, room.roomId, room.tokens.facilitator, meta.id)
    writer.destroy()
    expect(await first.stop()).toBe(0)

    const second = await start({ dataDir, env })
    const listed = await list(second, room.roomId, room.tokens.observer)
    expect(listed.find((s) => s.id === meta.id)).toEqual(meta)
    const again = await bytesOf(second, room.roomId, room.tokens.observer, meta.id)
    expect(again.bytes).toEqual(bytes)
    expect(sha256(again.bytes)).toBe(meta.sha256)
  })
})

describe('automatic snapshots', () => {
  it('takes one when the last client leaves a changed room, and none when nothing changed', async () => {
    const server = await start({ env: { ROOM_GRACE_MS: '100', SNAPSHOT_INTERVAL_MS: '3600000' } })
    const changed = await createRoom(server, 'Changed')
    const idle = await createRoom(server, 'Idle')
    const a = join(server, changed.roomId, changed.tokens.participant)
    const b = join(server, idle.roomId, idle.tokens.participant)
    await Promise.all([a.firstSync, b.firstSync])
    addPotLine(a.doc, line('Work Programme', 1_000_000), dwp, 1)
    const witness = join(server, changed.roomId, changed.tokens.observer)
    await waitFor(() => readPotLines(witness.doc).length === 1, 5000, 'edit relayed')
    for (const client of [a, b, witness]) client.destroy()

    await waitFor(() => server.logs.filter((l) => l.event === 'room.unloaded').length >= 2, 5000, 'both rooms unloaded')
    const auto = await list(server, changed.roomId, changed.tokens.facilitator)
    expect(auto).toHaveLength(1)
    expect(auto[0]).toMatchObject({ kind: 'auto-left', name: 'Auto: everyone left', author: 'server' })
    const { bytes } = await bytesOf(server, changed.roomId, changed.tokens.facilitator, auto[0]!.id)
    expect((exportOf(bytes) as { pot: { lines: { stream: string }[] } }).pot.lines.map((l) => l.stream)).toEqual([
      'Work Programme',
    ])
    expect(await list(server, idle.roomId, idle.tokens.facilitator)).toEqual([])

    // Joining and leaving again without a change takes no second one.
    const again = join(server, changed.roomId, changed.tokens.participant)
    await again.firstSync
    again.destroy()
    await waitFor(() => server.logs.filter((l) => l.event === 'room.unloaded').length >= 3, 5000, 'room unloaded again')
    expect(await list(server, changed.roomId, changed.tokens.facilitator)).toHaveLength(1)
  })

  it('takes one after an interval of work, and one on an ordered shutdown of a changed room', async () => {
    const dataDir = tempDir()
    const server = await start({ dataDir, env: { ROOM_GRACE_MS: '600000', SNAPSHOT_INTERVAL_MS: '400' } })
    const room = await createRoom(server, 'Busy')
    const writer = join(server, room.roomId, room.tokens.participant)
    await writer.firstSync
    const id = addPotLine(writer.doc, line('Work Programme', 1), dwp, 1)
    // Keep working for a while: every 50 ms an edit.
    let amount = 1
    const started = Date.now()
    while (Date.now() - started < 1200) {
      await sleep(50)
      updatePotLine(writer.doc, id, { amount: ++amount }, dwp, amount)
    }
    const during = await list(server, room.roomId, room.tokens.facilitator)
    expect(during.length).toBeGreaterThanOrEqual(1)
    expect(during.every((s) => s.kind === 'auto-interval' && s.author === 'server')).toBe(true)
    expect(during[0]!.name).toMatch(/^Auto: /)
    // Not one per check: at most one per interval.
    expect(during.length).toBeLessThanOrEqual(4)

    // Quiet: no more interval snapshots once nobody changes anything.
    await sleep(600)
    const quiet = await list(server, room.roomId, room.tokens.facilitator)
    await sleep(600)
    expect(await list(server, room.roomId, room.tokens.facilitator)).toEqual(quiet)

    // One more change, then an ordered shutdown with the client still connected: it is kept.
    updatePotLine(writer.doc, id, { amount: 999 }, dwp, 999)
    const witness = join(server, room.roomId, room.tokens.observer)
    await waitFor(() => readPotLines(witness.doc)[0]?.amount === 999, 5000, 'last edit relayed')
    expect(await server.stop()).toBe(0)
    writer.destroy()
    witness.destroy()
    const restarted = await start({ dataDir, env: { SNAPSHOT_INTERVAL_MS: '3600000' } })
    const final = await list(restarted, room.roomId, room.tokens.facilitator)
    expect(final.length).toBe(quiet.length + 1)
    expect(final[0]).toMatchObject({ kind: 'auto-left', author: 'server' })
    const { bytes } = await bytesOf(restarted, room.roomId, room.tokens.facilitator, final[0]!.id)
    expect((exportOf(bytes) as { pot: { lines: { amount: number }[] } }).pot.lines[0]!.amount).toBe(999)
  })
})

describe('restoring a snapshot', () => {
  it('makes the live room the snapshot again for every client, after snapshotting the state before', async () => {
    const server = await start()
    const room = await createRoom(server, 'Kent: restore')
    const writer = join(server, room.roomId, room.tokens.participant)
    const watcher = join(server, room.roomId, room.tokens.observer)
    await Promise.all([writer.firstSync, watcher.firstSync])
    const id = addPotLine(writer.doc, line('Work Programme', 60_000_000), dwp, 1)
    await waitFor(() => readPotLines(watcher.doc).length === 1, 5000, 'line relayed')
    const meta = await take(server, room.roomId, room.tokens.facilitator, 'End of pot discussion')
    const { bytes } = await bytesOf(server, room.roomId, room.tokens.facilitator, meta.id)

    updatePotLine(writer.doc, id, { amount: 75_000_000 }, dwp, 2)
    addPotLine(writer.doc, line('ESF families programme', 1_000), dwp, 3)
    await waitFor(() => readPotLines(watcher.doc).length === 2, 5000, 'changes relayed')

    const url = `${server.origin}/api/rooms/${room.roomId}/snapshots/${meta.id}/restore`
    const refused = await fetch(url, {
      method: 'POST',
      headers: { ...bearer(room.tokens.participant), 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(refused.status).toBe(403)
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...bearer(room.tokens.facilitator), 'Content-Type': 'application/json' },
      body: JSON.stringify({ author: { name: 'Fiona Facilitator' } }),
    })
    expect(response.status, await response.clone().text()).toBe(200)
    const { before } = (await response.json()) as { before: SnapshotMeta }

    // Both clients see the restored pot at once, and nothing else differs from the snapshot.
    for (const client of [writer, watcher]) {
      await waitFor(
        () =>
          readPotLines(client.doc)
            .map((l) => l.amount)
            .join() === '60000000',
        5000,
        'restored pot',
      )
      expect(isEmptyDiff(diffWorkshops(bytes, Y.encodeStateAsUpdate(client.doc)))).toBe(true)
    }
    // The state before the restore was kept.
    const kept = await bytesOf(server, room.roomId, room.tokens.observer, before.id)
    const beforeDoc = new Y.Doc()
    Y.applyUpdate(beforeDoc, kept.bytes)
    expect(readPotLines(beforeDoc).map((l) => l.amount)).toEqual([75_000_000, 1_000])
    beforeDoc.destroy()
    expect(readLedger(watcher.doc).at(-1)).toMatchObject({
      action: 'restored',
      label: 'End of pot discussion',
      by: { name: 'Fiona Facilitator' },
    })
  })
})
