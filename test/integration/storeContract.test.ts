/**
 * The Store contract, one suite run against every implementation: the embedded SQLite file and
 * PostgreSQL (a fresh schema per run). "Another instance" is a second store opened on the same
 * file or schema, as a second server process would.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../server/snapshots.ts'
import { PostgresStore } from '../../server/storage/postgres.ts'
import { SqliteStore } from '../../server/storage/sqlite.ts'
import type { SnapshotRecord, Store } from '../../server/storage/store.ts'
import { freshSchema, type TestSchema } from '../helpers/multiInstance.ts'
import { tempDir } from '../helpers/serverProcess.ts'

interface Backend {
  name: string
  setup(): Promise<void>
  /** A store on the shared location; call twice for two "instances". */
  open(): Promise<Store>
  /** Runs one statement directly against the database, bypassing the Store. */
  exec(sql: string): Promise<void>
  /**
   * A location of its own holding what the release before issue #18 left (its schema, written by
   * hand here: snapshots with their state bytes in the row, deletion refused) with these rows;
   * answers how to open a store on it.
   */
  previousRelease(rows: LegacySnapshot[]): Promise<{ open(): Promise<Store>; drop(): Promise<void> }>
  teardown(): Promise<void>
}

interface LegacySnapshot {
  id: string
  roomId: string
  createdAt: number
  state: Uint8Array
}

