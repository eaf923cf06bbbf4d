/**
 * Takes snapshots of rooms (issue #8): on request, automatically after an interval of work, when a
 * changed room unloads and on shutdown. A loaded room is flushed first, inside the flush chain, so
 * that a snapshot holds exactly what has been stored and relayed; a room not loaded is read from
 * the store.
 *
 * Within bounds (issue #18): an automatic snapshot is stored only when the room's content differs
 * from its newest snapshot's (server/snapshotContent.ts), never for a document over
 * MAX_DOCUMENT_BYTES, and never past the room's SNAPSHOT_QUOTA_BYTES (then skipped, logged and
 * counted; a facilitator's is refused with a message instead). After each automatic one the
 * retention (shared/snapshotRetention.ts) thins the room's older automatic snapshots.
 */
import * as Y from 'yjs'
import type { SnapshotAuthor, SnapshotKind } from '../../shared/api.ts'
import { snapshotsToPrune } from '../../shared/snapshotRetention.ts'
import { errorMessage, log } from '../log.ts'
import { snapshotEvents } from '../metrics.ts'
import { contentFingerprint } from '../snapshotContent.ts'
import { ANY_SNAPSHOT_MAY_GO, type DeletionPrecondition, SnapshotDeletion } from '../snapshotDeletion.ts'
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

/** How much a room's snapshots may hold (SNAPSHOT_QUOTA_BYTES, MAX_DOCUMENT_BYTES). */
export interface SnapshotLimits {
  quotaBytes: number
  maxDocumentBytes: number
}

export const NO_LIMITS: SnapshotLimits = {
  quotaBytes: Number.POSITIVE_INFINITY,
  maxDocumentBytes: Number.POSITIVE_INFINITY,
}

export interface SnapshotterOptions {
  /** With it (SNAPSHOT_INTERVAL_MS), rooms being worked in get a snapshot each interval. */
  intervalMs?: number
  limits?: SnapshotLimits
  /** Asked before any snapshot is deleted (server/snapshotDeletion.ts). */
  mayDelete?: DeletionPrecondition
}

/** A snapshot that could not be taken: the room's quota is used up (507), or the document is too large (413). */
export class SnapshotRefused extends Error {
  constructor(
    readonly reason: 'over_quota' | 'too_large',
    readonly bytes: { document: number; used: number; needed: number; quota: number; maxDocument: number },
  ) {
    super(reason === 'over_quota' ? 'snapshot quota exceeded' : 'document too large to snapshot')
  }
}

/**
 * A snapshot taken (`created`), or, for an automatic kind whose content the room's newest snapshot
 * holds already, that newest one (`created: false`).
 */
export interface Taken {
  record: SnapshotRecord
  created: boolean
}

/** The document as a snapshot would hold it, read in one go (nothing can change it in between). */
interface Capture {
  state: Uint8Array
  contentHash: string
}

/** The document's state (already encoded, when the caller has it) and its content fingerprint. */
const capture = (doc: Y.Doc, state: Uint8Array = Y.encodeStateAsUpdate(doc)): Capture => ({
  state,
  contentHash: contentFingerprint(doc),
})

type Outcome =
  | { kind: 'taken'; record: SnapshotRecord }
  | { kind: 'unchanged'; latest: SnapshotRecord }
  | { kind: 'refused'; refusal: SnapshotRefused }

export class Snapshotter {
  private readonly timer: NodeJS.Timeout | null = null
  /** Rooms with an interval snapshot queued in the chain (not queued twice). */
  private readonly queued = new Set<Room>()
  private stopped = false
  private readonly limits: SnapshotLimits
  /** Every deletion, the retention's included, goes through it. */
  readonly deletion: SnapshotDeletion

  constructor(
    private readonly store: Store,
    private readonly pipeline: FlushPipeline,
    private readonly rooms: LoadedRooms,
    options: SnapshotterOptions = {},
  ) {
    this.limits = options.limits ?? NO_LIMITS
    this.deletion = new SnapshotDeletion(store, options.mayDelete ?? ANY_SNAPSHOT_MAY_GO)
    const intervalMs = options.intervalMs
    if (intervalMs !== undefined && intervalMs > 0) {
      this.timer = setInterval(() => this.checkIntervals(intervalMs), intervalCheckMs(intervalMs))
      this.timer.unref()
    }
  }

  get quotaBytes(): number {
    return this.limits.quotaBytes
  }

  get maxDocumentBytes(): number {
    return this.limits.maxDocumentBytes
  }

  /**
   * Takes a snapshot of the room's current document: the live one when loaded, after a flush, else
   * the stored state. Undefined when there is no such room; throws SnapshotRefused over the quota
   * or the document cap; rejects when the store fails.
   */
  async take(roomId: string, request: SnapshotRequest): Promise<Taken | undefined> {
    const room = this.rooms.loaded(roomId)
    let outcome: Outcome | undefined
    if (room && !room.closed) {
      let failure: unknown = null
      await this.pipeline.inChain(async () => {
        await this.pipeline.flushRoom(room)
        // A failed flush evicts the room: the stored state is then the truth.
        if (room.closed || !room.outbox.settled) return
        try {
          outcome = await this.snapshotLive(room, request)
        } catch (error) {
          failure = error ?? new Error('snapshot failed')
        }
      })
      if (failure) throw failure
    }
    outcome ??= await this.snapshotStored(roomId, request)
    if (!outcome) return undefined
    switch (outcome.kind) {
      case 'taken':
        return { record: outcome.record, created: true }
      case 'unchanged':
        return { record: outcome.latest, created: false }
      case 'refused':
        snapshotEvents[outcome.refusal.reason === 'over_quota' ? 'refused_over_quota' : 'refused_too_large']++
        log('warn', 'snapshot.refused', {
          room: roomId,
          kind: request.kind,
          reason: outcome.refusal.reason,
          ...outcome.refusal.bytes,
        })
        throw outcome.refusal
    }
  }

