/**
 * Snapshots within bounds (issue #18), through the real server on SQLite and on PostgreSQL alike:
 * an automatic snapshot only when the content changed (a participant joining and leaving again
 * costs nothing), the retention of old automatic snapshots, the per-room quota and the document
 * cap with their messages, and deleting a snapshot (the facilitator only).
 */
import path from 'node:path'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  deleteSnapshotResponseSchema,
  type SnapshotMeta,
  snapshotListSchema,
  snapshotMetaSchema,
  type SnapshotUsage,
} from '../../shared/api.ts'
import { addPotLine, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { recordMember } from '../../shared/schema.ts'
import { sha256Hex } from '../../server/snapshots.ts'
import { PostgresStore } from '../../server/storage/postgres.ts'
import { SqliteStore } from '../../server/storage/sqlite.ts'
import type { SnapshotRecord, Store } from '../../server/storage/store.ts'
import { freshSchema, type TestSchema } from '../helpers/multiInstance.ts'
import { putRecord } from '../helpers/records.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, testDevice, waitFor, type TestClient } from '../helpers/syncClient.ts'

const HOUR = 3600_000
const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
const line = (stream: string, amount: number) => ({
  ...DEFAULT_LINE,
  partner: 'Department for Work and Pensions (DWP)',
  stream,
  amount,
})
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

interface Backend {
  name: string
  setup(): Promise<void>
  /** The server's environment for this backend's storage. */
  env(): Record<string, string>
  /** The store the server uses, opened from the test as a second instance would. */
  openStore(server: ServerProcess): Promise<Store>
  teardown(): Promise<void>
}

const sqlite: Backend = {
  name: 'SQLite',
  async setup() {},
  env: () => ({}),
  openStore: async (server) => new SqliteStore(path.join(server.dataDir, 'commonpot.sqlite')),
  async teardown() {},
}

function postgres(): Backend {
  let schema: TestSchema | undefined
  return {
    name: 'PostgreSQL',
    async setup() {
      schema = await freshSchema('bounds')
    },
    env: () => ({ DATABASE_URL: schema!.url }),
    openStore: () => PostgresStore.open(schema!.url, { poolSize: 2 }),
    async teardown() {
      await schema?.drop()
    },
  }
}

describe.each([sqlite, postgres()])('snapshots within bounds on $name', (backend) => {
  const servers: ServerProcess[] = []
  const clients: TestClient[] = []
  const stores: Store[] = []
  beforeAll(() => backend.setup())
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const store of stores.splice(0)) await store.close()
    for (const server of servers.splice(0)) await server.stop()
  })
  afterAll(() => backend.teardown())

  async function start(env: Record<string, string>): Promise<ServerProcess> {
    const server = await startServer({ env: { ...backend.env(), ...env } })
    servers.push(server)
    return server
  }

  function join(server: ServerProcess, roomId: string, token: string, userSecret?: string): TestClient {
    const client = connect(server, roomId, token, userSecret ? { userSecret } : {})
    clients.push(client)
    return client
  }

  async function list(server: ServerProcess, roomId: string, token: string) {
    const response = await fetch(`${server.origin}/api/rooms/${roomId}/snapshots`, { headers: bearer(token) })
    expect(response.status).toBe(200)
    const parsed = snapshotListSchema.parse(await response.json())
    return { snapshots: parsed.snapshots, usage: parsed.usage as SnapshotUsage }
  }

  const post = (server: ServerProcess, roomId: string, token: string, body: unknown) =>
    fetch(`${server.origin}/api/rooms/${roomId}/snapshots`, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })

  async function take(server: ServerProcess, roomId: string, token: string, name: string): Promise<SnapshotMeta> {
    const response = await post(server, roomId, token, { name })
    expect(response.status, await response.clone().text()).toBe(201)
    return snapshotMetaSchema.parse(await response.json())
  }

  const remove = (server: ServerProcess, roomId: string, token: string, sid: string) =>
    fetch(`${server.origin}/api/rooms/${roomId}/snapshots/${sid}`, { method: 'DELETE', headers: bearer(token) })

  async function metric(server: ServerProcess, event: string): Promise<number> {
    const text = await (await fetch(`${server.origin}/metrics`)).text()
    const match = new RegExp(`^commonpot_snapshots_total\\{event="${event}"\\} (\\d+)$`, 'm').exec(text)
    if (!match) throw new Error(`no snapshot metric ${event}`)
    return Number(match[1])
  }

  const unloads = (server: ServerProcess) => server.logs.filter((l) => l.event === 'room.unloaded').length

  /**
   * One visit, as a browser makes it: connect, record itself as a member (every browser writes its
   * `lastSeen` on joining), perhaps change something, and leave; resolves once the room unloaded.
   */
  async function visit(
    server: ServerProcess,
    roomId: string,
    token: string,
    observerToken: string,
    change?: (doc: Y.Doc, actor: typeof dwp) => void,
  ): Promise<void> {
    const device = testDevice('amira')
    const actor = { ...dwp, userId: device.userId }
    const unloaded = unloads(server)
    const person = join(server, roomId, token, device.secret)
    const witness = join(server, roomId, observerToken)
    await Promise.all([person.firstSync, witness.firstSync])
    const seen = Date.now()
    recordMember(
      person.doc,
      device.userId,
      { name: dwp.name, organisation: dwp.organisation, role: 'participant', keyed: true },
      seen,
    )
    change?.(person.doc, actor)
    // What the person wrote reached the server once the witness has it.
    await waitFor(
      () =>
        (witness.doc.getMap('members').get(device.userId) as { lastSeen?: number } | undefined)?.lastSeen === seen &&
        Y.encodeStateVector(witness.doc).toString() === Y.encodeStateVector(person.doc).toString(),
      5000,
      'the visit’s writes relayed',
    )
    expect(server.logs.filter((l) => l.event === 'sync.write_denied')).toEqual([])
    person.destroy()
    witness.destroy()
    await waitFor(() => unloads(server) > unloaded, 5000, 'room unloaded')
  }

  it('takes no automatic snapshot for connect-write-leave cycles that change no content, and one for a change', async () => {
    const server = await start({ ROOM_GRACE_MS: '50', SNAPSHOT_INTERVAL_MS: '3600000' })
    const room = await createRoom(server, 'Swindon: visits')
    const { participant, observer, facilitator } = room.tokens
    let lineId = ''
    await visit(server, room.roomId, participant, observer, (doc, actor) => {
      lineId = addPotLine(doc, line('Work Programme', 60_000_000), actor, 1)
    })
    const first = (await list(server, room.roomId, facilitator)).snapshots
    expect(first.map((s) => s.kind)).toEqual(['auto-left'])
    expect(lineId).not.toBe('')
    const skippedBefore = await metric(server, 'skipped_unchanged')

    // Five visits that only say "I was here": the content is what the snapshot holds.
    for (let i = 0; i < 5; i++) await visit(server, room.roomId, participant, observer)
    expect((await list(server, room.roomId, facilitator)).snapshots).toEqual(first)
    expect((await metric(server, 'skipped_unchanged')) - skippedBefore).toBe(5)

    // A visit that changes something: one more.
    await visit(server, room.roomId, participant, observer, (doc, actor) =>
      updatePotLine(doc, lineId, { amount: 75_000_000 }, actor, 2),
    )
    const after = (await list(server, room.roomId, facilitator)).snapshots
    expect(after).toHaveLength(2)
    expect(after[0]).toMatchObject({ kind: 'auto-left', author: 'server' })
    expect(after[1]).toEqual(first[0])
    const bytes = new Uint8Array(
      await (
        await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${after[0]!.id}?format=ydoc`, {
          headers: bearer(facilitator),
        })
      ).arrayBuffer(),
    )
    const doc = new Y.Doc()
    Y.applyUpdate(doc, bytes)
    expect(readPotLines(doc)[0]!.amount).toBe(75_000_000)

    // The facilitator's agenda snapshot of unchanged content points at the newest instead (200).
    const agenda = await post(server, room.roomId, facilitator, { name: 'Agenda: “Pot” ended', kind: 'auto-agenda' })
    expect(agenda.status).toBe(200)
    expect(snapshotMetaSchema.parse(await agenda.json()).id).toBe(after[0]!.id)
    // A manual one is taken whatever it holds: a person asked for it.
    expect((await take(server, room.roomId, facilitator, 'Same again')).sha256).toBe(after[0]!.sha256)
  })

  it('thins automatic snapshots older than a day to the last of each day, after the next automatic one', async () => {
    const server = await start({ ROOM_GRACE_MS: '50', SNAPSHOT_INTERVAL_MS: '3600000' })
    const room = await createRoom(server, 'Kent: months of work')
    const { participant, observer, facilitator } = room.tokens
    // Earlier snapshots, written through the store as the server wrote them then. Times are UTC
    // hours of one date that is that same date in London (GMT or BST) whatever the season.
    const store = await backend.openStore(server)
    stores.push(store)
    const at = (daysAgo: number, hourUtc: number) => {
      const day = new Date(Date.now() - daysAgo * 24 * HOUR)
      return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc)
    }
    const doc = new Y.Doc()
    const old: SnapshotRecord[] = []
    const write = async (id: string, kind: SnapshotRecord['kind'], createdAt: number) => {
      putRecord(doc, id, { text: id })
      const state = Y.encodeStateAsUpdate(doc)
      const record: SnapshotRecord = {
        id: `${id}-${room.roomId.slice(0, 6)}`.padEnd(16, '0'),
        roomId: room.roomId,
        name: id,
        author: kind === 'manual' ? { name: 'Fiona' } : 'server',
        kind,
        createdAt,
        size: state.byteLength,
        sha256: sha256Hex(state),
        contentHash: null,
      }
      expect((await store.createSnapshot(record, state)).stored).toBe(true)
      old.push(record)
      return record.id
    }
    const gone = [await write('d3-09', 'auto-left', at(3, 9)), await write('d3-12', 'auto-interval', at(3, 12))]
    const keptManual = await write('d3-13-manual', 'manual', at(3, 13))
    const keptAgenda = await write('d3-14-agenda', 'auto-agenda', at(3, 14))
    const keptD3 = await write('d3-18', 'auto-left', at(3, 18))
    gone.push(await write('d2-10', 'auto-interval', at(2, 10)))
    const keptD2 = await write('d2-11', 'auto-left', at(2, 11))
    const keptRecent = [
      await write('recent-5h', 'auto-left', Date.now() - 5 * HOUR),
      await write('recent-2h', 'auto-left', Date.now() - 2 * HOUR),
    ]
    const before = await list(server, room.roomId, facilitator)
    expect(before.snapshots).toHaveLength(old.length)

    // Nothing is thinned until the server takes an automatic snapshot.
    await visit(server, room.roomId, participant, observer, (d, actor) =>
      addPotLine(d, line('Troubled Families', 4_000_000), actor, 1),
    )
    const after = await list(server, room.roomId, facilitator)
    const ids = after.snapshots.map((s) => s.id)
    expect(ids).toHaveLength(old.length - gone.length + 1)
    expect(after.snapshots[0]).toMatchObject({ kind: 'auto-left', author: 'server' })
    for (const id of [keptManual, keptAgenda, keptD3, keptD2, ...keptRecent]) expect(ids).toContain(id)
    for (const id of gone) expect(ids).not.toContain(id)
    expect(after.usage.bytes).toBeLessThan(before.usage.bytes + after.snapshots[0]!.size)
    expect(server.logs.some((l) => l.event === 'snapshot.pruned' && l.count === gone.length)).toBe(true)
    expect(await metric(server, 'pruned')).toBe(gone.length)
  })

  it('refuses a snapshot over the quota with 507 and how much is used, skips an automatic one, and takes it once there is room', async () => {
    const server = await start({
      ROOM_GRACE_MS: '50',
      SNAPSHOT_INTERVAL_MS: '3600000',
      SNAPSHOT_QUOTA_BYTES: '4096',
      MAX_DOCUMENT_BYTES: '3000',
    })
    const room = await createRoom(server, 'Medway: a small quota')
    const { participant, observer, facilitator } = room.tokens
    // About 2 kB of content: one snapshot fits the 4 KB quota, two different ones do not.
    const writer = join(server, room.roomId, participant)
    await writer.firstSync
    putRecord(writer.doc, 'notes', { text: 'n'.repeat(2000) })
    const witness = join(server, room.roomId, observer)
    await waitFor(() => witness.doc.getArray('canvas').length === 1, 5000, 'record relayed')
    const first = await take(server, room.roomId, facilitator, 'Before the break')
    expect(first.size).toBeGreaterThan(2048)
    // Unchanged: the same state costs nothing, so it is taken even with the quota nearly used.
    const same = await take(server, room.roomId, facilitator, 'Before the break, again')
    expect(same.sha256).toBe(first.sha256)

    putRecord(writer.doc, 'notes', { text: 'm'.repeat(2000) })
    await waitFor(() => JSON.stringify(witness.doc.getArray('canvas').toJSON()).includes('mmm'), 5000, 'change relayed')
    const refused = await post(server, room.roomId, facilitator, { name: 'After the break' })
    expect(refused.status).toBe(507)
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('snapshot_quota_exceeded')
    expect(error.message).toMatch(
      /^This workshop’s snapshots already use [\d.]+ KB of the 4 KB it may keep, and this snapshot needs [\d.]+ KB more\. As the facilitator, you can delete old snapshots in the Snapshots tab to make room\.$/,
    )
    const { snapshots, usage } = await list(server, room.roomId, observer)
    expect(snapshots.map((s) => s.id)).toEqual([same.id, first.id])
    expect(usage).toEqual({ bytes: first.size, quotaBytes: 4096, maxDocumentBytes: 3000 })

    // The server's own snapshot as everyone leaves is skipped, logged and counted.
    const skipped = await metric(server, 'skipped_over_quota')
    writer.destroy()
    witness.destroy()
    await waitFor(() => unloads(server) >= 1, 5000, 'room unloaded')
    expect((await list(server, room.roomId, observer)).snapshots).toHaveLength(2)
    expect(await metric(server, 'skipped_over_quota')).toBe(skipped + 1)
    expect(server.logs).toContainEqual(
      expect.objectContaining({ event: 'snapshot.skipped', reason: 'over_quota', kind: 'auto-left', quota: 4096 }),
    )

    // Once the facilitator deletes both snapshots of the old state, there is room again.
    for (const sid of [first.id, same.id])
      expect((await remove(server, room.roomId, facilitator, sid)).status).toBe(200)
    const taken = await take(server, room.roomId, facilitator, 'After the break')
    expect((await list(server, room.roomId, observer)).usage.bytes).toBe(taken.size)

    // A document bigger than MAX_DOCUMENT_BYTES: 413, whatever the quota.
    const big = await createRoom(server, 'Medway: too big')
    const filler = join(server, big.roomId, big.tokens.participant)
    await filler.firstSync
    putRecord(filler.doc, 'big', { text: 'b'.repeat(3200) })
    const bigWitness = join(server, big.roomId, big.tokens.observer)
    await waitFor(() => bigWitness.doc.getArray('canvas').length === 1, 5000, 'big record relayed')
    const tooLarge = await post(server, big.roomId, big.tokens.facilitator, { name: 'Too big' })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.json()).toEqual({
      error: {
        code: 'document_too_large',
        message: expect.stringMatching(/^The workshop is 3\.\d KB, more than the 2\.9 KB a snapshot may hold/),
      },
    })
  })

  it('lets the facilitator delete a snapshot, and nobody else', async () => {
    const server = await start({ ROOM_GRACE_MS: '600000', SNAPSHOT_INTERVAL_MS: '3600000' })
    const room = await createRoom(server, 'Lincolnshire: tidying up')
    const other = await createRoom(server, 'Another workshop')
    const { facilitator, participant, observer } = room.tokens
    const writer = join(server, room.roomId, participant)
    await writer.firstSync
    addPotLine(writer.doc, line('Work Programme', 1_000_000), dwp, 1)
    const witness = join(server, room.roomId, observer)
    await waitFor(() => readPotLines(witness.doc).length === 1, 5000, 'line relayed')
    // Two snapshots of one state share its bytes.
    const first = await take(server, room.roomId, facilitator, 'First')
    const second = await take(server, room.roomId, facilitator, 'Second')
    const theirs = await take(server, other.roomId, other.tokens.facilitator, 'Theirs')

    for (const token of [participant, observer]) {
      const response = await remove(server, room.roomId, token, first.id)
      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({
        error: { code: 'forbidden', message: 'Only the facilitator can delete snapshots.' },
      })
    }
    for (const sid of ['nosuchsnapshotid00000', 'bad', theirs.id]) {
      const response = await remove(server, room.roomId, facilitator, sid)
      expect(response.status, sid).toBe(404)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('no_such_snapshot')
    }
    expect((await list(server, other.roomId, other.tokens.observer)).snapshots.map((s) => s.id)).toEqual([theirs.id])

    const deleted = await remove(server, room.roomId, facilitator, first.id)
    expect(deleted.status).toBe(200)
    expect(deleted.headers.get('cache-control')).toBe('no-store')
    const body = deleteSnapshotResponseSchema.parse(await deleted.json())
    // The second snapshot still holds the state: nothing freed.
    expect(body).toMatchObject({ deleted: first, freedBytes: 0, usage: { bytes: first.size } })
    const listed = await list(server, room.roomId, observer)
    expect(listed.snapshots.map((s) => s.id)).toEqual([second.id])
    const kept = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${second.id}?format=ydoc`, {
      headers: bearer(observer),
    })
    expect(sha256Hex(new Uint8Array(await kept.arrayBuffer()))).toBe(second.sha256)
    expect((await remove(server, room.roomId, facilitator, first.id)).status).toBe(404)
    expect(
      (await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${first.id}`, { headers: bearer(observer) }))
        .status,
    ).toBe(404)

    const last = deleteSnapshotResponseSchema.parse(
      await (await remove(server, room.roomId, facilitator, second.id)).json(),
    )
    expect(last).toMatchObject({ freedBytes: second.size, usage: { bytes: 0 } })
    expect((await list(server, room.roomId, observer)).snapshots).toEqual([])
    expect(await metric(server, 'deleted')).toBe(2)
    expect(server.logs).toContainEqual(
      expect.objectContaining({ event: 'snapshot.deleted', room: room.roomId, snapshot: second.id }),
    )
    // The live room is untouched.
    expect(readPotLines(witness.doc)).toHaveLength(1)
  })
})