function sqliteBackend(): Backend {
  let dir = ''
  const file = () => path.join(dir, 'commonpot.sqlite')
  return {
    name: 'SQLite',
    async setup() {
      dir = tempDir('store-contract-')
    },
    async open() {
      return new SqliteStore(file())
    },
    async exec(sql) {
      const db = new Database(file())
      try {
        db.exec(sql)
      } finally {
        db.close()
      }
    },
    async previousRelease(rows) {
      const own = tempDir('store-legacy-')
      const where = path.join(own, 'commonpot.sqlite')
      const db = new Database(where)
      db.exec(`
        CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL,
          facilitator_kid TEXT, participant_kid TEXT, observer_kid TEXT);
        CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room_id TEXT NOT NULL REFERENCES rooms(id), data BLOB NOT NULL);
        CREATE INDEX updates_by_room ON updates(room_id, seq);
        CREATE TABLE snapshots (id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id), name TEXT NOT NULL,
          author TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto-left', 'auto-interval', 'auto-agenda')),
          created_at INTEGER NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, state BLOB NOT NULL);
        CREATE INDEX snapshots_by_room ON snapshots(room_id, created_at);
        CREATE TRIGGER snapshots_immutable BEFORE UPDATE ON snapshots BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
        CREATE TRIGGER snapshots_undeletable BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
        CREATE TABLE organisation_keys (room_id TEXT NOT NULL REFERENCES rooms(id), role TEXT NOT NULL, organisation TEXT NOT NULL,
          kid TEXT NOT NULL, PRIMARY KEY (room_id, role, organisation));
        PRAGMA user_version = 3;
      `)
      const room = db.prepare('INSERT OR IGNORE INTO rooms (id, title, created_at) VALUES (?, ?, 1)')
      const insert = db.prepare(
        `INSERT INTO snapshots (id, room_id, name, author, kind, created_at, size, sha256, state)
         VALUES (?, ?, ?, '"server"', 'auto-left', ?, ?, ?, ?)`,
      )
      for (const row of rows) {
        room.run(row.roomId, 'Legacy')
        insert.run(
          row.id,
          row.roomId,
          `Snapshot ${row.id}`,
          row.createdAt,
          row.state.byteLength,
          sha256Hex(row.state),
          row.state,
        )
      }
      db.close()
      return {
        open: async () => new SqliteStore(where),
        drop: async () => fs.rmSync(own, { recursive: true, force: true }),
      }
    },
    async teardown() {
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

function postgresBackend(): Backend {
  let schema: TestSchema | undefined
  return {
    name: 'PostgreSQL',
    async setup() {
      schema = await freshSchema('contract')
    },
    open: () => PostgresStore.open(schema!.url, { poolSize: 4 }),
    async exec(sql) {
      await schema!.query(sql)
    },
    async previousRelease(rows) {
      const own = await freshSchema('legacy')
      await own.query(`
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (2);
        CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at BIGINT NOT NULL,
          facilitator_kid TEXT, participant_kid TEXT, observer_kid TEXT);
        CREATE TABLE updates (seq BIGSERIAL PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id), data BYTEA NOT NULL);
        CREATE INDEX updates_by_room ON updates(room_id, seq);
        CREATE TABLE snapshots (seq BIGSERIAL, id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id),
          name TEXT NOT NULL, author TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto-left', 'auto-interval', 'auto-agenda')),
          created_at BIGINT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, state BYTEA NOT NULL);
        CREATE INDEX snapshots_by_room ON snapshots(room_id, created_at);
        CREATE FUNCTION snapshots_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'snapshots are immutable'; END $$;
        CREATE TRIGGER snapshots_immutable BEFORE UPDATE OR DELETE ON snapshots
          FOR EACH ROW EXECUTE FUNCTION snapshots_refuse_change();
        CREATE TABLE organisation_keys (room_id TEXT NOT NULL REFERENCES rooms(id), role TEXT NOT NULL,
          organisation TEXT NOT NULL, kid TEXT NOT NULL, PRIMARY KEY (room_id, role, organisation));
      `)
      for (const row of rows) {
        await own.query(`INSERT INTO rooms (id, title, created_at) VALUES ($1, 'Legacy', 1) ON CONFLICT DO NOTHING`, [
          row.roomId,
        ])
        await own.query(
          `INSERT INTO snapshots (id, room_id, name, author, kind, created_at, size, sha256, state)
           VALUES ($1, $2, $3, '"server"', 'auto-left', $4, $5, $6, $7)`,
          [
            row.id,
            row.roomId,
            `Snapshot ${row.id}`,
            row.createdAt,
            row.state.byteLength,
            sha256Hex(row.state),
            Buffer.from(row.state),
          ],
        )
      }
      return { open: () => PostgresStore.open(own.url, { poolSize: 2 }), drop: () => own.drop() }
    },
    async teardown() {
      await schema?.drop()
    },
  }
}

const keys = { facilitator: 'kf', participant: 'kp', observer: 'ko' }
let roomCounter = 0
const newRoomId = () => `room-${++roomCounter}-${Math.random().toString(36).slice(2, 8)}`

/** A Yjs update that pushes `values` to the array "list", as a client's edit would. */
function edit(values: number[], base?: Uint8Array): Uint8Array {
  const doc = new Y.Doc()
  if (base) Y.applyUpdate(doc, base)
  const before = Y.encodeStateVector(doc)
  doc.getArray<number>('list').push(values)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

function listOf(updates: readonly Uint8Array[]): number[] {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  const list = doc.getArray<number>('list').toArray()
  doc.destroy()
  return list
}

const snapshotRecord = (roomId: string, id: string, createdAt: number, state: Uint8Array): SnapshotRecord => ({
  id,
  roomId,
  name: `Snapshot ${id}`,
  author: { name: 'Priya', organisation: 'Swindon Borough Council' },
  kind: 'manual',
  createdAt,
  size: state.byteLength,
  sha256: sha256Hex(state),
  contentHash: null,
})

describe.each([sqliteBackend(), postgresBackend()])('the $name store', (backend) => {
  const stores: Store[] = []
  const open = async () => {
    const store = await backend.open()
    stores.push(store)
    return store
  }
  const emptyState = () => Y.encodeStateAsUpdate(new Y.Doc())

  beforeAll(() => backend.setup())
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
  })
  afterAll(() => backend.teardown())

  it('creates rooms, reads them back, rotates keys and keeps titles', async () => {
    const store = await open()
    const id = newRoomId()
    await store.createRoom({ id, title: 'Swindon families', createdAt: 1_700_000_000_123, keys }, emptyState())
    expect(await store.getRoom(id)).toEqual({ id, title: 'Swindon families', createdAt: 1_700_000_000_123, keys })
    expect(await store.getRoom('no-such-room')).toBeUndefined()
    await store.setRoleKey(id, 'participant', 'kp2')
    await store.setTitle(id, 'Swindon families: round two')
    expect(await store.getRoom(id)).toMatchObject({
      title: 'Swindon families: round two',
      keys: { ...keys, participant: 'kp2' },
    })
    await expect(store.setRoleKey('no-such-room', 'observer', 'x')).rejects.toThrow()
    // A room id is unique: creating it twice fails and leaves the first intact.
    await expect(store.createRoom({ id, title: 'Impostor', createdAt: 2, keys }, emptyState())).rejects.toThrow()
    expect((await store.getRoom(id))?.title).toBe('Swindon families: round two')
  })

  it('keeps a key id per room, role and organisation: made once, shared by instances, rotated alone', async () => {
    const store = await open()
    const other = await open()
    const id = newRoomId()
    const next = newRoomId()
    await store.createRoom({ id, title: 'Kent', createdAt: 1, keys }, emptyState())
    await store.createRoom({ id: next, title: 'Medway', createdAt: 1, keys }, emptyState())
    expect(await store.getOrganisationKey(id, 'participant', 'DWP')).toBeUndefined()

    // The first link of an organisation makes its key id; a second attempt, here or on another instance, gets the same.
    expect(await store.ensureOrganisationKey(id, 'participant', 'DWP', 'org-1')).toBe('org-1')
    expect(await other.ensureOrganisationKey(id, 'participant', 'DWP', 'org-2')).toBe('org-1')
    const [a, b] = await Promise.all([
      store.ensureOrganisationKey(id, 'participant', 'Kent Police', 'race-a'),
      other.ensureOrganisationKey(id, 'participant', 'Kent Police', 'race-b'),
    ])
    expect(a).toBe(b)

    // Keys are apart by role, organisation (exactly as written) and room.
    expect(await store.ensureOrganisationKey(id, 'facilitator', 'DWP', 'fac-1')).toBe('fac-1')
    expect(await store.getOrganisationKey(id, 'participant', 'dwp')).toBeUndefined()
    expect(await store.getOrganisationKey(next, 'participant', 'DWP')).toBeUndefined()

    // Rotating replaces one key id, and makes one where there was none (revoking before any link).
    await other.setOrganisationKey(id, 'participant', 'DWP', 'org-3')
    await store.setOrganisationKey(next, 'participant', 'DWP', 'fresh')
    expect(await store.getOrganisationKey(id, 'participant', 'DWP')).toBe('org-3')
    expect(await store.getOrganisationKey(id, 'facilitator', 'DWP')).toBe('fac-1')
    expect(await store.getOrganisationKey(next, 'participant', 'DWP')).toBe('fresh')
    // The room's role key ids are untouched.
    expect((await store.getRoom(id))?.keys).toEqual(keys)
    await expect(store.setOrganisationKey('no-such-room', 'participant', 'DWP', 'x')).rejects.toThrow()
    await expect(store.ensureOrganisationKey('no-such-room', 'participant', 'DWP', 'x')).rejects.toThrow()
  })

  it('appends and loads updates byte for byte, oldest first, room by room', async () => {
    const store = await open()
    const a = newRoomId()
    const b = newRoomId()
    await store.createRoom({ id: a, title: 'A', createdAt: 1, keys }, emptyState())
    await store.createRoom({ id: b, title: 'B', createdAt: 1, keys }, emptyState())
    const one = edit([1])
    const two = edit([2])
    const three = edit([3])
    await store.appendUpdates([
      { roomId: a, update: one },
      { roomId: b, update: two },
      { roomId: a, update: three },
    ])
    const loaded = await store.loadUpdates(a)
    expect(loaded.updates.map((u) => [...u])).toEqual([[...emptyState()], [...one], [...three]])
    expect(loaded.bytes).toBe(emptyState().byteLength + one.byteLength + three.byteLength)
    expect(listOf((await store.loadUpdates(b)).updates)).toEqual([2])
    expect(await store.loadUpdates('no-such-room')).toEqual({ updates: [], bytes: 0 })
  })

  it('appends several rooms atomically: one bad entry stores none of them', async () => {
    const store = await open()
    const a = newRoomId()
    await store.createRoom({ id: a, title: 'A', createdAt: 1, keys }, emptyState())
    // An update for a room that does not exist violates the foreign key: the whole batch fails.
    await expect(
      store.appendUpdates([
        { roomId: a, update: edit([1]) },
        { roomId: 'no-such-room', update: edit([2]) },
      ]),
    ).rejects.toThrow()
    expect((await store.loadUpdates(a)).updates).toHaveLength(1)
  })

  it('compacts to one row holding every update', async () => {
    const store = await open()
    const id = newRoomId()
    await store.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 50; i++) doc.getArray<number>('list').push([i])
    doc.getArray<number>('list').delete(0, 10)
    await store.appendUpdates(updates.map((update) => ({ roomId: id, update })))
    // The room's state holds every stored row: its first, and each update appended.
    await store.compact(id, Y.encodeStateAsUpdate(doc), updates.length + 1)
    const loaded = await store.loadUpdates(id)
    expect(loaded.updates).toHaveLength(1)
    expect(listOf(loaded.updates)).toEqual(doc.getArray<number>('list').toArray())
  })

  it('keeps an update another instance appended between load and compact', async () => {
    const mine = await open()
    const other = await open()
    const id = newRoomId()
    await mine.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    await mine.appendUpdates([{ roomId: id, update: edit([1]) }])
    const loaded = await mine.loadUpdates(id)
    const doc = new Y.Doc()
    for (const update of loaded.updates) Y.applyUpdate(doc, update)
    // Stored by the other instance; ours has not heard of it when it compacts.
    await other.appendUpdates([{ roomId: id, update: edit([99]) }])
    await mine.compact(id, Y.encodeStateAsUpdate(doc), loaded.updates.length)
    const after = await other.loadUpdates(id)
    expect(after.updates).toHaveLength(1)
    expect(listOf(after.updates).sort((x, y) => x - y)).toEqual([1, 99])
  })

  it('loses nothing when two instances compact and append one room at once', async () => {
    const a = await open()
    const b = await open()
    const id = newRoomId()
    await a.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    const work: Promise<void>[] = []
    for (let i = 0; i < 20; i++) {
      const store = i % 2 === 0 ? a : b
      work.push(store.appendUpdates([{ roomId: id, update: edit([i]) }]))
      if (i % 5 === 4) work.push(store.compact(id, emptyState(), 0))
    }
    await Promise.all(work)
    const values = listOf((await a.loadUpdates(id)).updates).sort((x, y) => x - y)
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })

  it('stores snapshots exactly, lists them newest first, and refuses to change one', async () => {
    const store = await open()
    const id = newRoomId()
    const otherRoom = newRoomId()
    await store.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    await store.createRoom({ id: otherRoom, title: 'B', createdAt: 1, keys }, emptyState())
    const first = edit([1])
    const second = edit([2])
    const snapA = snapshotRecord(id, `${id}-s1`, 1000, first)
    const snapB = snapshotRecord(id, `${id}-s2`, 2000, second)
    await store.createSnapshot(snapA, first)
    await store.createSnapshot(snapB, second)
    expect(await store.listSnapshots(id)).toEqual([snapB, snapA])
    expect(await store.listSnapshots(otherRoom)).toEqual([])
    const got = await store.getSnapshot(id, snapA.id)
    expect(got?.meta).toEqual(snapA)
    expect([...got!.state]).toEqual([...first])
    expect(await store.getSnapshot(otherRoom, snapA.id)).toBeUndefined()
    await expect(store.createSnapshot({ ...snapA, name: 'Again' }, second)).rejects.toThrow()

    await expect(backend.exec(`UPDATE snapshots SET name = 'Rewritten' WHERE id = '${snapA.id}'`)).rejects.toThrow(
      /immutable/,
    )
    await expect(
      backend.exec(`UPDATE snapshot_states SET size = 1 WHERE room_id = '${id}' AND sha256 = '${snapA.sha256}'`),
    ).rejects.toThrow(/immutable/)
    expect(await store.listSnapshots(id)).toEqual([snapB, snapA])
    expect(await store.latestSnapshot(id)).toEqual(snapB)
    expect(await store.latestSnapshot(otherRoom)).toBeUndefined()
  })

  it('keeps one copy of a state however many snapshots hold it, and counts it once towards the quota', async () => {
    const store = await open()
    const id = newRoomId()
    const otherRoom = newRoomId()
    await store.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    await store.createRoom({ id: otherRoom, title: 'B', createdAt: 1, keys }, emptyState())
    const a = edit(Array.from({ length: 200 }, (_, i) => i))
    const b = edit([7, 8, 9])
    const quota = a.byteLength + b.byteLength
    const first = { ...snapshotRecord(id, `${id}-1`, 1000, a), contentHash: 'c'.repeat(64) }
    expect(await store.createSnapshot(first, a, quota)).toEqual({
      stored: true,
      addedBytes: a.byteLength,
      usedBytes: a.byteLength,
    })
    // The same state again (a facilitator pressing "Take snapshot" twice): no new bytes.
    const again = snapshotRecord(id, `${id}-2`, 2000, a)
    expect(await store.createSnapshot(again, a, quota)).toEqual({
      stored: true,
      addedBytes: 0,
      usedBytes: a.byteLength,
    })
    expect(await store.snapshotBytes(id)).toBe(a.byteLength)
    expect([...(await store.getSnapshot(id, again.id))!.state]).toEqual([...a])
    expect((await store.getSnapshot(id, first.id))!.meta.contentHash).toBe('c'.repeat(64))
    expect(await store.latestSnapshot(id)).toEqual(again)

    // Past the quota: refused, and nothing of it written.
    const over = snapshotRecord(id, `${id}-3`, 3000, b)
    expect(await store.createSnapshot(over, b, quota - 1)).toEqual({
      stored: false,
      reason: 'over_quota',
      usedBytes: a.byteLength,
      neededBytes: b.byteLength,
    })
    expect((await store.listSnapshots(id)).map((s) => s.id)).toEqual([again.id, first.id])
    expect(await store.snapshotBytes(id)).toBe(a.byteLength)
    // A state the room holds costs nothing, so it is taken even over a quota lowered since.
    expect((await store.createSnapshot(snapshotRecord(id, `${id}-4`, 4000, a), a, 1)).stored).toBe(true)
    // Another room's quota is its own, and it keeps its own copy.
    expect(await store.createSnapshot(snapshotRecord(otherRoom, `${otherRoom}-1`, 1000, a), a, a.byteLength)).toEqual({
      stored: true,
      addedBytes: a.byteLength,
      usedBytes: a.byteLength,
    })
  })

  it('lets only one of two instances past the quota when both write at once', async () => {
    const mine = await open()
    const other = await open()
    const id = newRoomId()
    await mine.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    // Distinct states of one size: the store keeps bytes, whatever they encode.
    const states = Array.from({ length: 6 }, (_, i) => new Uint8Array(100).fill(i + 1))
    const quota = states[0]!.byteLength * 2
    const results = await Promise.all(
      states.map((state, i) =>
        (i % 2 ? other : mine).createSnapshot(snapshotRecord(id, `${id}-${i}`, i, state), state, quota),
      ),
    )
    expect(results.filter((r) => r.stored)).toHaveLength(2)
    expect(await mine.snapshotBytes(id)).toBeLessThanOrEqual(quota)
    expect(await mine.listSnapshots(id)).toHaveLength(2)
  })

  it('deletes snapshots, and a state only once no snapshot of the room holds it', async () => {
    const store = await open()
    const id = newRoomId()
    const otherRoom = newRoomId()
    await store.createRoom({ id, title: 'A', createdAt: 1, keys }, emptyState())
    await store.createRoom({ id: otherRoom, title: 'B', createdAt: 1, keys }, emptyState())
    const a = edit([1, 2, 3])
    const b = edit([4, 5, 6, 7])
    const s1 = snapshotRecord(id, `${id}-1`, 1000, a)
    const s2 = snapshotRecord(id, `${id}-2`, 2000, a)
    const s3 = snapshotRecord(id, `${id}-3`, 3000, b)
    const theirs = snapshotRecord(otherRoom, `${otherRoom}-1`, 1000, a)
    for (const [record, state] of [
      [s1, a],
      [s2, a],
      [s3, b],
      [theirs, a],
    ] as const)
      await store.createSnapshot(record, state)

    // s2 still holds the state: nothing freed, and s2 reads as before.
    expect(await store.deleteSnapshots(id, [s1.id])).toEqual({ deleted: [s1], freedBytes: 0 })
    expect([...(await store.getSnapshot(id, s2.id))!.state]).toEqual([...a])
    expect(await store.snapshotBytes(id)).toBe(a.byteLength + b.byteLength)
    // Another room's id, an unknown id and one already gone are ignored.
    expect(await store.deleteSnapshots(id, [theirs.id, 'no-such-snapshot', s1.id])).toEqual({
      deleted: [],
      freedBytes: 0,
    })
    const rest = await store.deleteSnapshots(id, [s2.id, s3.id])
    expect(rest.deleted.map((s) => s.id).sort()).toEqual([s2.id, s3.id].sort())
    expect(rest.freedBytes).toBe(a.byteLength + b.byteLength)
    expect(await store.listSnapshots(id)).toEqual([])
    expect(await store.snapshotBytes(id)).toBe(0)
    expect(await store.getSnapshot(id, s2.id)).toBeUndefined()
    // The other room's snapshot of the same state is untouched.
    expect([...(await store.getSnapshot(otherRoom, theirs.id))!.state]).toEqual([...a])
    expect(await store.deleteSnapshots(id, [])).toEqual({ deleted: [], freedBytes: 0 })
  })

  it('upgrades the previous release: every snapshot reads as before, identical states are kept once', async () => {
    const a = edit(Array.from({ length: 50 }, (_, i) => i))
    const b = edit([42])
    const legacy = await backend.previousRelease([
      { id: 'old-1', roomId: 'legacy-room', createdAt: 1000, state: a },
      { id: 'old-2', roomId: 'legacy-room', createdAt: 2000, state: a },
      // Taken in the same millisecond as old-2, after it: it stays listed first.
      { id: 'old-3', roomId: 'legacy-room', createdAt: 2000, state: b },
      { id: 'old-4', roomId: 'legacy-other', createdAt: 1000, state: a },
    ])
    try {
      const store = await legacy.open()
      stores.push(store)
      const listed = await store.listSnapshots('legacy-room')
      expect(listed.map((s) => s.id)).toEqual(['old-3', 'old-2', 'old-1'])
      expect(listed[0]).toMatchObject({ kind: 'auto-left', author: 'server', size: b.byteLength, contentHash: null })
      for (const [id, state] of [
        ['old-1', a],
        ['old-2', a],
        ['old-3', b],
      ] as const) {
        const got = (await store.getSnapshot('legacy-room', id))!
        expect([...got.state]).toEqual([...state])
        expect(got.meta.sha256).toBe(sha256Hex(state))
      }
      expect(await store.snapshotBytes('legacy-room')).toBe(a.byteLength + b.byteLength)
      expect(await store.snapshotBytes('legacy-other')).toBe(a.byteLength)
      // Deletable now, which the previous release's trigger refused.
      expect((await store.deleteSnapshots('legacy-room', ['old-1', 'old-2'])).freedBytes).toBe(a.byteLength)
      expect([...(await store.getSnapshot('legacy-other', 'old-4'))!.state]).toEqual([...a])
      await store.close()
      // Opening it again migrates nothing twice.
      const again = await legacy.open()
      stores.push(again)
      expect((await again.listSnapshots('legacy-room')).map((s) => s.id)).toEqual(['old-3'])
    } finally {
      for (const store of stores.splice(0)) await store.close()
      await legacy.drop()
    }
  })

  it('passes its health check while it can be read, and fails it once it cannot', async () => {
    const store = await open()
    await expect(store.check()).resolves.toBeUndefined()
    await store.close()
    await expect(store.check()).rejects.toThrow()
  })

  it('reopens on existing data without migrating twice', async () => {
    const first = await open()
    const id = newRoomId()
    await first.createRoom({ id, title: 'Kept', createdAt: 5, keys }, edit([7]))
    const second = await open()
    expect((await second.getRoom(id))?.title).toBe('Kept')
    expect(listOf((await second.loadUpdates(id)).updates)).toEqual([7])
  })
})
