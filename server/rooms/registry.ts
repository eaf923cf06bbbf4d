/**
 * Loads rooms on demand and unloads them after their last peer leaves plus a grace period (early,
 * least recently used first, when MAX_LOADED_ROOMS is reached). Storing and sending is the flush
 * pipeline's work (flushPipeline.ts), snapshots the snapshotter's (snapshotter.ts); the registry
 * wires them to the rooms it holds.
 *
 * With several instances (multi-instance mode), a room subscribes to the bus before it reads the
 * store, so that an update is either in what it reads or in what it receives afterwards (see load).
 */
import type { ReceiptSigner } from '../auth/signingKey.ts'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { LocalBus, type Bus } from '../bus/bus.ts'
import { errorMessage, log } from '../log.ts'
import { limitsTriggered, metrics } from '../metrics.ts'
import { LEFT_SNAPSHOT_NAME, PROTOCOL_AGREED_SNAPSHOT_NAME, SHUTDOWN_SNAPSHOT_NAME } from '../snapshots.ts'
import type { SnapshotRecord, Store } from '../storage/store.ts'
import type { Peer } from '../sync/peer.ts'
import { AtCapacityError, type RoomSource } from '../sync/roomSource.ts'
import type { RefusalBudget } from '../sync/writeGuard.ts'
import { FlushPipeline } from './flushPipeline.ts'
import { Room, type FlushScheduler } from './room.ts'
import type { DeletionOutcome, DeletionPrecondition, DeletionRefusal } from '../snapshotDeletion.ts'
import type { LedgerEntry } from '../../shared/ledger.ts'
import { readReceipts, referencedSnapshots } from '../../shared/receipts.ts'
import { issueProtocolReceipt } from './receiptIssuer.ts'
import { type SnapshotLimits, Snapshotter, type SnapshotRequest, type Taken } from './snapshotter.ts'

export { AtCapacityError } from '../sync/roomSource.ts'
export type { SnapshotRequest, Taken } from './snapshotter.ts'

export interface RegistryOptions {
  graceMs: number
  compactRows: number
  compactBytes: number
  /** Automatic snapshots every this many ms of work (SNAPSHOT_INTERVAL_MS); none when not given. */
  snapshotIntervalMs?: number
  /** What a room's snapshots may hold (SNAPSHOT_QUOTA_BYTES, MAX_DOCUMENT_BYTES); no limit when not given. */
  snapshotLimits?: SnapshotLimits
  /** Asked before any snapshot is deleted (server/snapshotDeletion.ts); every one may go when not given. */
  snapshotDeletionPrecondition?: DeletionPrecondition
  /** Rooms kept in memory at once (MAX_LOADED_ROOMS); no cap when not given. */
  maxLoadedRooms?: number
  /** Refused updates each connection may cause (RATE_REFUSALS_*); the defaults when not given. */
  refusals?: RefusalBudget
  /** Signs sign-off receipts (auth/signingKey.ts); without it no receipts are issued. */
  receiptSigner?: ReceiptSigner
}

/** Close code used when storage fails: the client reconnects and resends what it has. */
const STORAGE_FAILED = 1011

export class RoomRegistry implements RoomSource {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room | undefined>>()
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>()
  /** Rooms the server itself is changing (a restore, a receipt), by how many such changes are under way. */
  private readonly held = new Map<Room, number>()
  private readonly pipeline: FlushPipeline
  readonly snapshots: Snapshotter
  /** What rooms tell of themselves: something to flush, a peer joined, the last one left. */
  private readonly scheduler: FlushScheduler
  /** Set by closeAll: rooms no longer unload (the shutdown snapshots and closes them). */
  private stopping = false

  constructor(
    private readonly store: Store,
    private readonly options: RegistryOptions,
    private readonly bus: Bus = new LocalBus(),
  ) {
    // The rooms' memory now holds updates the store does not: drop them and let clients
    // reconnect, so that they resend what the store is missing.
    this.pipeline = new FlushPipeline(store, bus, options, (room) =>
      this.evict(room, STORAGE_FAILED, 'storage unavailable'),
    )
    this.snapshots = new Snapshotter(
      store,
      this.pipeline,
      {
        loaded: (roomId) => this.rooms.get(roomId),
        all: () => this.rooms.values(),
        readDocument: (roomId, read) => this.readDocument(roomId, read),
      },
      {
        ...(options.snapshotIntervalMs !== undefined && { intervalMs: options.snapshotIntervalMs }),
        ...(options.snapshotLimits && { limits: options.snapshotLimits }),
        mayDelete: options.snapshotDeletionPrecondition ?? ((snapshot) => this.keptForReceipt(snapshot)),
      },
    )
    this.scheduler = {
      markDirty: (room) => this.pipeline.markDirty(room),
      roomJoined: (room) => this.cancelUnload(room),
      roomEmptied: (room) => this.roomEmptied(room),
      protocolAgreed: (room, entry) => void this.signProtocolAgreement(room, entry),
    }
  }

