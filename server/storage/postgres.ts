/**
 * The PostgreSQL store (DATABASE_URL=postgres://…), for several instances serving the same rooms.
 * Same contract as the SQLite store. The schema is created and migrated on start under an
 * advisory lock, so instances starting together migrate once. Compaction takes a per-room
 * transaction-scoped advisory lock and merges the rows actually stored (see merge.ts), so two
 * instances compacting one room, or one compacting while another appends, lose nothing.
 *
 * A `schema` query parameter in the URL (postgres://host/db?schema=commonpot) puts every table in
 * that schema, created if missing: set as the search_path of each pooled connection. Tests use it
 * to give every run its own schema.
 */
import pg from 'pg'
import type { SnapshotAuthor } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { errorMessage, log } from '../log.ts'
import { mergeWithStored } from './merge.ts'
import type { AppendEntry, RoomRecord, SnapshotRecord, Store, StoredUpdates } from './store.ts'

interface SnapshotRow {
  id: string
  room_id: string
  name: string
  author: string
  kind: SnapshotRecord['kind']
  created_at: string
  size: number
  sha256: string
}

interface RoomRow {
  id: string
  title: string
  created_at: string
  facilitator_kid: string | null
  participant_kid: string | null
  observer_kid: string | null
}

const SNAPSHOT_COLUMNS = 'id, room_id, name, author, kind, created_at, size, sha256'

const KID_COLUMN: Record<Role, string> = {
  facilitator: 'facilitator_kid',
  participant: 'participant_kid',
  observer: 'observer_kid',
}

// BIGINT comes back as a string (it may exceed 2^53); our values are millisecond timestamps.
const snapshotFromRow = (row: SnapshotRow): SnapshotRecord => ({
  id: row.id,
  roomId: row.room_id,
  name: row.name,
  author: JSON.parse(row.author) as SnapshotAuthor,
  kind: row.kind,
  createdAt: Number(row.created_at),
  size: row.size,
  sha256: row.sha256,
})

/** Keys of the advisory locks: one namespace for migrations, one for per-room compaction. */
const LOCK_MIGRATE = 0x636f6d6d // "comm"
const LOCK_ROOM_NAMESPACE = 0x706f7400 // "pot\0"

