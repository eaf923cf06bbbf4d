/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode, where every write resolves only
 * once its commit is on disk, so that an update the server has relayed survives a crash or power
 * cut. better-sqlite3 is synchronous, which makes each transaction atomic with respect to the
 * event loop as well; the fsync that makes it durable runs off the loop (walSync.ts).
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { ROLES, type Role } from '../../shared/roles.ts'
import type { SnapshotAuthor } from '../../shared/api.ts'
import { mergeWithStored } from './merge.ts'
import { type SyncWal, walSync } from './walSync.ts'
import type {
  AppendEntry,
  RoomRecord,
  SnapshotRecord,
  SnapshotsDeleted,
  SnapshotWrite,
  Store,
  StoredUpdates,
} from './store.ts'

interface SnapshotRow {
  id: string
  room_id: string
  name: string
  author: string
  kind: SnapshotRecord['kind']
  created_at: number
  size: number
  sha256: string
  content_hash: string | null
}

const SNAPSHOT_COLUMNS = 'id, room_id, name, author, kind, created_at, size, sha256, content_hash'

/** `author` is stored as JSON text: a person object, or the JSON string "server". */
const snapshotFromRow = (row: SnapshotRow): SnapshotRecord => ({
  id: row.id,
  roomId: row.room_id,
  name: row.name,
  author: JSON.parse(row.author) as SnapshotAuthor,
  kind: row.kind,
  createdAt: row.created_at,
  size: row.size,
  sha256: row.sha256,
  contentHash: row.content_hash,
})

interface RoomRow {
  id: string
  title: string
  created_at: number
  facilitator_kid: string | null
  participant_kid: string | null
  observer_kid: string | null
}

const KID_COLUMN: Record<Role, string> = {
  facilitator: 'facilitator_kid',
  participant: 'participant_kid',
  observer: 'observer_kid',
}

/** The snapshots table as migration 2 made it, bytes in the row (migration 4 reshapes it). */
const SNAPSHOTS_TABLE = `
      CREATE TABLE IF NOT EXISTS snapshots (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL REFERENCES rooms(id),
        name TEXT NOT NULL,
        author TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto-left', 'auto-interval', 'auto-agenda')),
        created_at INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        state BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS snapshots_by_room ON snapshots(room_id, created_at);
      CREATE TRIGGER IF NOT EXISTS snapshots_immutable BEFORE UPDATE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
`

