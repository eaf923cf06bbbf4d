/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode with synchronous=FULL so that an
 * update the server has relayed survives a crash or power cut. better-sqlite3 is synchronous,
 * which makes each transaction atomic with respect to the event loop as well.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import type { AppendEntry, RoomRecord, Store, StoredUpdates } from './store.ts'

interface RoomRow {
  id: string
  title: string
  created_at: number
}

export class SqliteStore implements Store {
  private readonly db: Database.Database
  private readonly insertRoom: Database.Statement<[string, string, number]>
  private readonly selectRoom: Database.Statement<[string], RoomRow>
  private readonly insertUpdate: Database.Statement<[string, Uint8Array]>
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>
  private readonly deleteUpdates: Database.Statement<[string]>
  private readonly appendMany: (entries: readonly AppendEntry[]) => void
  private readonly replaceRows: (roomId: string, state: Uint8Array) => void

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
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
    this.insertRoom = this.db.prepare('INSERT INTO rooms (id, title, created_at) VALUES (?, ?, ?)')
    this.selectRoom = this.db.prepare('SELECT id, title, created_at FROM rooms WHERE id = ?')
    this.insertUpdate = this.db.prepare('INSERT INTO updates (room_id, data) VALUES (?, ?)')
    this.selectUpdates = this.db.prepare('SELECT data FROM updates WHERE room_id = ? ORDER BY seq')
    this.deleteUpdates = this.db.prepare('DELETE FROM updates WHERE room_id = ?')
    this.appendMany = this.db.transaction((entries: readonly AppendEntry[]) => {
      for (const entry of entries) this.insertUpdate.run(entry.roomId, entry.update)
    })
    this.replaceRows = this.db.transaction((roomId: string, state: Uint8Array) => {
      this.deleteUpdates.run(roomId)
      this.insertUpdate.run(roomId, state)
    })
  }

  async createRoom(room: RoomRecord, initialState: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.insertRoom.run(room.id, room.title, room.createdAt)
      this.insertUpdate.run(room.id, initialState)
    })()
  }

  async getRoom(roomId: string): Promise<RoomRecord | undefined> {
    const row = this.selectRoom.get(roomId)
    return row && { id: row.id, title: row.title, createdAt: row.created_at }
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
