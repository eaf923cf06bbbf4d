/**
 * Persistence for rooms and their Yjs updates. The sync code sees only this interface; one
 * implementation is chosen at start-up (see storage/open.ts).
 */
import type { Role } from '../../shared/roles.ts'

/**
 * The current key id of each role (see server/auth/roomKeys.ts). Null for a role of a room stored
 * before key ids existed, until its first rotation: such a role accepts tokens without a key id.
 */
export type RoleKeyIds = Record<Role, string | null>

export interface RoomRecord {
  id: string
  /** The title when the room was created, kept in step with the document's meta.title. */
  title: string
  createdAt: number
  keys: RoleKeyIds
}

export interface AppendEntry {
  roomId: string
  update: Uint8Array
}

export interface StoredUpdates {
  updates: Uint8Array[]
  bytes: number
}

export interface Store {
  /** Creates a room with its first document state. */
  createRoom(room: RoomRecord, initialState: Uint8Array): Promise<void>
  getRoom(roomId: string): Promise<RoomRecord | undefined>
  /** Replaces one role's key id, which revokes every token signed under the old one. */
  setRoleKey(roomId: string, role: Role, kid: string): Promise<void>
  /** Keeps the stored title in step with the document's (shown for rooms not in memory). */
  setTitle(roomId: string, title: string): Promise<void>
  /** Every stored update of a room, oldest first. */
  loadUpdates(roomId: string): Promise<StoredUpdates>
  /**
   * Appends updates of any number of rooms atomically: when the promise resolves they are
   * durable, and either all of them are stored or none.
   */
  appendUpdates(entries: readonly AppendEntry[]): Promise<void>
  /**
   * Replaces a room's rows with one merged state. The caller guarantees that `mergedState`
   * contains every update stored for the room so far (it calls this with the live document
   * straight after a flush); the replacement happens in one transaction.
   */
  compact(roomId: string, mergedState: Uint8Array): Promise<void>
  close(): Promise<void>
}