/**
 * Schema migrations, in order; `PRAGMA user_version` records how many have run. Each runs in one
 * transaction with the version bump.
 *
 * 1. Role key ids (invite revocation). Rooms that exist already get NULL key ids: their invite
 *    links, signed without a key id, keep working until the facilitator first revokes a role,
 *    which gives that role a key id (server/auth/roomKeys.ts).
 * 2. Snapshots (issue #8): one row per snapshot, written once; a trigger refuses updates.
 * 3. Organisation key ids (issue #16): one row per (room, role, organisation) that ever had a bound
 *    link; rotating its key id revokes that organisation's links of the role alone.
 * 4. Snapshots within bounds (issue #18): the state bytes move to `snapshot_states`, one row per
 *    distinct state of a room (by SHA-256), so that snapshots of an unchanged room share them and
 *    the quota sums them from an index; `snapshots` keeps the metadata, with the content
 *    fingerprint automatic snapshots compare (NULL for the ones before). Snapshots may now be
 *    deleted (by the facilitator, or the retention of automatic ones); updates are still refused.
 *    SQLite cannot add a foreign key to a table in place, so the table is rebuilt, keeping its
 *    rowids (they order snapshots taken in the same millisecond); its old triggers, the one that
 *    refused deletion included, go with the old table.
 */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  (db) => {
    const columns = new Set((db.prepare('PRAGMA table_info(rooms)').all() as { name: string }[]).map((c) => c.name))
    for (const role of ROLES) {
      if (!columns.has(KID_COLUMN[role])) db.exec(`ALTER TABLE rooms ADD COLUMN ${KID_COLUMN[role]} TEXT`)
    }
  },
  (db) => db.exec(SNAPSHOTS_TABLE),
  (db) =>
    db.exec(`
      CREATE TABLE organisation_keys (
        room_id TEXT NOT NULL REFERENCES rooms(id),
        role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'observer')),
        organisation TEXT NOT NULL,
        kid TEXT NOT NULL,
        PRIMARY KEY (room_id, role, organisation)
      );
    `),
  (db) =>
    db.exec(`
      CREATE TABLE snapshot_states (
        room_id TEXT NOT NULL REFERENCES rooms(id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (room_id, sha256)
      );
      CREATE INDEX snapshot_states_usage ON snapshot_states(room_id, size);
      INSERT OR IGNORE INTO snapshot_states (room_id, sha256, size, state)
        SELECT room_id, sha256, size, state FROM snapshots ORDER BY rowid;
      CREATE TABLE snapshots_v4 (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL REFERENCES rooms(id),
        name TEXT NOT NULL,
        author TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto-left', 'auto-interval', 'auto-agenda')),
        created_at INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content_hash TEXT,
        FOREIGN KEY (room_id, sha256) REFERENCES snapshot_states(room_id, sha256)
      );
      INSERT INTO snapshots_v4 (rowid, id, room_id, name, author, kind, created_at, size, sha256, content_hash)
        SELECT rowid, id, room_id, name, author, kind, created_at, size, sha256, NULL FROM snapshots;
      DROP TABLE snapshots;
      ALTER TABLE snapshots_v4 RENAME TO snapshots;
      CREATE INDEX snapshots_by_room ON snapshots(room_id, created_at);
      CREATE INDEX snapshots_by_state ON snapshots(room_id, sha256);
      CREATE TRIGGER snapshots_immutable BEFORE UPDATE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
      CREATE TRIGGER snapshot_states_immutable BEFORE UPDATE ON snapshot_states
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    `),
]

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      MIGRATIONS[i]!(db)
      db.pragma(`user_version = ${i + 1}`)
    })()
  }
}

export class SqliteStore implements Store {
  private readonly db: Database.Database
  private readonly insertRoom: Database.Statement<[string, string, number, string | null, string | null, string | null]>
  private readonly selectRoom: Database.Statement<[string], RoomRow>
  private readonly updateKid: Record<Role, Database.Statement<[string, string]>>
  private readonly updateTitle: Database.Statement<[string, string]>
  private readonly selectOrgKey: Database.Statement<[string, string, string], { kid: string }>
  private readonly insertOrgKeyIfAbsent: Database.Statement<[string, string, string, string]>
  private readonly upsertOrgKey: Database.Statement<[string, string, string, string]>
  private readonly insertUpdate: Database.Statement<[string, Uint8Array]>
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>
  private readonly deleteUpdates: Database.Statement<[string]>
  private readonly appendMany: (entries: readonly AppendEntry[]) => void
  private readonly replaceRows: (roomId: string, state: Uint8Array, rowsHeld: number) => void
  private readonly insertSnapshot: Database.Statement<
    [string, string, string, string, string, number, number, string, string | null]
  >
  private readonly insertState: Database.Statement<[string, string, number, Uint8Array]>
  private readonly selectStateExists: Database.Statement<[string, string], { one: number }>
  private readonly sumStates: Database.Statement<[string], { bytes: number }>
  private readonly selectSnapshots: Database.Statement<[string], SnapshotRow>
  private readonly selectLatest: Database.Statement<[string], SnapshotRow>
  private readonly selectSnapshot: Database.Statement<[string, string], SnapshotRow & { state: Buffer }>
  private readonly writeSnapshot: (snapshot: SnapshotRecord, state: Uint8Array, quotaBytes: number) => SnapshotWrite
  private readonly removeSnapshots: (roomId: string, ids: readonly string[]) => SnapshotsDeleted