/**
 * Schema migrations, in order; the `schema_version` table records how many have run. Each runs in
 * one transaction with the version bump. Snapshots are immutable at the database level too: a
 * trigger refuses UPDATE and DELETE, as SQLite's does.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     facilitator_kid TEXT,
     participant_kid TEXT,
     observer_kid TEXT
   );
   CREATE TABLE updates (
     seq BIGSERIAL PRIMARY KEY,
     room_id TEXT NOT NULL REFERENCES rooms(id),
     data BYTEA NOT NULL
   );
   CREATE INDEX updates_by_room ON updates(room_id, seq);
   CREATE TABLE snapshots (
     seq BIGSERIAL,
     id TEXT PRIMARY KEY,
     room_id TEXT NOT NULL REFERENCES rooms(id),
     name TEXT NOT NULL,
     author TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto-left', 'auto-interval', 'auto-agenda')),
     created_at BIGINT NOT NULL,
     size INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     state BYTEA NOT NULL
   );
   CREATE INDEX snapshots_by_room ON snapshots(room_id, created_at);
   CREATE FUNCTION snapshots_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'snapshots are immutable'; END $$;
   CREATE TRIGGER snapshots_immutable BEFORE UPDATE OR DELETE ON snapshots
     FOR EACH ROW EXECUTE FUNCTION snapshots_refuse_change();`,
  // 2. Organisation key ids (issue #16): one row per (room, role, organisation) that ever had a
  //    bound link; rotating its key id revokes that organisation's links of the role alone.
  `CREATE TABLE organisation_keys (
     room_id TEXT NOT NULL REFERENCES rooms(id),
     role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'observer')),
     organisation TEXT NOT NULL,
     kid TEXT NOT NULL,
     PRIMARY KEY (room_id, role, organisation)
   );`,
]

/** Splits `schema` off the URL (pg does not know it) and checks it is a plain identifier. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string | null } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('DATABASE_URL is not a URL; expected postgres://user@host:5432/database')
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`)
  }
  const schema = parsed.searchParams.get('schema')
  parsed.searchParams.delete('schema')
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('DATABASE_URL: schema must be a lower-case identifier (letters, digits, _)')
  }
  return { connectionString: parsed.toString(), schema }
}

export class PostgresStore implements Store {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, creates the schema if needed and runs pending migrations. */
  static async open(url: string, options: { poolSize?: number } = {}): Promise<PostgresStore> {
    const { connectionString, schema } = parseDatabaseUrl(url)
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 })
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (error) => log('warn', 'storage.connection_error', { error: errorMessage(error) }))
    if (schema) {
      // Queued before any query of the borrower: pg runs a client's queries in order.
      pool.on('connect', (client) => void client.query(`SET search_path TO ${schema}`).catch(() => {}))
    }
    const store = new PostgresStore(pool)
    try {
      await store.migrate(schema)
    } catch (error) {
      await pool.end()
      throw error
    }
    return store
  }

  private async migrate(schema: string | null): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_MIGRATE])
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version')
      let version = rows[0]?.version ?? 0
      if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)')
      for (; version < MIGRATIONS.length; version++) {
        await client.query(MIGRATIONS[version]!)
        await client.query('UPDATE schema_version SET version = $1', [version + 1])
      }
    })
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async createRoom(room: RoomRecord, initialState: Uint8Array): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        'INSERT INTO rooms (id, title, created_at, facilitator_kid, participant_kid, observer_kid) VALUES ($1, $2, $3, $4, $5, $6)',
        [room.id, room.title, room.createdAt, room.keys.facilitator, room.keys.participant, room.keys.observer],
      )
      await client.query('INSERT INTO updates (room_id, data) VALUES ($1, $2)', [room.id, Buffer.from(initialState)])
    })
  }

  async getRoom(roomId: string): Promise<RoomRecord | undefined> {
    const { rows } = await this.pool.query<RoomRow>(
      'SELECT id, title, created_at, facilitator_kid, participant_kid, observer_kid FROM rooms WHERE id = $1',
      [roomId],
    )
    const row = rows[0]
    return (
      row && {
        id: row.id,
        title: row.title,
        createdAt: Number(row.created_at),
        keys: { facilitator: row.facilitator_kid, participant: row.participant_kid, observer: row.observer_kid },
      }
    )
  }

  async setRoleKey(roomId: string, role: Role, kid: string): Promise<void> {
    const { rowCount } = await this.pool.query(`UPDATE rooms SET ${KID_COLUMN[role]} = $1 WHERE id = $2`, [kid, roomId])
    if (rowCount !== 1) throw new Error(`no room ${roomId} to set a key for`)
  }

  async getOrganisationKey(roomId: string, role: Role, organisation: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ kid: string }>(
      'SELECT kid FROM organisation_keys WHERE room_id = $1 AND role = $2 AND organisation = $3',
      [roomId, role, organisation],
    )
    return rows[0]?.kid
  }

  async ensureOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<string> {
    // One statement: insert unless present, and answer whichever key id is stored afterwards.
    const { rows } = await this.pool.query<{ kid: string }>(
      `WITH inserted AS (
         INSERT INTO organisation_keys (room_id, role, organisation, kid) VALUES ($1, $2, $3, $4)
         ON CONFLICT (room_id, role, organisation) DO NOTHING RETURNING kid
       )
       SELECT kid FROM inserted UNION ALL
       SELECT kid FROM organisation_keys WHERE room_id = $1 AND role = $2 AND organisation = $3
       LIMIT 1`,
      [roomId, role, organisation, kid],
    )
    // A row committed by another instance after this statement's snapshot is in neither half: read it now.
    const stored = rows[0]?.kid ?? (await this.getOrganisationKey(roomId, role, organisation))
    if (stored === undefined) throw new Error(`no key id stored for room ${roomId}`)
    return stored
  }

  async setOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO organisation_keys (room_id, role, organisation, kid) VALUES ($1, $2, $3, $4)
       ON CONFLICT (room_id, role, organisation) DO UPDATE SET kid = EXCLUDED.kid`,
      [roomId, role, organisation, kid],
    )
  }

  async setTitle(roomId: string, title: string): Promise<void> {
    await this.pool.query('UPDATE rooms SET title = $1 WHERE id = $2', [title, roomId])
  }

  async loadUpdates(roomId: string): Promise<StoredUpdates> {
    const { rows } = await this.pool.query<{ data: Buffer }>(
      'SELECT data FROM updates WHERE room_id = $1 ORDER BY seq',
      [roomId],
    )
    let bytes = 0
    const updates = rows.map((row) => {
      bytes += row.data.byteLength
      return row.data
    })
    return { updates, bytes }
  }

  async appendUpdates(entries: readonly AppendEntry[]): Promise<void> {
    if (entries.length === 0) return
    // One multi-row INSERT: a single statement is atomic and costs one round trip and one commit.
    const rooms = entries.map((e) => e.roomId)
    const data = entries.map((e) => Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength))
    await this.pool.query('INSERT INTO updates (room_id, data) SELECT * FROM unnest($1::text[], $2::bytea[])', [
      rooms,
      data,
    ])
  }

  async compact(roomId: string, mergedState: Uint8Array): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_ROOM_NAMESPACE, roomId])
      const { rows } = await client.query<{ data: Buffer }>(
        'DELETE FROM updates WHERE room_id = $1 RETURNING seq, data',
        [roomId],
      )
      const stored = (rows as { data: Buffer; seq: string }[])
        .sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))
        .map((r) => r.data)
      const merged = mergeWithStored(mergedState, stored)
      await client.query('INSERT INTO updates (room_id, data) VALUES ($1, $2)', [roomId, Buffer.from(merged)])
    })
  }

  async createSnapshot(snapshot: SnapshotRecord, state: Uint8Array): Promise<void> {
    const s = snapshot
    await this.pool.query(
      `INSERT INTO snapshots (${SNAPSHOT_COLUMNS}, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.roomId, s.name, JSON.stringify(s.author), s.kind, s.createdAt, s.size, s.sha256, Buffer.from(state)],
    )
  }

  async listSnapshots(roomId: string): Promise<SnapshotRecord[]> {
    const { rows } = await this.pool.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = $1 ORDER BY created_at DESC, seq DESC`,
      [roomId],
    )
    return rows.map(snapshotFromRow)
  }

  async getSnapshot(
    roomId: string,
    snapshotId: string,
  ): Promise<{ meta: SnapshotRecord; state: Uint8Array } | undefined> {
    const { rows } = await this.pool.query<SnapshotRow & { state: Buffer }>(
      `SELECT ${SNAPSHOT_COLUMNS}, state FROM snapshots WHERE room_id = $1 AND id = $2`,
      [roomId, snapshotId],
    )
    const row = rows[0]
    return (
      row && {
        meta: snapshotFromRow(row),
        state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
      }
    )
  }

  async check(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }
}
