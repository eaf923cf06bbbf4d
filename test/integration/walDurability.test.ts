/**
 * Durable before relayed, with the fsync off the event loop (server/storage/walSync.ts): the
 * SQLite store commits without syncing and resolves a write only once its log is synced. A store
 * whose sync the test holds shows that nothing is said stored, nor relayed to another client,
 * before the sync; that the event loop runs meanwhile; and that a failed sync fails the write.
 * Compaction of a room whose rows this process wrote replaces them without merging them again,
 * and merges whenever the stored rows are not the ones the room holds.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { addBarrier, DEFAULT_BARRIER, readBarriers } from '../../shared/barriers.ts'
import { recordMember } from '../../shared/schema.ts'
import { readConfig } from '../../server/config.ts'
import { setLogLevel } from '../../server/log.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import * as merge from '../../server/storage/merge.ts'
import { SqliteStore } from '../../server/storage/sqlite.ts'
import { TEST_SECRET, tempDir } from '../helpers/serverProcess.ts'
import { facilitatorActor } from '../helpers/rulesRoom.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'

vi.mock('../../server/storage/merge.ts', async (original) => {
  const actual = await original<typeof import('../../server/storage/merge.ts')>()
  return { mergeWithStored: vi.fn(actual.mergeWithStored) }
})

/** A log sync the test can hold: while held, every sync waits for release(). */
function heldSync() {
  let gate: { promise: Promise<void>; release: () => void; fail: (error: Error) => void } | null = null
  let calls = 0
  return {
    get calls() {
      return calls
    },
    hold() {
      let release!: () => void
      let fail!: (error: Error) => void
      const promise = new Promise<void>((resolve, reject) => {
        release = resolve
        fail = reject
      })
      gate = { promise, release, fail }
    },
    release() {
      gate?.release()
      gate = null
    },
    fail(error: Error) {
      gate?.fail(error)
      gate = null
    },
    sync: async () => {
      calls++
      if (gate) await gate.promise
    },
  }
}

const keys = { facilitator: null, participant: null, observer: null }
const update = (values: number[]) => {
  const doc = new Y.Doc()
  doc.getArray<number>('list').push(values)
  return Y.encodeStateAsUpdate(doc)
}
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  vi.mocked(merge.mergeWithStored).mockClear()
})
function storeIn(dir: string, syncWal?: () => Promise<void>): SqliteStore {
  const store = new SqliteStore(path.join(dir, 'commonpot.sqlite'), syncWal ? { syncWal } : {})
  cleanups.push(() => store.close())
  return store
}
function newDir(): string {
  const dir = tempDir('wal-')
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

describe('the SQLite store’s fsync off the event loop', () => {
  it('says an append is stored only once its log is synced, and the event loop runs meanwhile', async () => {
    const dir = newDir()
    const sync = heldSync()
    const store = storeIn(dir, sync.sync)
    await store.createRoom({ id: 'room-a', title: 'A', createdAt: 1, keys }, update([0]))
    sync.hold()
    let stored = false
    const append = store.appendUpdates([{ roomId: 'room-a', update: update([1]) }]).then(() => {
      stored = true
    })
    // The commit has run (another connection reads the row) but is not yet said to be stored...
    const reader = new Database(path.join(dir, 'commonpot.sqlite'), { readonly: true })
    cleanups.push(() => reader.close())
    expect(reader.prepare('SELECT COUNT(*) AS n FROM updates').get()).toEqual({ n: 2 })
    // ...and while the disk syncs, the loop goes on: timers and other work run.
    let turns = 0
    const ticking = setInterval(() => turns++, 1)
    await sleep(30)
    clearInterval(ticking)
    expect(turns).toBeGreaterThan(5)
    expect(stored).toBe(false)
    sync.release()
    await append
    expect(stored).toBe(true)
  })

  it('fails the write when the sync fails', async () => {
    const sync = heldSync()
    const store = storeIn(newDir(), sync.sync)
    await store.createRoom({ id: 'room-b', title: 'B', createdAt: 1, keys }, update([0]))
    sync.hold()
    const append = store.appendUpdates([{ roomId: 'room-b', update: update([1]) }])
    sync.fail(new Error('EIO: i/o error, fdatasync'))
    await expect(append).rejects.toThrow('EIO')
  })

  it('syncs the real log, and what it said was stored is there when the file is opened again', async () => {
    const dir = newDir()
    const store = new SqliteStore(path.join(dir, 'commonpot.sqlite'))
    await store.createRoom({ id: 'room-c', title: 'C', createdAt: 1, keys }, update([0]))
    await store.appendUpdates([{ roomId: 'room-c', update: update([1]) }])
    await store.compact('room-c', update([7]), 1)
    await store.appendUpdates([{ roomId: 'room-c', update: update([2]) }])
    await store.close()
    const again = storeIn(dir)
    expect((await again.loadUpdates('room-c')).updates).toHaveLength(2)
  })

  it('compacts rows it wrote without merging them again, and merges rows it did not write', async () => {
    const dir = newDir()
    const store = storeIn(dir)
    const doc = new Y.Doc()
    await store.createRoom({ id: 'room-d', title: 'D', createdAt: 1, keys }, Y.encodeStateAsUpdate(doc))
    const rows: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => rows.push(u))
    for (let i = 0; i < 20; i++) doc.getArray<number>('list').push([i])
    await store.appendUpdates(rows.map((u) => ({ roomId: 'room-d', update: u })))
    // The room holds all 21 rows: its state replaces them as it is.
    const state = Y.encodeStateAsUpdate(doc)
    await store.compact('room-d', state, 21)
    expect(merge.mergeWithStored).not.toHaveBeenCalled()
    const compacted = (await store.loadUpdates('room-d')).updates
    expect(compacted).toHaveLength(1)
    expect(Buffer.from(compacted[0]!).equals(Buffer.from(state))).toBe(true)

    // A row the room never held (written past it): the count disagrees, so the state is merged
    // with what is stored and the row is kept.
    const other = storeIn(dir)
    await other.appendUpdates([{ roomId: 'room-d', update: update([99]) }])
    doc.getArray<number>('list').push([20])
    await store.appendUpdates([{ roomId: 'room-d', update: rows.at(-1)! }])
    await store.compact('room-d', Y.encodeStateAsUpdate(doc), 2)
    expect(merge.mergeWithStored).toHaveBeenCalledTimes(1)
    const merged = new Y.Doc()
    for (const u of (await store.loadUpdates('room-d')).updates) Y.applyUpdate(merged, u)
    expect(merged.getArray<number>('list').toArray()).toEqual(
      expect.arrayContaining([...doc.getArray<number>('list').toArray(), 99]),
    )
  })
})