  private readonly checkRead: Database.Statement<[], { one: number }>
  /** The file the connection opened, to notice when the one at its path is no longer it. */
  private readonly opened: { dev: bigint; ino: bigint }
  /** Makes what has been committed durable (an fdatasync of the log, off the event loop). */
  private readonly syncWal: SyncWal
  private readonly closeWal: () => Promise<void>

  /** `options.syncWal` replaces the log's fsync (tests hold or fail it to see what waits for it). */
  constructor(
    private readonly file: string,
    options: { syncWal?: SyncWal } = {},
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    const stat = fs.statSync(file, { bigint: true })
    this.opened = { dev: stat.dev, ino: stat.ino }
    const wal = walSync(file)
    this.syncWal = options.syncWal ?? wal.sync
    this.closeWal = wal.close
    this.db.pragma('journal_mode = WAL')
    // Schema and migrations are committed with the log synced at once; from then on commits only
    // write the log, and each write method awaits its sync before it resolves (walSync.ts).
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rooms (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room_id TEXT NOT NULL REFERENCES rooms(id),
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates(room_id, seq);
    `)
    migrate(this.db)
    this.db.pragma('synchronous = NORMAL')
    this.checkRead = this.db.prepare('SELECT 1 AS one FROM rooms LIMIT 1')
    this.insertRoom = this.db.prepare(
      'INSERT INTO rooms (id, title, created_at, facilitator_kid, participant_kid, observer_kid) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.selectRoom = this.db.prepare(
      'SELECT id, title, created_at, facilitator_kid, participant_kid, observer_kid FROM rooms WHERE id = ?',
    )
    this.updateKid = {
      facilitator: this.db.prepare('UPDATE rooms SET facilitator_kid = ? WHERE id = ?'),
      participant: this.db.prepare('UPDATE rooms SET participant_kid = ? WHERE id = ?'),
      observer: this.db.prepare('UPDATE rooms SET observer_kid = ? WHERE id = ?'),
    }
    this.updateTitle = this.db.prepare('UPDATE rooms SET title = ? WHERE id = ?')
    this.selectOrgKey = this.db.prepare(
      'SELECT kid FROM organisation_keys WHERE room_id = ? AND role = ? AND organisation = ?',
    )
    this.insertOrgKeyIfAbsent = this.db.prepare(
      'INSERT INTO organisation_keys (room_id, role, organisation, kid) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    )
    this.upsertOrgKey = this.db.prepare(
      'INSERT INTO organisation_keys (room_id, role, organisation, kid) VALUES (?, ?, ?, ?) ON CONFLICT (room_id, role, organisation) DO UPDATE SET kid = excluded.kid',
    )
    this.insertUpdate = this.db.prepare('INSERT INTO updates (room_id, data) VALUES (?, ?)')
    this.selectUpdates = this.db.prepare('SELECT data FROM updates WHERE room_id = ? ORDER BY seq')
    this.deleteUpdates = this.db.prepare('DELETE FROM updates WHERE room_id = ?')
    this.appendMany = this.db.transaction((entries: readonly AppendEntry[]) => {
      for (const entry of entries) this.insertUpdate.run(entry.roomId, entry.update)
    })
    this.insertSnapshot = this.db.prepare(
      `INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.insertState = this.db.prepare('INSERT INTO snapshot_states (room_id, sha256, size, state) VALUES (?, ?, ?, ?)')
    this.selectStateExists = this.db.prepare('SELECT 1 AS one FROM snapshot_states WHERE room_id = ? AND sha256 = ?')
    this.sumStates = this.db.prepare('SELECT COALESCE(SUM(size), 0) AS bytes FROM snapshot_states WHERE room_id = ?')
    this.selectSnapshots = this.db.prepare(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = ? ORDER BY created_at DESC, rowid DESC`,
    )
    this.selectLatest = this.db.prepare(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    this.selectSnapshot = this.db.prepare(
      `SELECT ${SNAPSHOT_COLUMNS.split(', ')
        .map((column) => `s.${column}`)
        .join(', ')}, st.state FROM snapshots s
       JOIN snapshot_states st ON st.room_id = s.room_id AND st.sha256 = s.sha256
       WHERE s.room_id = ? AND s.id = ?`,
    )
    this.writeSnapshot = this.db.transaction((s: SnapshotRecord, state: Uint8Array, quotaBytes: number) => {
      const usedBytes = this.sumStates.get(s.roomId)!.bytes
      const known = this.selectStateExists.get(s.roomId, s.sha256) !== undefined
      const addedBytes = known ? 0 : state.byteLength
      // A state the room holds already costs nothing, so it is allowed even over a lowered quota.
      if (addedBytes > 0 && usedBytes + addedBytes > quotaBytes)
        return { stored: false, reason: 'over_quota', usedBytes, neededBytes: addedBytes } as const
      if (!known) this.insertState.run(s.roomId, s.sha256, state.byteLength, state)
      this.insertSnapshot.run(
        s.id,
        s.roomId,
        s.name,
        JSON.stringify(s.author),
        s.kind,
        s.createdAt,
        s.size,
        s.sha256,
        s.contentHash,
      )
      return { stored: true, addedBytes, usedBytes: usedBytes + addedBytes } as const
    })
    const selectOne = this.db.prepare<[string, string], SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = ? AND id = ?`,
    )
    const deleteOne = this.db.prepare<[string, string]>('DELETE FROM snapshots WHERE room_id = ? AND id = ?')
    const stillHeld = this.db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM snapshots WHERE room_id = ? AND sha256 = ? LIMIT 1',
    )
    const deleteState = this.db.prepare<[string, string]>(
      'DELETE FROM snapshot_states WHERE room_id = ? AND sha256 = ? RETURNING size',
    )
    this.removeSnapshots = this.db.transaction((roomId: string, ids: readonly string[]) => {
      const deleted: SnapshotRecord[] = []
      for (const id of new Set(ids)) {
        const row = selectOne.get(roomId, id)
        if (!row) continue
        deleteOne.run(roomId, id)
        deleted.push(snapshotFromRow(row))
      }
      let freedBytes = 0
      for (const sha256 of new Set(deleted.map((d) => d.sha256))) {
        if (stillHeld.get(roomId, sha256)) continue
        const gone = deleteState.get(roomId, sha256) as { size: number } | undefined
        freedBytes += gone?.size ?? 0
      }
      return { deleted, freedBytes }
    })
    const countUpdates = this.db.prepare<[string], { rows: number }>(
      'SELECT COUNT(*) AS rows FROM updates WHERE room_id = ?',
    )
    this.replaceRows = this.db.transaction((roomId: string, state: Uint8Array, rowsHeld: number) => {
      // One process writes this file, and every row of a room is one its Room loaded or appended:
      // when the count agrees, the state holds them all and replaces them as it is (merging 1,000
      // rows into a fresh document took 7–26 ms of the event loop per compaction). Should it not
      // agree, the state is merged with what is stored, as with PostgreSQL (merge.ts): no row is lost.
      const merged =
        countUpdates.get(roomId)!.rows === rowsHeld
          ? state
          : mergeWithStored(
              state,
              this.selectUpdates.all(roomId).map((row) => row.data),
            )
      this.deleteUpdates.run(roomId)
      this.insertUpdate.run(roomId, merged)
    })
  }

