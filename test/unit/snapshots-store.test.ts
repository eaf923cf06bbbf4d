import Database from 'better-sqlite3'
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../server/snapshots.ts'
import { SqliteStore } from '../../server/storage/sqlite.ts'
import type { SnapshotRecord } from '../../server/storage/store.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})
function file(): string {
  const dir = fs.mkdtempSync(path.join(process.env.COMMONPOT_TEST_TMP ?? os.tmpdir(), 'snapstore-'))
  dirs.push(dir)
  return path.join(dir, 'commonpot.sqlite')
}
const keys = { facilitator: 'f', participant: 'p', observer: 'o' }
const record = (
  roomId: string,
  id: string,
  createdAt: number,
  state: Uint8Array,
  over: Partial<SnapshotRecord> = {},
): SnapshotRecord => ({
  id,
  roomId,
  name: id,
  author: 'server',
  kind: 'auto-left',
  createdAt,
  size: state.byteLength,
  sha256: sha256Hex(state),
  contentHash: null,
  ...over,
})

describe('the SQLite snapshot store', () => {
  it('stores exact bytes, lists metadata newest first, and keeps rooms apart', async () => {
    const store = new SqliteStore(file())
    await store.createRoom({ id: 'room-a', title: 'A', createdAt: 1, keys }, new Uint8Array([0, 0]))
    await store.createRoom({ id: 'room-b', title: 'B', createdAt: 1, keys }, new Uint8Array([0, 0]))
    const one = new Uint8Array([1, 2, 3])
    const two = new Uint8Array([4, 5, 6, 7])
    await store.createSnapshot(
      record('room-a', 'one', 10, one, { kind: 'manual', author: { name: 'Sam', organisation: 'CLG' } }),
      one,
    )
    await store.createSnapshot(record('room-a', 'two', 20, two), two)
    await store.createSnapshot(record('room-b', 'three', 30, one), one)
    const listed = await store.listSnapshots('room-a')
    expect(listed.map((s) => s.id)).toEqual(['two', 'one'])
    expect(listed[1]).toEqual(
      record('room-a', 'one', 10, one, { kind: 'manual', author: { name: 'Sam', organisation: 'CLG' } }),
    )
    const got = await store.getSnapshot('room-a', 'two')
    expect(got?.meta).toEqual(listed[0])
    expect([...got!.state]).toEqual([4, 5, 6, 7])
    expect(await store.getSnapshot('room-a', 'three')).toBeUndefined()
    expect(await store.getSnapshot('room-b', 'nope')).toBeUndefined()
    // Ids are unique: a second write with the same id fails rather than replacing the first.
    await expect(store.createSnapshot(record('room-a', 'one', 40, two), two)).rejects.toThrow()
    await store.close()
  })

  it('refuses to update a snapshot even through SQL, and survives reopening', async () => {
    const where = file()
    const store = new SqliteStore(where)
    await store.createRoom({ id: 'room-a', title: 'A', createdAt: 1, keys }, new Uint8Array([0, 0]))
    const bytes = new Uint8Array([9, 9, 9])
    await store.createSnapshot(record('room-a', 'kept', 10, bytes), bytes)
    await store.close()
    const raw = new Database(where)
    expect(() => raw.prepare("UPDATE snapshots SET name = 'changed' WHERE id = 'kept'").run()).toThrow(/immutable/)
    raw.close()
    const again = new SqliteStore(where)
    expect((await again.listSnapshots('room-a')).map((s) => s.name)).toEqual(['kept'])
    expect([...(await again.getSnapshot('room-a', 'kept'))!.state]).toEqual([9, 9, 9])
    await again.close()
  })
})