describe('a room relayed by a server on that store', () => {
  let server: RunningServer | null = null
  afterEach(async () => {
    await server?.close()
    server = null
  })

  it('relays an edit to the other clients only once it is on disk', async () => {
    const dir = newDir()
    const sync = heldSync()
    const store = new SqliteStore(path.join(dir, 'commonpot.sqlite'), { syncWal: sync.sync })
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SECRET: TEST_SECRET, LOG_LEVEL: 'error' })
    setLogLevel(config.logLevel)
    server = await startServer(config, { store })
    const origin = `http://127.0.0.1:${server.port}`
    const where = { origin, wsOrigin: `ws://127.0.0.1:${server.port}` }
    const room = await createRoom(where)
    const clients: TestClient[] = []
    cleanups.push(() => clients.forEach((c) => c.destroy()))
    const writer = connect(where, room.roomId, room.tokens.facilitator)
    const reader = connect(where, room.roomId, room.tokens.observer)
    clients.push(writer, reader)
    await Promise.all([writer.firstSync, reader.firstSync])
    recordMember(
      writer.doc,
      facilitatorActor.userId,
      { name: facilitatorActor.name, organisation: facilitatorActor.organisation, role: 'facilitator' },
      Date.now(),
    )
    await waitFor(() => reader.doc.getMap('members').size > 0, 5000, 'the member record relayed')

    sync.hold()
    const before = sync.calls
    addBarrier(
      writer.doc,
      { ...DEFAULT_BARRIER, title: 'ESF match funding', raisedBy: 'Swindon' },
      facilitatorActor,
      Date.now(),
    )
    await waitFor(() => sync.calls > before, 5000, 'the flush to reach the sync')
    await sleep(150)
    expect(readBarriers(reader.doc)).toEqual([])
    sync.release()
    await waitFor(() => readBarriers(reader.doc).length === 1, 5000, 'the barrier relayed once stored')
    expect(readBarriers(reader.doc)[0]!.title).toBe('ESF match funding')
  })
})