  async createRoom(room: RoomRecord, initialState: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.insertRoom.run(
        room.id,
        room.title,
        room.createdAt,
        room.keys.facilitator,
        room.keys.participant,
        room.keys.observer,
      )
      this.insertUpdate.run(room.id, initialState)
    })()
    await this.syncWal()
  }

  async getRoom(roomId: string): Promise<RoomRecord | undefined> {
    const row = this.selectRoom.get(roomId)
    return (
      row && {
        id: row.id,
        title: row.title,
        createdAt: row.created_at,
        keys: { facilitator: row.facilitator_kid, participant: row.participant_kid, observer: row.observer_kid },
      }
    )
  }

  async setRoleKey(roomId: string, role: Role, kid: string): Promise<void> {
    const { changes } = this.updateKid[role].run(kid, roomId)
    if (changes !== 1) throw new Error(`no room ${roomId} to set a key for`)
    await this.syncWal()
  }

  async setTitle(roomId: string, title: string): Promise<void> {
    this.updateTitle.run(title, roomId)
    await this.syncWal()
  }

  async getOrganisationKey(roomId: string, role: Role, organisation: string): Promise<string | undefined> {
    return this.selectOrgKey.get(roomId, role, organisation)?.kid
  }

  async ensureOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<string> {
    this.requireRoom(roomId)
    const { changes } = this.insertOrgKeyIfAbsent.run(roomId, role, organisation, kid)
    const stored = this.selectOrgKey.get(roomId, role, organisation)!.kid
    if (changes > 0) await this.syncWal()
    return stored
  }

  async setOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<void> {
    this.requireRoom(roomId)
    this.upsertOrgKey.run(roomId, role, organisation, kid)
    await this.syncWal()
  }

  /** SQLite does not enforce REFERENCES unless asked to: check the room, as PostgreSQL would. */
  private requireRoom(roomId: string): void {
    if (!this.selectRoom.get(roomId)) throw new Error(`no room ${roomId} to set a key for`)
  }

  async loadUpdates(roomId: string): Promise<StoredUpdates> {
    const rows = this.selectUpdates.all(roomId)
    let bytes = 0
    const updates = rows.map((row) => {
      bytes += row.data.byteLength
      return row.data
    })
    return { updates, bytes }
  }

  async appendUpdates(entries: readonly AppendEntry[]): Promise<void> {
    if (entries.length === 0) return
    this.appendMany(entries)
    await this.syncWal()
  }

  async compact(roomId: string, state: Uint8Array, rowsHeld: number): Promise<void> {
    this.replaceRows(roomId, state, rowsHeld)
    await this.syncWal()
  }

  async createSnapshot(
    snapshot: SnapshotRecord,
    state: Uint8Array,
    quotaBytes = Number.POSITIVE_INFINITY,
  ): Promise<SnapshotWrite> {
    const written = this.writeSnapshot(snapshot, state, quotaBytes)
    if (written.stored) await this.syncWal()
    return written
  }

  async listSnapshots(roomId: string): Promise<SnapshotRecord[]> {
    return this.selectSnapshots.all(roomId).map(snapshotFromRow)
  }

  async latestSnapshot(roomId: string): Promise<SnapshotRecord | undefined> {
    const row = this.selectLatest.get(roomId)
    return row && snapshotFromRow(row)
  }

  async snapshotBytes(roomId: string): Promise<number> {
    return this.sumStates.get(roomId)!.bytes
  }

  async deleteSnapshots(roomId: string, snapshotIds: readonly string[]): Promise<SnapshotsDeleted> {
    const removed = this.removeSnapshots(roomId, snapshotIds)
    if (removed.deleted.length > 0) await this.syncWal()
    return removed
  }

  async getSnapshot(
    roomId: string,
    snapshotId: string,
  ): Promise<{ meta: SnapshotRecord; state: Uint8Array } | undefined> {
    const row = this.selectSnapshot.get(roomId, snapshotId)
    return (
      row && {
        meta: snapshotFromRow(row),
        state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
      }
    )
  }

  async check(): Promise<void> {
    this.checkRead.get()
    // The connection holds the file open, so reads succeed even once the file at the path has been
    // deleted or replaced: what it writes then is lost at the next start. Health means the file at
    // the path is still the one being written, and still readable and writable.
    const stat = fs.statSync(this.file, { bigint: true })
    if (!stat.isFile() || stat.dev !== this.opened.dev || stat.ino !== this.opened.ino)
      throw new Error('the database file at its path is no longer the one the server opened')
    fs.accessSync(this.file, fs.constants.R_OK | fs.constants.W_OK)
  }

  async close(): Promise<void> {
    await this.closeWal()
    if (this.db.open) this.db.close()
  }
}
