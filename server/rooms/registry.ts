/**
 * Loads rooms on demand, unloads them after their last peer leaves plus a grace period, and runs
 * the flush: once per event-loop turn, the updates of every dirty room are appended to the store
 * in one transaction, then each room's outbox goes out. Flushes run one at a time, and so do
 * compactions, which happen between flushes so that the live document is exactly what is stored.
 *
 * With several instances (multi-instance mode), a flush's frames also go to the bus once they
 * are stored, and a room subscribes to the bus before it reads the store, so that an update is
 * either in what it reads or in what it receives afterwards (see load).
 */
import type { RefusalBudget } from '../sync/writeGuard.ts'
import * as Y from 'yjs'
import { CLOSE_CODES, TITLE_MAX } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { errorMessage, log } from '../log.ts'
import { limitsTriggered, metrics } from '../metrics.ts'
import type { SnapshotAuthor, SnapshotKind } from '../../shared/api.ts'
import { intervalCheckMs, intervalSnapshotDue, intervalSnapshotName, LEFT_SNAPSHOT_NAME, newSnapshotId, sha256Hex, SHUTDOWN_SNAPSHOT_NAME } from '../snapshots.ts'
import type { SnapshotRecord, Store } from '../storage/store.ts'
import { LocalBus, type Bus } from '../bus/bus.ts'
import { Room, type FlushScheduler } from './room.ts'

export interface RegistryOptions {
  graceMs: number
  compactRows: number
  compactBytes: number
  /** Automatic snapshots every this many ms of work (SNAPSHOT_INTERVAL_MS); none when not given. */
  snapshotIntervalMs?: number
  /** Rooms kept in memory at once (MAX_LOADED_ROOMS); no cap when not given. */
  maxLoadedRooms?: number
  /** Refused updates each connection may cause (RATE_REFUSALS_*); the defaults when not given. */
  refusals?: RefusalBudget
}

/** A room could not be loaded because every loaded room is in use and the cap is reached. */
export class AtCapacityError extends Error {}

/** What a snapshot is called, who took it and why. */
export interface SnapshotRequest {
  name: string
  author: SnapshotAuthor
  kind: SnapshotKind
}

/** Close code used when storage fails: the client reconnects and resends what it has. */
const STORAGE_FAILED = 1011

/**
 * How long a room gathers messages before it flushes again. Each flush costs one socket write per
 * peer and one fsync, and a room's fan-out work grows with the square of its size (every peer's
 * edits go to every other peer), so the window grows with the square too: 2 peers flush every
 * tick, 50 every 1.6 ms, 100 every 6 ms, 200 every 25 ms (the cap). A 200-person room then costs
 * about 8,000 socket writes a second whatever its edit rate, and no edit waits more than 25 ms.
 */
const FLUSH_WINDOW_MS_PER_PEER_SQUARED = 25 / 200 ** 2
const MAX_FLUSH_WINDOW_MS = 25

export function flushWindowMs(peers: number): number {
  return Math.min(MAX_FLUSH_WINDOW_MS, peers * peers * FLUSH_WINDOW_MS_PER_PEER_SQUARED)
}

export class RoomRegistry implements FlushScheduler {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room | undefined>>()
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>()
  private readonly dirty = new Set<Room>()
  /** When the next flush is scheduled for (ms, performance.now()), or null if none is. */
  private flushAt: number | null = null
  private flushTimer: NodeJS.Timeout | NodeJS.Immediate | null = null
  private flushChain: Promise<void> = Promise.resolve()
  private readonly snapshotTimer: NodeJS.Timeout | null = null
  /** Set by closeAll: rooms no longer unload (the shutdown snapshots and closes them). */
  private stopping = false

