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
  /**
   * The fingerprint of the state's content (server/snapshotContent.ts) that automatic snapshots
   * compare with; null for snapshots stored before it was kept.
   */
  contentHash: string | null
}

/**
 * What writing a snapshot did. A room's snapshots share the bytes of identical states (by
 * SHA-256): `addedBytes` is 0 for a snapshot of a state the room holds already, and the quota
 * counts each distinct state once.
 */
export type SnapshotWrite =
  | { stored: true; addedBytes: number; usedBytes: number }
  | { stored: false; reason: 'over_quota'; usedBytes: number; neededBytes: number }

/** What deleting snapshots did: the ones deleted, and the state bytes no snapshot holds any more. */
export interface SnapshotsDeleted {
  deleted: SnapshotRecord[]
  freedBytes: number
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
   * Replaces a room's rows with one row: `state` merged with every row stored for the room at that
   * moment, in one transaction. The caller's state need not hold every stored update (another
   * instance may have appended rows it has not applied yet): none is ever lost. `rowsHeld` is how
   * many stored rows the caller's state is known to hold (each one it loaded or appended): a store
   * only this process writes (SQLite) skips the merge when it holds exactly that many.
   */
  compact(roomId: string, state: Uint8Array, rowsHeld: number): Promise<void>
  /**
   * Writes a snapshot: its metadata, and its state bytes unless the room holds that state already.
   * When the new bytes would take the room's snapshots past `quotaBytes`, nothing is written and
   * the answer says so; the check and the write are one step (two instances cannot both pass it).
   * Snapshots are immutable: there is no method to change one.
   */
  createSnapshot(snapshot: SnapshotRecord, state: Uint8Array, quotaBytes?: number): Promise<SnapshotWrite>
  /** A room's snapshots, metadata only, newest first. */
  listSnapshots(roomId: string): Promise<SnapshotRecord[]>
  /** The room's newest snapshot, metadata only (an indexed read, not the whole list). */
  latestSnapshot(roomId: string): Promise<SnapshotRecord | undefined>
  /** The bytes the room's snapshots take up: each distinct state once (an indexed sum). */
  snapshotBytes(roomId: string): Promise<number>
  /** One snapshot of `roomId` with its state bytes; undefined for an unknown id or another room's. */
  getSnapshot(roomId: string, snapshotId: string): Promise<{ meta: SnapshotRecord; state: Uint8Array } | undefined>
  /**
   * Deletes the room's snapshots with these ids (unknown ones and other rooms' are ignored), and
   * the state bytes no remaining snapshot of the room holds, in one transaction. Only the deletion
   * service calls it (server/snapshotDeletion.ts), after its preconditions.
   */
  deleteSnapshots(roomId: string, snapshotIds: readonly string[]): Promise<SnapshotsDeleted>

  /**
   * Reads something cheap from the store, for GET /healthz: rejects, with a reason for the log,
   * when the store cannot be read (a database down, a data file gone). The caller bounds the wait.
   */
  check(): Promise<void>
  close(): Promise<void>
}
