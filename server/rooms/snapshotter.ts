/**
 * Takes snapshots of rooms (issue #8): on request, automatically after an interval of work, when a
 * changed room unloads and on shutdown. A loaded room is flushed first, inside the flush chain, so
 * that a snapshot holds exactly what has been stored and relayed; a room not loaded is read from
 * the store.
 */
import * as Y from 'yjs'
import type { SnapshotAuthor, SnapshotKind } from '../../shared/api.ts'
import { errorMessage, log } from '../log.ts'
import { intervalCheckMs, intervalSnapshotDue, intervalSnapshotName, newSnapshotId, sha256Hex } from '../snapshots.ts'
import type { SnapshotRecord, Store } from '../storage/store.ts'
import type { FlushPipeline } from './flushPipeline.ts'
import type { Room } from './room.ts'

/** What a snapshot is called, who took it and why. */
export interface SnapshotRequest {
  name: string
  author: SnapshotAuthor
  kind: SnapshotKind
}

/** The rooms the snapshotter works on, as the registry holds them. */
export interface LoadedRooms {
  /** The loaded room with this id, if any (closed rooms included: the caller checks). */
  loaded(roomId: string): Room | undefined
  all(): Iterable<Room>
  /** Reads the room's stored document; undefined when there is no such room. */
  readDocument<T>(roomId: string, read: (doc: Y.Doc) => T): Promise<T | undefined>
}

export class Snapshotter {
  private readonly timer: NodeJS.Timeout | null = null
  /** Rooms with an interval snapshot queued in the chain (not queued twice). */
  private readonly queued = new Set<Room>()
  private stopped = false

  /** With `intervalMs` (SNAPSHOT_INTERVAL_MS), rooms being worked in get a snapshot each interval. */
  constructor(
    private readonly store: Store,
    private readonly pipeline: FlushPipeline,
    private readonly rooms: LoadedRooms,
    intervalMs?: number,
  ) {
    if (intervalMs !== undefined && intervalMs > 0) {
      this.timer = setInterval(() => this.checkIntervals(intervalMs), intervalCheckMs(intervalMs))
      this.timer.unref()
    }
  }

  /**
   * Takes a snapshot of the room's current document: the live one when loaded, after a flush, else
   * the stored state. Undefined when there is no such room; rejects when the store fails.
   */
  async take(roomId: string, request: SnapshotRequest): Promise<SnapshotRecord | undefined> {
    const room = this.rooms.loaded(roomId)
    if (room && !room.closed) {
      let taken: SnapshotRecord | undefined
      let failure: unknown = null
      await this.pipeline.inChain(async () => {
        await this.pipeline.flushRoom(room)
        // A failed flush evicts the room: the stored state is then the truth.
        if (room.closed || !room.outbox.settled) return
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

  /** An automatic snapshot of a loaded room; must run inside the flush chain. Failures are logged, not thrown. */
  async auto(room: Room, kind: SnapshotKind, name: string): Promise<void> {
    if (room.closed || !room.outbox.settled) return
    try {
      await this.snapshotLive(room, { name, author: 'server', kind })
    } catch (error) {
      log('error', 'storage.snapshot_failed', { room: room.id, kind, error: errorMessage(error) })
    }
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
  }

  /** Must run inside the flush chain with nothing pending in the room. */
  private async snapshotLive(room: Room, request: SnapshotRequest): Promise<SnapshotRecord> {
    const started = performance.now()
    const state = Y.encodeStateAsUpdate(room.doc)
    const record = this.record(room.id, request, state)
    const undo = room.changes.snapshotTaken(record.createdAt)
    try {
      await this.store.createSnapshot(record, state)
    } catch (error) {
      undo()
      throw error
    }
    this.logTaken(record, started)
    return record
  }

  private async snapshotStored(roomId: string, request: SnapshotRequest): Promise<SnapshotRecord | undefined> {
    const started = performance.now()
    const state = await this.rooms.readDocument(roomId, (doc) => Y.encodeStateAsUpdate(doc))
    if (!state) return undefined
    const record = this.record(roomId, request, state)
    await this.store.createSnapshot(record, state)
    this.logTaken(record, started)
    return record
  }

  private record(roomId: string, request: SnapshotRequest, state: Uint8Array): SnapshotRecord {
    return {
      id: newSnapshotId(),
      roomId,
      ...request,
      createdAt: Date.now(),
      size: state.byteLength,
      sha256: sha256Hex(state),
    }
  }

  private logTaken(record: SnapshotRecord, started: number): void {
    log('info', 'snapshot.taken', {
      room: record.roomId,
      snapshot: record.id,
      kind: record.kind,
      bytes: record.size,
      ms: Math.round(performance.now() - started),
    })
  }

  /** Queues an interval snapshot for every loaded room that is due one (server/snapshots.ts). */
  private checkIntervals(intervalMs: number): void {
    if (this.stopped) return
    const now = Date.now()
    for (const room of this.rooms.all()) {
      if (room.closed || this.queued.has(room) || !intervalSnapshotDue(room.changes, now, intervalMs)) continue
      this.queued.add(room)
      void this.pipeline.inChain(async () => {
        try {
          await this.pipeline.flushRoom(room)
          if (!this.stopped && intervalSnapshotDue(room.changes, Date.now(), intervalMs))
            await this.auto(room, 'auto-interval', intervalSnapshotName(intervalMs))
        } finally {
          this.queued.delete(room)
        }
      })
    }
  }
}