  get loadedRooms(): number {
    return this.rooms.size
  }

  get connectedPeers(): number {
    let n = 0
    for (const room of this.rooms.values()) n += room.peers.size
    return n
  }

  /**
   * The protocol was marked agreed: store a snapshot of the whole workshop as it stands (flushed
   * first, so it holds only what is stored, the marking included), then sign the protocol's receipt
   * naming it. When the snapshot cannot be taken (the room's quota, a store failure) the receipt is
   * signed without one, and that is logged: an agreement is not left unsigned for want of a
   * snapshot. Only when the room's own storage fails before the receipt is stored is the receipt
   * lost (logged as `receipt.failed`); the room is then dropped and its clients reconnect.
   */
  private async signProtocolAgreement(room: Room, entry: LedgerEntry): Promise<void> {
    const signer = this.options.receiptSigner
    if (!signer) return
    let snapshot: { id: string; sha256: string } | null = null
    try {
      const taken = await this.snapshots.take(room.id, {
        name: PROTOCOL_AGREED_SNAPSHOT_NAME,
        author: 'server',
        kind: 'manual',
      })
      if (taken) snapshot = { id: taken.record.id, sha256: taken.record.sha256 }
    } catch (error) {
      log('warn', 'receipt.no_snapshot', { room: room.id, error: errorMessage(error) })
    }
    try {
      const signed = await this.withRoom(room.id, async (live) => {
        await live.applyServerChange((doc) => {
          issueProtocolReceipt(doc, room.id, entry, signer, snapshot)
        })
        return true
      })
      if (!signed) return
      log('info', 'receipt.signed', { room: room.id, kind: 'protocol', snapshot: snapshot?.id ?? null })
    } catch (error) {
      log('error', 'receipt.failed', { room: room.id, kind: 'protocol', error: errorMessage(error) })
    }
  }

  /** A snapshot a signed receipt names is the agreed state it vouches for: it is kept. */
  private async keptForReceipt(snapshot: SnapshotRecord): Promise<DeletionRefusal | null> {
    const referenced = await this.readDocument(snapshot.roomId, (doc) =>
      referencedSnapshots(readReceipts(doc)).has(snapshot.id),
    )
    if (!referenced) return null
    return {
      code: 'snapshot_referenced',
      message:
        'A signed receipt names this snapshot as the state the protocol was agreed in, so it is kept. It cannot be deleted.',
    }
  }

  /**
   * Runs `use` on the loaded room (loading it first) and keeps the room loaded until `use` has
   * settled, peers or none: a change the server makes (a restore, a receipt) must not land in a
   * room that is being unloaded, which would be dropped under it, its caller never told that the
   * change was stored. Undefined when no such room exists.
   */
  async withRoom<T>(roomId: string, use: (room: Room) => Promise<T>): Promise<T | undefined> {
    let room = await this.acquire(roomId)
    // Unloaded between loading and now: load it afresh.
    while (room?.closed) room = await this.acquire(roomId)
    if (!room) return undefined
    const held = room
    this.held.set(held, (this.held.get(held) ?? 0) + 1)
    this.cancelUnload(held)
    try {
      return await use(held)
    } finally {
      const left = (this.held.get(held) ?? 1) - 1
      if (left > 0) this.held.set(held, left)
      else {
        this.held.delete(held)
        this.roomEmptied(held)
      }
    }
  }

  /** The loaded room, loading it from the store first; undefined when no such room exists. */
  acquire(roomId: string): Promise<Room | undefined> {
    const loaded = this.rooms.get(roomId)
    if (loaded) return Promise.resolve(loaded)
    let pending = this.loading.get(roomId)
    if (!pending) {
      pending = this.load(roomId).finally(() => this.loading.delete(roomId))
      this.loading.set(roomId, pending)
    }
    return pending
  }

