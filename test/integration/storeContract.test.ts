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
  teardown(): Promise<void>
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
    await store.compact(id, Y.encodeStateAsUpdate(doc))
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
    await mine.compact(id, Y.encodeStateAsUpdate(doc))
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
      if (i % 5 === 4) work.push(store.compact(id, emptyState()))
    }
    await Promise.all(work)
    const values = listOf((await a.loadUpdates(id)).updates).sort((x, y) => x - y)
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })

  it('stores snapshots exactly, lists them newest first, and refuses to change or delete one', async () => {
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
    await expect(backend.exec(`DELETE FROM snapshots WHERE id = '${snapA.id}'`)).rejects.toThrow(/immutable/)
    expect(await store.listSnapshots(id)).toEqual([snapB, snapA])
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
