/**
 * What a room has applied but not yet stored, and what it will send once it is: an update the
 * server relays is always stored first. The flush pipeline takes a batch, stores its updates, and
 * hands it back to be sent (one write per peer, each sender's own messages left out); callbacks
 * waiting for durability (a new peer's sync step 2, a snapshot restore) then run. Also counts the
 * rows and bytes the store holds for the room, and when its next flush is due.
 */
import { metrics } from '../metrics.ts'
import { smoothed } from './flushPacing.ts'
import { frameBatch } from '../sync/framedBatch.ts'
import type { Peer } from '../sync/peer.ts'

export interface OutgoingFrame {
  frame: Uint8Array
  /** The peer the frame came from, which must not get it back (null: send to everyone). */
  except: Peer | null
}

export interface OutboxBatch {
  updates: Uint8Array[]
  frames: OutgoingFrame[]
  /** When the oldest message in the batch was queued (performance.now() ms). */
  heldSince: number
}

export class RoomOutbox {
  private updates: Uint8Array[] = []
  private frames: OutgoingFrame[] = []
  private afterDurable: (() => void)[] = []
  /** True while a flush holding this room's updates is in flight. */
  private flushing = false
  /** When the room last flushed and when its next flush is due (performance.now() ms). */
  private lastFlushAt = -Infinity
  private due = 0
  /** When the oldest message waiting for a flush was queued (performance.now() ms), null when none waits. */
  private pendingSince: number | null = null
  /** What this room's flushes have cost the event loop lately (ms, smoothed); null before its first. */
  private cost: number | null = null
  /** Rows and bytes the store holds for this room, to decide when to compact. */
  private storedRows: number
  private storedBytes: number

  constructor(
    private readonly peers: ReadonlySet<Peer>,
    stored: { rows: number; bytes: number },
  ) {
    this.storedRows = stored.rows
    this.storedBytes = stored.bytes
  }

  /** Queues an update to store. */
  store(update: Uint8Array): void {
    this.pendingSince ??= performance.now()
    this.updates.push(update)
  }

  /** Queues a frame to send once everything before it is stored (to everyone but `except`). */
  send(frame: Uint8Array, except: Peer | null): void {
    this.pendingSince ??= performance.now()
    this.frames.push({ frame, except })
  }

  /** Whether every update queued so far is stored (nothing waits for a flush or is in one). */
  get settled(): boolean {
    return this.updates.length === 0
  }

  get isDirty(): boolean {
    return this.updates.length > 0 || this.frames.length > 0
  }

  /** Runs `callback` once every update queued so far is stored (at once if that is already so). */
  whenDurable(callback: () => void): void {
    if (this.updates.length === 0 && !this.flushing) callback()
    else this.afterDurable.push(callback)
  }

  /** When the room's next flush is due (performance.now() ms), `windowMs` after its last. */
  scheduleFlush(now: number, windowMs: number): number {
    this.due = Math.max(now, this.lastFlushAt + windowMs)
    return this.due
  }

  /** Whether the flush running at `now` should take this room (a millisecond of slack: timers fire late rather than early). */
  isDue(now: number): boolean {
    return this.due <= now + 1
  }

  get dueAt(): number {
    return this.due
  }

  /** Hands the flush running at `now` what it must store and send, emptying the queues. */
  takeBatch(now: number): OutboxBatch {
    const batch = { updates: this.updates, frames: this.frames, heldSince: this.pendingSince ?? now }
    this.updates = []
    this.frames = []
    this.pendingSince = null
    this.lastFlushAt = now
    this.flushing = true
    return batch
  }

  /**
   * The flush stored `batch`: counts it, sends its frames (unless the room is gone) and runs what
   * waited. Returns how long the sending took (ms): the flush's cost, without the sync answers that
   * waited for it (a newcomer's whole-document step 2 is not a cost of flushing).
   */
  stored(batch: OutboxBatch, deliver: boolean): number {
    this.flushing = false
    this.storedRows += batch.updates.length
    for (const update of batch.updates) this.storedBytes += update.byteLength
    if (!deliver) return 0
    const started = performance.now()
    this.deliver(batch.frames)
    const sendMs = performance.now() - started
    this.runAfterDurable()
    return sendMs
  }

  /** What the room's recent flushes cost the event loop (ms, smoothed; 0 before its first). */
  get flushCostMs(): number {
    return this.cost ?? 0
  }

  /** A flush of this room cost the event loop `ms` (its share of the append, and its sends). */
  costed(ms: number): void {
    this.cost = smoothed(this.cost, ms)
  }

  /** Whether the store holds enough rows or bytes for the room to be compacted into one row. */
  needsCompaction(rows: number, bytes: number): boolean {
    return this.storedRows >= rows || this.storedBytes >= bytes
  }

  get rowsStored(): number {
    return this.storedRows
  }

  /** The store now holds the room as one row of `bytes`. */
  compacted(bytes: number): void {
    this.storedRows = 1
    this.storedBytes = bytes
  }

  /** Sends a stored batch's frames, one write per peer. */
  private deliver(frames: readonly OutgoingFrame[]): void {
    if (frames.length > 0 && this.peers.size > 0) {
      const batch = frameBatch(frames.map((f) => f.frame))
      // Which messages each sender must not get back; everyone else gets the whole buffer.
      const skips = new Map<Peer, number[]>()
      frames.forEach(({ except }, i) => {
        if (!except) return
        const list = skips.get(except)
        if (list) list.push(i)
        else skips.set(except, [i])
      })
      for (const peer of this.peers) {
        const skip = skips.get(peer)
        if (skip && skip.length === frames.length) continue
        metrics.framesOut += frames.length - (skip?.length ?? 0)
        peer.sendBatch(batch, skip)
      }
    }
  }

  /** Runs what waited for everything pending to be stored (sync answers), once nothing is pending. */
  private runAfterDurable(): void {
    if (this.afterDurable.length > 0 && this.updates.length === 0) {
      const callbacks = this.afterDurable
      this.afterDurable = []
      for (const callback of callbacks) callback()
    }
  }
}
