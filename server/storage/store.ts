/**
 * Persistence for rooms and their Yjs updates. The sync code sees only this interface; one
 * implementation is chosen at start-up (see storage/open.ts).
 */
import type { SnapshotAuthor, SnapshotKind } from '../../shared/api.ts'
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

/** A snapshot's metadata as stored (the state bytes are kept apart: see getSnapshot). */
export interface SnapshotRecord {
  id: string
  roomId: string
  name: string
  author: SnapshotAuthor
  kind: SnapshotKind
  createdAt: number
  /** Byte length of the state. */
  size: number
  /** SHA-256 of exactly the stored state bytes, lower-case hex. */
  sha256: string
}

export interface Store {
  /** Creates a room with its first document state. */
  createRoom(room: RoomRecord, initialState: Uint8Array): Promise<void>
  getRoom(roomId: string): Promise<RoomRecord | undefined>
  /** Replaces one role's key id, which revokes every token signed under the old one. */
  setRoleKey(roomId: string, role: Role, kid: string): Promise<void>
  /**
   * The key id of a room's links of `role` bound to `organisation` (server/auth/roomKeys.ts);
   * undefined when no such link was ever made.
   */
  getOrganisationKey(roomId: string, role: Role, organisation: string): Promise<string | undefined>
  /**
   * Stores `kid` as the key id of (room, role, organisation) unless it has one already, and answers
   * the one stored: two instances making the first link of an organisation at once agree on one.
   */
  ensureOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<string>
  /** Replaces (or creates) that key id, which revokes every link bound under the old one. */
  setOrganisationKey(roomId: string, role: Role, organisation: string, kid: string): Promise<void>
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
   * Replaces a room's rows with one row: `mergedState` merged with every row stored for the room
   * at that moment, in one transaction. The caller's state need not hold every stored update
   * (another instance may have appended rows it has not applied yet): none is ever lost.
   */
  compact(roomId: string, mergedState: Uint8Array): Promise<void>
  /**
   * Writes a snapshot: its metadata and state bytes, once. Snapshots are immutable: there is no
   * method to change or delete one.
   */
  createSnapshot(snapshot: SnapshotRecord, state: Uint8Array): Promise<void>
  /** A room's snapshots, metadata only, newest first. */
  listSnapshots(roomId: string): Promise<SnapshotRecord[]>
  /** One snapshot of `roomId` with its state bytes; undefined for an unknown id or another room's. */
  getSnapshot(roomId: string, snapshotId: string): Promise<{ meta: SnapshotRecord; state: Uint8Array } | undefined>
  /**
   * Reads something cheap from the store, for GET /healthz: rejects, with a reason for the log,
   * when the store cannot be read (a database down, a data file gone). The caller bounds the wait.
   */
  check(): Promise<void>
  close(): Promise<void>
}