  constructor(
    private readonly store: Store,
    private readonly options: RegistryOptions,
    private readonly bus: Bus = new LocalBus(),
  ) {
    const interval = options.snapshotIntervalMs
    if (interval !== undefined && interval > 0) {
      this.snapshotTimer = setInterval(() => this.checkIntervalSnapshots(interval), intervalCheckMs(interval))
      this.snapshotTimer.unref()
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
      latestSnapshot = (await this.store.listSnapshots(roomId))[0]
    } catch (error) {
      this.bus.unsubscribeRoom(roomId)
      throw error
    }
    room = new Room(roomId, stored, this, this.options.refusals)
    // Applied again if already in what was read: Yjs ignores what it has.
    for (const frames of buffered) room.applyRemote(frames)
    room.lastSnapshotAt = latestSnapshot?.createdAt ?? null
    // A rename whose title did not reach the rooms table before a crash is caught up here.
    if (room.title !== null && room.title !== record.title) room.titleChanged = true
    this.rooms.set(roomId, room)
    metrics.roomsLoaded++
    log('info', 'room.loaded', { room: roomId, rows: stored.updates.length, bytes: stored.bytes, ms: Math.round(performance.now() - started) })
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

  /**
   * Closes the connections of `role` in the room that were admitted under another key id than
   * `currentKid`: after a rotation, a revoked link stops working at once, not at the next connect.
   */
  closeRevoked(roomId: string, role: Role, currentKid: string | null, reason: string): number {
    const room = this.rooms.get(roomId)
    if (!room) return 0
    let closed = 0
    for (const peer of [...room.peers]) {
      if (peer.role === role && peer.kid !== currentKid) {
        peer.close(CLOSE_CODES.unauthorized, reason)
        closed++
      }
    }
    return closed
  }

  /**
   * Closes the connections of `role` holding links bound to `organisation` that were admitted under
   * another organisation key id than `currentOrgKid`: revoking one organisation's links.
   */
  closeRevokedOrganisation(roomId: string, role: Role, organisation: string, currentOrgKid: string, reason: string): number {
    const room = this.rooms.get(roomId)
    if (!room) return 0
    let closed = 0
    for (const peer of [...room.peers]) {
      if (peer.role === role && peer.link.organisation === organisation && (peer.orgKid ?? null) !== currentOrgKid) {
        peer.close(CLOSE_CODES.unauthorized, reason)
        closed++
      }
    }
    return closed
  }

  markDirty(room: Room): void {
    if (this.dirty.has(room)) return
    room.dueAt = Math.max(performance.now(), room.lastFlushAt + flushWindowMs(room.peers.size))
    this.dirty.add(room)
    this.scheduleFlush(room.dueAt)
  }

  private scheduleFlush(at: number): void {
    if (this.flushAt !== null && this.flushAt <= at) return
    this.cancelScheduledFlush()
    this.flushAt = at
    const delay = at - performance.now()
    this.flushTimer = delay < 1 ? setImmediate(this.runFlush) : setTimeout(this.runFlush, delay)
  }

  private cancelScheduledFlush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer as NodeJS.Timeout)
      clearImmediate(this.flushTimer as NodeJS.Immediate)
    }
    this.flushTimer = null
    this.flushAt = null
  }

  roomEmptied(room: Room): void {
    if (this.stopping || room.peers.size > 0 || this.unloadTimers.has(room)) return
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room)
      if (room.peers.size === 0) void this.unload(room)
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

  roomJoined(room: Room): void {
    this.cancelUnload(room)
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(room)
    }
  }

  private readonly runFlush = (): void => {
    this.flushTimer = null
    this.flushAt = null
    this.flushChain = this.flushChain.then(() => this.flush(false))
  }

  /** Stores and sends every room that is due (every dirty room when `all`, and `also` if dirty). */
  private async flush(all: boolean, also?: Room): Promise<void> {
    if (this.dirty.size === 0) return
    const now = performance.now()
    const rooms: Room[] = []
    let nextDue = Infinity
    for (const room of this.dirty) {
      // A millisecond of slack: timers fire late rather than early, and rarely to the microsecond.
      if (all || room === also || room.dueAt <= now + 1) rooms.push(room)
      else nextDue = Math.min(nextDue, room.dueAt)
    }
    for (const room of rooms) {
      this.dirty.delete(room)
      room.lastFlushAt = now
    }
    if (nextDue !== Infinity) this.scheduleFlush(nextDue)
    if (rooms.length === 0) return
    const batches = rooms.map((room) => {
      room.flushing = true
      return { room, ...room.takeBatch() }
    })
    const entries = batches.flatMap(({ room, updates }) => updates.map((update) => ({ roomId: room.id, update })))
    try {
      await this.store.appendUpdates(entries)
    } catch (error) {
      metrics.flushFailures++
      log('error', 'storage.append_failed', { error: errorMessage(error), updates: entries.length })
      // The rooms' documents now hold updates the store does not: drop them from memory and
      // let clients reconnect, so that they resend what the store is missing.
      for (const { room } of batches) this.evict(room, STORAGE_FAILED, 'storage unavailable')
      return
    }
    metrics.flushes++
    metrics.updatesAppended += entries.length
    for (const { room, updates, frames } of batches) {
      room.flushing = false
      room.storedRows += updates.length
      for (const update of updates) room.storedBytes += update.byteLength
      if (!room.closed) room.deliver(frames)
      // Durable before visible, on other instances too.
      if (this.bus.shared && frames.length > 0) this.bus.publishRoom(room.id, frames.map((f) => f.frame))
    }
    for (const { room } of batches) if (room.titleChanged && !room.closed) await this.storeTitle(room)
    for (const { room } of batches) {
      if (room.closed || room.pendingUpdates.length > 0) continue
      if (room.storedRows >= this.options.compactRows || room.storedBytes >= this.options.compactBytes) {
        await this.compact(room)
      }
    }
  }

  /** Keeps the rooms table's title in step with a renamed document (rare: only on a change). */
  private async storeTitle(room: Room): Promise<void> {
    if (!room.titleChanged) return
    room.titleChanged = false
    const title = room.title
    if (title === null) return
    try {
      await this.store.setTitle(room.id, title.slice(0, TITLE_MAX))
    } catch (error) {
      room.titleChanged = true
      log('error', 'storage.title_failed', { room: room.id, error: errorMessage(error) })
    }
  }

  /** Must run inside the flush chain, with no pending updates in the room. */
  private async compact(room: Room): Promise<void> {
    const started = performance.now()
    const state = Y.encodeStateAsUpdate(room.doc)
    const rowsBefore = room.storedRows
    try {
      await this.store.compact(room.id, state)
    } catch (error) {
      log('error', 'storage.compact_failed', { room: room.id, error: errorMessage(error) })
      return
    }
    metrics.compactions++
    room.storedRows = 1
    room.storedBytes = state.byteLength
    log('info', 'room.compacted', { room: room.id, rowsBefore, bytes: state.byteLength, ms: Math.round(performance.now() - started) })
  }

  private async unload(room: Room): Promise<void> {
    // Wait for anything of this room still being stored, then drop it from memory.
    await (this.flushChain = this.flushChain.then(async () => {
      if (room.peers.size > 0 || room.closed || this.rooms.get(room.id) !== room) return
      if (room.isDirty) {
        // Its flush is already scheduled; try again after another grace period.
        this.roomEmptied(room)
        return
      }
      // Everything it holds is stored: a changed room gets its snapshot before it goes.
      if (room.changedSinceSnapshot) await this.autoSnapshot(room, 'auto-left', LEFT_SNAPSHOT_NAME)
      if (room.storedRows > 1) await this.compact(room)
      await this.storeTitle(room)
      this.rooms.delete(room.id)
      this.bus.unsubscribeRoom(room.id)
      room.destroy()
      metrics.roomsUnloaded++
      log('info', 'room.unloaded', { room: room.id })
    }))
  }

  private evict(room: Room, code: number, reason: string): void {
    if (this.rooms.get(room.id) === room) {
      this.rooms.delete(room.id)
      this.bus.unsubscribeRoom(room.id)
    }
    this.cancelUnload(room)
    this.dirty.delete(room)
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
  async flushAll(): Promise<void> {
    this.cancelScheduledFlush()
    await (this.flushChain = this.flushChain.then(() => this.flush(true)))
  }

  /**
   * Takes a snapshot of the room's current document: the live one when loaded, after a flush (so
   * it holds exactly what has been stored and relayed), else the stored state. Undefined when
   * there is no such room; rejects when the store fails.
   */
  async takeSnapshot(roomId: string, request: SnapshotRequest): Promise<SnapshotRecord | undefined> {
    const room = this.rooms.get(roomId)
    if (room && !room.closed) {
      let taken: SnapshotRecord | undefined
      let failure: unknown = null
      await this.inChain(async () => {
        await this.flush(false, room)
        // A failed flush evicts the room: the stored state is then the truth.
        if (room.closed || room.pendingUpdates.length > 0) return
        try {
          taken = await this.snapshotLive(room, request)
        } catch (error) {
          failure = error ?? new Error('snapshot failed')
        }
      })
      if (failure) throw failure
      if (taken) return taken
    }
    return this.snapshotStored(roomId, request)
  }

  /** Runs `task` in the flush chain (one at a time with flushes, compactions and unloads); never rejects the chain. */
  private inChain(task: () => Promise<void>): Promise<void> {
    return (this.flushChain = this.flushChain.then(task).catch((error: unknown) => {
      log('error', 'registry.task_failed', { error: errorMessage(error) })
    }))
  }

  /** Must run inside the flush chain with no pending updates in the room. */
  private async snapshotLive(room: Room, request: SnapshotRequest): Promise<SnapshotRecord> {
    const started = performance.now()
    const state = Y.encodeStateAsUpdate(room.doc)
    const before = { first: room.firstChangeAt, last: room.lastChangeAt, snapshot: room.lastSnapshotAt }
    const record = this.snapshotRecord(room.id, request, state)
    room.snapshotTaken(record.createdAt)
    try {
      await this.store.createSnapshot(record, state)
    } catch (error) {
      // Not taken after all: the changes still count towards the next automatic snapshot.
      room.firstChangeAt = before.first ?? room.firstChangeAt
      room.lastChangeAt = room.lastChangeAt ?? before.last
      room.lastSnapshotAt = before.snapshot
      throw error
    }
    this.logSnapshot(record, started)
    return record
  }

  private async snapshotStored(roomId: string, request: SnapshotRequest): Promise<SnapshotRecord | undefined> {
    const started = performance.now()
    const state = await this.readDocument(roomId, (doc) => Y.encodeStateAsUpdate(doc))
    if (!state) return undefined
    const record = this.snapshotRecord(roomId, request, state)
    await this.store.createSnapshot(record, state)
    this.logSnapshot(record, started)
    return record
  }

  private snapshotRecord(roomId: string, request: SnapshotRequest, state: Uint8Array): SnapshotRecord {
    return { id: newSnapshotId(), roomId, ...request, createdAt: Date.now(), size: state.byteLength, sha256: sha256Hex(state) }
  }

  private logSnapshot(record: SnapshotRecord, started: number): void {
    log('info', 'snapshot.taken', { room: record.roomId, snapshot: record.id, kind: record.kind, bytes: record.size, ms: Math.round(performance.now() - started) })
  }

  /** An automatic snapshot; must run inside the flush chain. Failures are logged, not thrown. */
  private async autoSnapshot(room: Room, kind: SnapshotKind, name: string): Promise<void> {
    if (room.closed || room.pendingUpdates.length > 0) return
    try {
      await this.snapshotLive(room, { name, author: 'server', kind })
    } catch (error) {
      log('error', 'storage.snapshot_failed', { room: room.id, kind, error: errorMessage(error) })
    }
  }

  /** Queues an interval snapshot for every loaded room that is due one (server/snapshots.ts). */
  private checkIntervalSnapshots(intervalMs: number): void {
    if (this.stopping) return
    const now = Date.now()
    for (const room of this.rooms.values()) {
      if (room.closed || room.snapshotting || !intervalSnapshotDue(room, now, intervalMs)) continue
      room.snapshotting = true
      void this.inChain(async () => {
        try {
          await this.flush(false, room)
          if (!this.stopping && intervalSnapshotDue(room, Date.now(), intervalMs)) {
            await this.autoSnapshot(room, 'auto-interval', intervalSnapshotName(intervalMs))
          }
        } finally {
          room.snapshotting = false
        }
      })
    }
  }

  /** Closes every connection with `code` after a final flush and a snapshot of every changed room. */
  async closeAll(code: number, reason: string): Promise<void> {
    this.stopping = true
    if (this.snapshotTimer) clearInterval(this.snapshotTimer)
    await this.flushAll()
    await this.inChain(async () => {
      for (const room of this.rooms.values()) {
        if (room.changedSinceSnapshot) await this.autoSnapshot(room, 'auto-left', SHUTDOWN_SNAPSHOT_NAME)
      }
    })
    for (const room of this.rooms.values()) {
      for (const peer of [...room.peers]) peer.close(code, reason)
    }
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
  }
}