  /** An automatic snapshot of a loaded room; must run inside the flush chain. Failures are logged, not thrown. */
  async auto(room: Room, kind: SnapshotKind, name: string): Promise<void> {
    if (room.closed || !room.outbox.settled) return
    try {
      const outcome = await this.snapshotLive(room, { name, author: 'server', kind })
      if (outcome.kind === 'refused') {
        const { reason, bytes } = outcome.refusal
        snapshotEvents[reason === 'over_quota' ? 'skipped_over_quota' : 'skipped_too_large']++
        log('warn', 'snapshot.skipped', { room: room.id, kind, reason, ...bytes })
      } else if (outcome.kind === 'unchanged') {
        snapshotEvents.skipped_unchanged++
        log('debug', 'snapshot.skipped', { room: room.id, kind, reason: 'unchanged', latest: outcome.latest.id })
      }
    } catch (error) {
      snapshotEvents.failed++
      log('error', 'storage.snapshot_failed', { room: room.id, kind, error: errorMessage(error) })
    }
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
  }

  /** Must run inside the flush chain with nothing pending in the room. */
  private async snapshotLive(room: Room, request: SnapshotRequest): Promise<Outcome> {
    const started = performance.now()
    // Read before any await: the live document takes peers' updates meanwhile, and a snapshot
    // holds only what has been stored.
    const captured = capture(room.doc, room.encodedState())
    const at = Date.now()
    const attempt = room.changes.beginSnapshot()
    let outcome: Outcome
    try {
      outcome = await this.write(room.id, request, captured, at, started)
    } catch (error) {
      attempt.failed()
      throw error
    }
    if (outcome.kind === 'taken') attempt.taken(at)
    // Trying a refused automatic one again at every interval check would encode the whole room
    // each time for nothing: the next change tries again (the facilitator may have made room).
    else if (outcome.kind === 'unchanged' || request.kind !== 'manual') attempt.needless()
    else attempt.failed()
    return outcome
  }

  private async snapshotStored(roomId: string, request: SnapshotRequest): Promise<Outcome | undefined> {
    const started = performance.now()
    const captured = await this.rooms.readDocument(roomId, capture)
    if (!captured) return undefined
    return this.write(roomId, request, captured, Date.now(), started)
  }

  private async write(
    roomId: string,
    request: SnapshotRequest,
    { state, contentHash }: Capture,
    at: number,
    started: number,
  ): Promise<Outcome> {
    // A person asked for a manual one, so it is taken whatever it holds (its bytes are shared with
    // an identical state's); the automatic kinds are there to record change.
    const automatic = request.kind !== 'manual'
    if (automatic) {
      const latest = await this.store.latestSnapshot(roomId)
      if (latest && latest.contentHash === contentHash) return { kind: 'unchanged', latest }
    }
    const bytes = {
      document: state.byteLength,
      used: 0,
      needed: state.byteLength,
      quota: this.limits.quotaBytes,
      maxDocument: this.limits.maxDocumentBytes,
    }
    if (state.byteLength > this.limits.maxDocumentBytes) {
      bytes.used = await this.store.snapshotBytes(roomId)
      return { kind: 'refused', refusal: new SnapshotRefused('too_large', bytes) }
    }
    const record: SnapshotRecord = {
      id: newSnapshotId(),
      roomId,
      ...request,
      createdAt: at,
      size: state.byteLength,
      sha256: sha256Hex(state),
      contentHash,
    }
    const written = await this.store.createSnapshot(record, state, this.limits.quotaBytes)
    if (!written.stored) {
      const refusal = new SnapshotRefused('over_quota', {
        ...bytes,
        used: written.usedBytes,
        needed: written.neededBytes,
      })
      if (automatic) await this.prune(roomId)
      return { kind: 'refused', refusal }
    }
    snapshotEvents.taken++
    log('info', 'snapshot.taken', {
      room: roomId,
      snapshot: record.id,
      kind: record.kind,
      bytes: record.size,
      addedBytes: written.addedBytes,
      usedBytes: written.usedBytes,
      ms: Math.round(performance.now() - started),
    })
    if (automatic) await this.prune(roomId)
    return { kind: 'taken', record }
  }

  /** The retention pass: reads the room's snapshot metadata and deletes what the policy lets go. */
  private async prune(roomId: string): Promise<void> {
    const started = performance.now()
    let snapshots: SnapshotRecord[]
    try {
      snapshots = await this.store.listSnapshots(roomId)
    } catch (error) {
      log('error', 'storage.prune_failed', { room: roomId, error: errorMessage(error) })
      return
    }
    const doomed = new Set(snapshotsToPrune(snapshots, Date.now()))
    if (doomed.size === 0) return
    const { count, freedBytes } = await this.deletion.prune(
      roomId,
      snapshots.filter((s) => doomed.has(s.id)),
    )
    if (count > 0)
      log('info', 'snapshot.pruned', {
        room: roomId,
        count,
        freedBytes,
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