  private async load(roomId: string): Promise<Room | undefined> {
    const record = await this.store.getRoom(roomId)
    if (!record) return undefined
    await this.makeRoomForOneMore()
    const started = performance.now()
    // Subscribe first, buffering, then read the store: another instance stores before it
    // publishes, so each of its updates is in what we read, or arrives after we subscribed.
    let room: Room | undefined
    const buffered: Uint8Array[][] = []
    const onFrames = (frames: Uint8Array[]) => {
      if (room) room.applyRemote(frames)
      else buffered.push(frames)
    }
    await this.bus.subscribeRoom(roomId, onFrames)
    let stored: Awaited<ReturnType<Store['loadUpdates']>>
    let latestSnapshot: SnapshotRecord | undefined
    try {
      stored = await this.store.loadUpdates(roomId)
      latestSnapshot = await this.store.latestSnapshot(roomId)
    } catch (error) {
      this.bus.unsubscribeRoom(roomId)
      throw error
    }
    room = new Room(
      roomId,
      { ...stored, title: record.title, lastSnapshotAt: latestSnapshot?.createdAt ?? null },
      this.scheduler,
      this.options.refusals,
      this.options.receiptSigner,
    )
    // Applied again if already in what was read: Yjs ignores what it has.
    for (const frames of buffered) room.applyRemote(frames)
    this.rooms.set(roomId, room)
    metrics.roomsLoaded++
    log('info', 'room.loaded', {
      room: roomId,
      rows: stored.updates.length,
      bytes: stored.bytes,
      ms: Math.round(performance.now() - started),
    })
    // A room nobody joins after all (the connection went away while loading) still unloads.
    this.roomEmptied(room)
    return room
  }

  /**
   * Reads the room's current document with `read`: the live document when the room is loaded,
   * otherwise one built from the store for this read only (not kept in memory). Undefined when
   * there is no such room.
   */
  async readDocument<T>(roomId: string, read: (doc: Y.Doc) => T): Promise<T | undefined> {
    const loaded = this.rooms.get(roomId)
    if (loaded && !loaded.closed) return read(loaded.doc)
    if (!(await this.store.getRoom(roomId))) return undefined
    const { updates } = await this.store.loadUpdates(roomId)
    const doc = new Y.Doc()
    try {
      doc.transact(() => {
        for (const update of updates) Y.applyUpdate(doc, update)
      })
      return read(doc)
    } finally {
      doc.destroy()
    }
  }

  /** The title of a loaded room as its document has it now; undefined when not loaded or unset. */
  liveTitle(roomId: string): string | undefined {
    const room = this.rooms.get(roomId)
    return room && !room.closed ? (room.title ?? undefined) : undefined
  }

  /** Takes a snapshot of the room (see Snapshotter.take). */
  takeSnapshot(roomId: string, request: SnapshotRequest): Promise<Taken | undefined> {
    return this.snapshots.take(roomId, request)
  }

  /** Deletes one snapshot of the room, unless a precondition keeps it (see server/snapshotDeletion.ts). */
  deleteSnapshot(roomId: string, snapshotId: string): Promise<DeletionOutcome> {
    return this.snapshots.deletion.deleteOne(roomId, snapshotId)
  }

  /**
   * Closes the connections of `role` in the room that were admitted under another key id than
   * `currentKid`: after a rotation, a revoked link stops working at once, not at the next connect.
   */
  closeRevoked(roomId: string, role: Role, currentKid: string | null, reason: string): number {
    return this.closePeers(roomId, reason, (peer) => peer.role === role && peer.kid !== currentKid)
  }

  /**
   * Closes the connections of `role` holding links bound to `organisation` that were admitted under
   * another organisation key id than `currentOrgKid`: revoking one organisation's links.
   */
  closeRevokedOrganisation(
    roomId: string,
    role: Role,
    organisation: string,
    currentOrgKid: string,
    reason: string,
  ): number {
    return this.closePeers(
      roomId,
      reason,
      (peer) =>
        peer.role === role && peer.link.organisation === organisation && (peer.orgKid ?? null) !== currentOrgKid,
    )
  }

  private closePeers(roomId: string, reason: string, revoked: (peer: Peer) => boolean): number {
    const room = this.rooms.get(roomId)
    if (!room) return 0
    let closed = 0
    for (const peer of [...room.peers]) {
      if (revoked(peer)) {
        peer.close(CLOSE_CODES.unauthorized, reason)
        closed++
      }
    }
    return closed
  }

  /** Whether nothing keeps the room loaded: no peer, no change of the server's under way. */
  private isIdle(room: Room): boolean {
    return room.peers.size === 0 && !this.held.has(room) && !room.closed
  }

