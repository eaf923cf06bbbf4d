/**
 * The flush: once per room's window, the updates of every due room are appended to the store in
 * one transaction (append), each room's outbox then goes to its peers (deliver), to the other
 * instances through the bus (publish: durable before visible, everywhere), and rooms that have
 * gathered enough rows are compacted into one (compact). Flushes run one at a time, and so does
 * all other work on stored rooms (snapshots, unloads: `inChain`), so that what a room holds in
 * memory is exactly what is stored whenever that work runs.
 */
import { TITLE_MAX } from '../../shared/api.ts'
import type { Bus } from '../bus/bus.ts'
import { errorMessage, log } from '../log.ts'
import { metrics } from '../metrics.ts'
import type { Store } from '../storage/store.ts'
import { flushWindowMs } from './flushPacing.ts'
import { LoopUtilisation } from './loopUtilisation.ts'
import type { Room } from './room.ts'

export interface CompactionThresholds {
  compactRows: number
  compactBytes: number
}

export class FlushPipeline {
  private readonly dirty = new Set<Room>()
  /** When the next flush is scheduled for (ms, performance.now()), or null if none is. */
  private flushAt: number | null = null
  private flushTimer: NodeJS.Timeout | NodeJS.Immediate | null = null
  private chain: Promise<void> = Promise.resolve()
  /** How busy the event loop is: rooms batch longer only when it is (flushPacing.ts). */
  private readonly loop = new LoopUtilisation()

  /** `storeFailed` is told of rooms whose updates the store refused: their memory is no longer what is stored. */
  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly thresholds: CompactionThresholds,
    private readonly storeFailed: (room: Room) => void,
  ) {}

  /** A room has something to store or send: it flushes when its window is over. */
  markDirty(room: Room): void {
    if (this.dirty.has(room)) return
    this.dirty.add(room)
    const now = performance.now()
    const window = flushWindowMs({ flushCostMs: room.outbox.flushCostMs, loopUtilisation: this.loop.read(now) })
    this.scheduleFlush(room.outbox.scheduleFlush(now, window))
  }

  /** Stops flushing `room` (it is being dropped from memory). */
  forget(room: Room): void {
    this.dirty.delete(room)
  }

  /** Runs `task` in the chain (one at a time with flushes, compactions, snapshots and unloads); never rejects the chain. */
  inChain(task: () => Promise<void>): Promise<void> {
    return (this.chain = this.chain.then(task).catch((error: unknown) => {
      log('error', 'flush.task_failed', { error: errorMessage(error) })
    }))
  }

  /** Stores and sends everything pending, due or not, and waits for it (used on shutdown). */
  flushAll(): Promise<void> {
    this.cancelScheduledFlush()
    return this.inChain(() => this.flush(true))
  }

  /** Flushes `room` now if it has anything pending, with whatever else is due. Must run in the chain. */
  flushRoom(room: Room): Promise<void> {
    return this.flush(false, room)
  }

  /** Compacts the room's stored rows into one, its current document. Must run in the chain, with nothing pending. */
  async compact(room: Room): Promise<void> {
    const started = performance.now()
    // The room's cached encoding when nothing changed since the last one (a snapshot just taken).
    const state = room.encodedState()
    const rowsBefore = room.outbox.rowsStored
    try {
      await this.store.compact(room.id, state, rowsBefore)
    } catch (error) {
      log('error', 'storage.compact_failed', { room: room.id, error: errorMessage(error) })
      return
    }
    metrics.compactions++
    metrics.compactMicroseconds += Math.round((performance.now() - started) * 1000)
    room.outbox.compacted(state.byteLength)
    log('info', 'room.compacted', {
      room: room.id,
      rowsBefore,
      bytes: state.byteLength,
      ms: Math.round(performance.now() - started),
    })
  }

  /** Keeps the rooms table's title in step with a renamed document (rare: only on a change). */
  async storeTitle(room: Room): Promise<void> {
    const title = room.takeTitleChange()
    if (title === null) return
    try {
      await this.store.setTitle(room.id, title.slice(0, TITLE_MAX))
    } catch (error) {
      room.titleNotStored()
      log('error', 'storage.title_failed', { room: room.id, error: errorMessage(error) })
    }
  }

  stop(): void {
    this.cancelScheduledFlush()
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

  private readonly runFlush = (): void => {
    this.flushTimer = null
    this.flushAt = null
    void this.inChain(() => this.flush(false))
  }

  /** Stores and sends every room that is due (every dirty room when `all`, and `also` if dirty). */
  private async flush(all: boolean, also?: Room): Promise<void> {
    if (this.dirty.size === 0) return
    const now = performance.now()
    const rooms: Room[] = []
    let nextDue = Infinity
    for (const room of this.dirty) {
      if (all || room === also || room.outbox.isDue(now)) rooms.push(room)
      else nextDue = Math.min(nextDue, room.outbox.dueAt)
    }
    for (const room of rooms) this.dirty.delete(room)
    if (nextDue !== Infinity) this.scheduleFlush(nextDue)
    if (rooms.length === 0) return
    const batches = rooms.map((room) => ({ room, batch: room.outbox.takeBatch(now) }))
    const entries = batches.flatMap(({ room, batch }) => batch.updates.map((update) => ({ roomId: room.id, update })))
    // What storing costs the event loop is the synchronous part of the append (SQLite's commit);
    // the wait for it to be durable (the log's fsync on the thread pool, PostgreSQL's answer)
    // costs the loop nothing: other rooms' updates are read and applied meanwhile.
    let appendMs = 0
    try {
      const appendStarted = performance.now()
      const appended = this.store.appendUpdates(entries)
      appendMs = performance.now() - appendStarted
      await appended
      metrics.flushDurableWaitMicroseconds += Math.round((performance.now() - appendStarted - appendMs) * 1000)
    } catch (error) {
      metrics.flushFailures++
      log('error', 'storage.append_failed', { error: errorMessage(error), updates: entries.length })
      for (const { room } of batches) this.storeFailed(room)
      return
    }
    metrics.flushes++
    metrics.updatesAppended += entries.length
    metrics.flushAppendMicroseconds += Math.round(appendMs * 1000)
    for (const { room, batch } of batches) {
      metrics.flushHeldMicroseconds += Math.round((now - batch.heldSince) * 1000)
      const deliverMs = room.outbox.stored(batch, !room.closed)
      metrics.flushDeliverMicroseconds += Math.round(deliverMs * 1000)
      // Rooms flushed together share one transaction and its fsync: each is charged its share.
      room.outbox.costed(appendMs / batches.length + deliverMs)
      if (this.bus.shared && batch.frames.length > 0)
        this.bus.publishRoom(
          room.id,
          batch.frames.map((f) => f.frame),
        )
    }
    for (const { room } of batches) if (!room.closed) await this.storeTitle(room)
    for (const { room } of batches) {
      if (room.closed || !room.outbox.settled) continue
      if (room.outbox.needsCompaction(this.thresholds.compactRows, this.thresholds.compactBytes))
        await this.compact(room)
    }
  }
}
