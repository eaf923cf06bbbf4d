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
  created_at: string
  size: number
  sha256: string
  content_hash: string | null
}

interface RoomRow {
  id: string
  title: string
  created_at: string
  facilitator_kid: string | null
  participant_kid: string | null
  observer_kid: string | null
}

const SNAPSHOT_COLUMNS = 'id, room_id, name, author, kind, created_at, size, sha256, content_hash'

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
  contentHash: row.content_hash,
})

/**
 * Keys of the advisory locks: one namespace for migrations, one for per-room compaction, one for
 * per-room snapshot writes and deletions (the quota check and the write it allows are one step).
 */
const LOCK_MIGRATE = 0x636f6d6d // "comm"
const LOCK_ROOM_NAMESPACE = 0x706f7400 // "pot\0"
const LOCK_SNAPSHOT_NAMESPACE = 0x736e6170 // "snap"

/**
 * Schema migrations, in order; the `schema_version` table records how many have run. Each runs in
 * one transaction with the version bump. Snapshots are immutable at the database level too: a
 * trigger refuses UPDATE, as SQLite's does (DELETE too until migration 3).
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
  // 3. Snapshots within bounds (issue #18): the state bytes move to snapshot_states, one row per
  //    distinct state of a room (by SHA-256), so that snapshots of an unchanged room share them
  //    and the quota sums them from an index alone; snapshots keep the metadata and the content
  //    fingerprint automatic snapshots compare (NULL for the ones before). Snapshots may now be
  //    deleted (by the facilitator, or the retention of automatic ones); updates are still refused.
  `CREATE TABLE snapshot_states (
     room_id TEXT NOT NULL REFERENCES rooms(id),
     sha256 TEXT NOT NULL,
     size INTEGER NOT NULL,
     state BYTEA NOT NULL,
     PRIMARY KEY (room_id, sha256)
   );
   CREATE INDEX snapshot_states_usage ON snapshot_states (room_id) INCLUDE (size);
   INSERT INTO snapshot_states (room_id, sha256, size, state)
     SELECT DISTINCT ON (room_id, sha256) room_id, sha256, size, state FROM snapshots ORDER BY room_id, sha256, seq;
   DROP TRIGGER snapshots_immutable ON snapshots;
   ALTER TABLE snapshots DROP COLUMN state;
   ALTER TABLE snapshots ADD COLUMN content_hash TEXT;
   ALTER TABLE snapshots ADD FOREIGN KEY (room_id, sha256) REFERENCES snapshot_states (room_id, sha256);
   CREATE INDEX snapshots_by_state ON snapshots (room_id, sha256);
   CREATE TRIGGER snapshots_immutable BEFORE UPDATE ON snapshots
     FOR EACH ROW EXECUTE FUNCTION snapshots_refuse_change();
   CREATE TRIGGER snapshot_states_immutable BEFORE UPDATE ON snapshot_states
     FOR EACH ROW EXECUTE FUNCTION snapshots_refuse_change();`,
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
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      // Set when each connection starts (a startup parameter), so no query of a borrower ever
      // runs before it; a `SET` queued on connect overlapped the borrower's first query, which
      // pg 8 deprecates. `schema` is a checked identifier (parseDatabaseUrl).
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    })
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (error) => log('warn', 'storage.connection_error', { error: errorMessage(error) }))
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

  /** Always merges (no `rowsHeld`): other instances append rows this one's count does not know of. */
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

  async createSnapshot(
    snapshot: SnapshotRecord,
    state: Uint8Array,
    quotaBytes = Number.POSITIVE_INFINITY,
  ): Promise<SnapshotWrite> {
    const s = snapshot
    return this.transaction(async (client) => {
      await this.lockSnapshots(client, s.roomId)
      const used = await client.query<{ bytes: string; known: boolean }>(
        `SELECT COALESCE(SUM(size), 0) AS bytes, COALESCE(BOOL_OR(sha256 = $2), false) AS known
         FROM snapshot_states WHERE room_id = $1`,
        [s.roomId, s.sha256],
      )
      const usedBytes = Number(used.rows[0]!.bytes)
      const addedBytes = used.rows[0]!.known ? 0 : state.byteLength
      // A state the room holds already costs nothing, so it is allowed even over a lowered quota.
      if (addedBytes > 0 && usedBytes + addedBytes > quotaBytes)
        return { stored: false, reason: 'over_quota', usedBytes, neededBytes: addedBytes } as const
      if (addedBytes > 0)
        await client.query('INSERT INTO snapshot_states (room_id, sha256, size, state) VALUES ($1, $2, $3, $4)', [
          s.roomId,
          s.sha256,
          state.byteLength,
          Buffer.from(state.buffer, state.byteOffset, state.byteLength),
        ])
      await client.query(`INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        s.id,
        s.roomId,
        s.name,
        JSON.stringify(s.author),
        s.kind,
        s.createdAt,
        s.size,
        s.sha256,
        s.contentHash,
      ])
      return { stored: true, addedBytes, usedBytes: usedBytes + addedBytes } as const
    })
  }

  async listSnapshots(roomId: string): Promise<SnapshotRecord[]> {
    const { rows } = await this.pool.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = $1 ORDER BY created_at DESC, seq DESC`,
      [roomId],
    )
    return rows.map(snapshotFromRow)
  }

  async latestSnapshot(roomId: string): Promise<SnapshotRecord | undefined> {
    const { rows } = await this.pool.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE room_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [roomId],
    )
    return rows[0] && snapshotFromRow(rows[0])
  }

  async snapshotBytes(roomId: string): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>(
      'SELECT COALESCE(SUM(size), 0) AS bytes FROM snapshot_states WHERE room_id = $1',
      [roomId],
    )
    return Number(rows[0]!.bytes)
  }

  async deleteSnapshots(roomId: string, snapshotIds: readonly string[]): Promise<SnapshotsDeleted> {
    if (snapshotIds.length === 0) return { deleted: [], freedBytes: 0 }
    return this.transaction(async (client) => {
      await this.lockSnapshots(client, roomId)
      const { rows } = await client.query<SnapshotRow>(
        `DELETE FROM snapshots WHERE room_id = $1 AND id = ANY($2::text[]) RETURNING ${SNAPSHOT_COLUMNS}`,
        [roomId, [...new Set(snapshotIds)]],
      )
      const deleted = rows.map(snapshotFromRow)
      const freed = await client.query<{ size: number }>(
        `DELETE FROM snapshot_states st WHERE st.room_id = $1 AND st.sha256 = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.room_id = st.room_id AND s.sha256 = st.sha256)
         RETURNING size`,
        [roomId, [...new Set(deleted.map((d) => d.sha256))]],
      )
      return { deleted, freedBytes: freed.rows.reduce((sum, row) => sum + row.size, 0) }
    })
  }

  /** Serialises snapshot writes and deletions of one room across instances, until the transaction ends. */
  private async lockSnapshots(client: pg.PoolClient, roomId: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SNAPSHOT_NAMESPACE, roomId])
  }

  async getSnapshot(
    roomId: string,
    snapshotId: string,
  ): Promise<{ meta: SnapshotRecord; state: Uint8Array } | undefined> {
    const { rows } = await this.pool.query<SnapshotRow & { state: Buffer }>(
      `SELECT ${SNAPSHOT_COLUMNS.split(', ')
        .map((column) => `s.${column}`)
        .join(', ')}, st.state FROM snapshots s
       JOIN snapshot_states st ON st.room_id = s.room_id AND st.sha256 = s.sha256
       WHERE s.room_id = $1 AND s.id = $2`,
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