  private roomEmptied(room: Room): void {
    if (this.stopping || !this.isIdle(room) || this.unloadTimers.has(room)) return
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room)
      if (this.isIdle(room)) void this.unload(room)
    }, this.options.graceMs)
    timer.unref()
    this.unloadTimers.set(room, timer)
  }

  /**
   * Keeps the loaded rooms under the cap: unloads rooms nobody is connected to early, least
   * recently used first (the unload timers are kept in the order rooms became idle). Rooms in use
   * are never dropped; when all are in use the new load is refused and its client retries.
   */
  private async makeRoomForOneMore(): Promise<void> {
    const max = this.options.maxLoadedRooms
    if (max === undefined || this.rooms.size < max) return
    const idle = [...this.unloadTimers.keys()]
    if (idle.length === 0) {
      limitsTriggered.loaded_rooms++
      log('warn', 'room.at_capacity', { loaded: this.rooms.size, max })
      throw new AtCapacityError(`${this.rooms.size} rooms are loaded and in use (MAX_LOADED_ROOMS ${max})`)
    }
    const victims = idle.slice(0, this.rooms.size - max + 1)
    limitsTriggered.loaded_rooms += victims.length
    await Promise.all(
      victims.map((room) => {
        this.cancelUnload(room)
        log('info', 'room.unload_early', { room: room.id, loaded: this.rooms.size, max })
        return this.unload(room)
      }),
    )
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(room)
    }
  }

  /** Waits for anything of this room still being stored, then drops it from memory. */
  private unload(room: Room): Promise<void> {
    return this.pipeline.inChain(async () => {
      // Asked again after every wait below: a peer may join, or the server change the room
      // (withRoom), while its snapshot, compaction or title is being stored.
      const mayGo = (): boolean => {
        if (!this.isIdle(room) || this.rooms.get(room.id) !== room) return false
        if (!room.outbox.isDirty) return true
        // Its flush is already scheduled; try again after another grace period.
        this.roomEmptied(room)
        return false
      }
      if (!mayGo()) return
      // Everything it holds is stored: a changed room gets its snapshot before it goes.
      if (room.changes.changedSinceSnapshot) await this.snapshots.auto(room, 'auto-left', LEFT_SNAPSHOT_NAME)
      if (!mayGo()) return
      if (room.outbox.rowsStored > 1) await this.pipeline.compact(room)
      if (!mayGo()) return
      await this.pipeline.storeTitle(room)
      if (!mayGo()) return
      // A peer that came and went during the waits above armed a timer for this room: it goes now.
      this.cancelUnload(room)
      this.rooms.delete(room.id)
      this.bus.unsubscribeRoom(room.id)
      room.destroy()
      metrics.roomsUnloaded++
      log('info', 'room.unloaded', { room: room.id })
    })
  }

  private evict(room: Room, code: number, reason: string): void {
    if (this.rooms.get(room.id) === room) {
      this.rooms.delete(room.id)
      this.bus.unsubscribeRoom(room.id)
    }
    this.cancelUnload(room)
    this.held.delete(room)
    this.pipeline.forget(room)
    for (const peer of [...room.peers]) peer.close(code, reason)
    room.destroy()
  }

  /**
   * Catches every loaded room up from the store, after the bus was down and may have dropped
   * other instances' updates (they stored everything they published).
   */
  async catchUpFromStore(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      if (room.closed) continue
      try {
        const { updates } = await this.store.loadUpdates(room.id)
        room.catchUp(updates)
      } catch (error) {
        log('error', 'room.catch_up_failed', { room: room.id, error: errorMessage(error) })
      }
    }
  }

  /** Stores and sends everything pending, due or not, and waits for it (used on shutdown). */
  flushAll(): Promise<void> {
    return this.pipeline.flushAll()
  }

  /** Closes every connection with `code` after a final flush and a snapshot of every changed room. */
  async closeAll(code: number, reason: string): Promise<void> {
    this.stopping = true
    this.snapshots.stop()
    await this.pipeline.flushAll()
    await this.pipeline.inChain(async () => {
      for (const room of this.rooms.values()) {
        if (room.changes.changedSinceSnapshot) await this.snapshots.auto(room, 'auto-left', SHUTDOWN_SNAPSHOT_NAME)
        // Stored as one row, the room loads after the restart without an encode for its first
        // client (its stored row is served as it is). The snapshot just encoded it: no second encode.
        if (!room.closed && room.outbox.settled && room.outbox.rowsStored > 1) await this.pipeline.compact(room)
      }
    })
    this.pipeline.stop()
    for (const room of this.rooms.values()) {
      for (const peer of [...room.peers]) peer.close(code, reason)
    }
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
  }
}
