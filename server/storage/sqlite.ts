/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode with synchronous=FULL so that an
 * update the server has relayed survives a crash or power cut. better-sqlite3 is synchronous,
 * which makes each transaction atomic with respect to the event loop as well.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { ROLES, type Role } from '../../shared/roles.ts'
import type { SnapshotAuthor } from '../../shared/api.ts'
import { mergeWithStored } from './merge.ts'
import type { AppendEntry, RoomRecord, SnapshotRecord, Store, StoredUpdates } from './store.ts'

interface SnapshotRow {
  id: string
  room_id: string
  name: string
  author: string
  kind: SnapshotRecord['kind']
  created_at: number
  size: number
  sha256: string
}

const SNAPSHOT_COLUMNS = 'id, room_id, name, author, kind, created_at, size, sha256'

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

/** One row per snapshot, written once and never updated or deleted (migration 2). */
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
  private readonly replaceRows: (roomId: string, state: Uint8Array) => void
  private readonly insertSnapshot: Database.Statement<
    [string, string, string, string, string, number, number, string, Uint8Array]
  >
  private readonly selectSnapshots: Database.Statement<[string], SnapshotRow>
  private readonly selectSnapshot: Database.Statement<[string, string], SnapshotRow & { state: Buffer }>

  private readonly checkRead: Database.Statement<[], { one: number }>
  /** The file the connection opened, to notice when the one at its path is no longer it. */
  private readonly opened: { dev: bigint; ino: bigint }

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    const stat = fs.statSync(file, { bigint: true })
    this.opened = { dev: stat.dev, ino: stat.ino }
    this.db.pragma('journal_mode = WAL')
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
    // Outside the numbered migrations (idempotent, so existing files get it on their next start):
    // snapshots cannot be deleted either, as in PostgreSQL.
    this.db.exec(`CREATE TRIGGER IF NOT EXISTS snapshots_undeletable BEFORE DELETE ON snapshots
      BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;`)
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
      `INSERT INTO snapshots (${SNAPSHOT_COLUMNS}, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.selectSnapshots = this.db.prepare(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = ? ORDER BY created_at DESC, rowid DESC`,
    )
    this.selectSnapshot = this.db.prepare(
      `SELECT ${SNAPSHOT_COLUMNS}, state FROM snapshots WHERE room_id = ? AND id = ?`,
    )
    this.replaceRows = this.db.transaction((roomId: string, state: Uint8Array) => {
      // Merged with what is stored rather than trusting the caller's state alone (see merge.ts).
      const merged = mergeWithStored(
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
  }

  async setTitle(roomId: string, title: string): Promise<void> {
    this.updateTitle.run(title, roomId)
  }

  async getOrganisationKey(roomId: string, role: Role, organisation: string): Promise<string | undefined> {
    return this.selectOrgKey.get(roomId, role, organisation)?.kid
  }

  async ensureOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<string> {
    this.requireRoom(roomId)
    this.insertOrgKeyIfAbsent.run(roomId, role, organisation, kid)
    return this.selectOrgKey.get(roomId, role, organisation)!.kid
  }

  async setOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<void> {
    this.requireRoom(roomId)
    this.upsertOrgKey.run(roomId, role, organisation, kid)
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
    if (entries.length > 0) this.appendMany(entries)
  }

  async compact(roomId: string, mergedState: Uint8Array): Promise<void> {
    this.replaceRows(roomId, mergedState)
  }

  async createSnapshot(snapshot: SnapshotRecord, state: Uint8Array): Promise<void> {
    const s = snapshot
    this.insertSnapshot.run(
      s.id,
      s.roomId,
      s.name,
      JSON.stringify(s.author),
      s.kind,
      s.createdAt,
      s.size,
      s.sha256,
      state,
    )
  }

  async listSnapshots(roomId: string): Promise<SnapshotRecord[]> {
    return this.selectSnapshots.all(roomId).map(snapshotFromRow)
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
    if (this.db.open) this.db.close()
  }
}
