/**
 * How long a room gathers messages before its next flush, decided from measured load rather than
 * from its size. Batching saves flushes (each is one fsync and one socket write per peer) but makes
 * every message wait; it is worth it only when flushing would crowd the event loop. So a room's
 * window follows what its own flushes cost: a flush that took d ms, followed by k·d ms of other
 * work before the next, keeps flushing to at most 1/(1+k) of the loop. k grows with how busy the
 * loop is: while the loop has room, k is 1 (flushing may take half of it: a 2-peer room flushes
 * every turn, a 200-peer room every few milliseconds); when the loop is near full, k is
 * 9, so that reading and applying incoming updates keeps up.
 */

export interface FlushLoad {
  /** What the room's recent flushes cost the event loop, ms (smoothed): the store's append and its sends. */
  flushCostMs: number
  /** The share of recent time the event loop was busy, 0–1 (smoothed `performance.eventLoopUtilization`). */
  loopUtilisation: number
}

/** Up to this utilisation the loop has room: flushing may take half of it (k = 1). */
export const LOOP_HAS_ROOM = 0.25
/** From this utilisation on, flushing takes at most a tenth of the loop (k = 9). */
export const LOOP_FULL = 0.75
const MULTIPLE_WITH_ROOM = 1
const MULTIPLE_WHEN_FULL = 9
/**
 * No window is longer than this, whatever the load: past it, batching saves little more (the
 * flush's fixed costs are already shared by many updates) and latency would only grow.
 */
export const MAX_FLUSH_WINDOW_MS = 25

/** The room's window (ms): its next flush is due this long after its last began (the flush's cost, then k times it). */
export function flushWindowMs(load: FlushLoad): number {
  const cost = Number.isFinite(load.flushCostMs) ? Math.max(0, load.flushCostMs) : 0
  const utilisation = Number.isFinite(load.loopUtilisation) ? Math.min(1, Math.max(0, load.loopUtilisation)) : 1
  const busy = Math.min(1, Math.max(0, (utilisation - LOOP_HAS_ROOM) / (LOOP_FULL - LOOP_HAS_ROOM)))
  const multiple = MULTIPLE_WITH_ROOM + (MULTIPLE_WHEN_FULL - MULTIPLE_WITH_ROOM) * busy
  return Math.min(MAX_FLUSH_WINDOW_MS, cost * (1 + multiple))
}

/** Weight of the newest measurement in a smoothed figure: about the last eight count. */
const SMOOTHING = 0.125

/** An exponentially smoothed figure; the first measurement is taken as it is. */
export function smoothed(previous: number | null, measured: number): number {
  return previous === null ? measured : previous + (measured - previous) * SMOOTHING
}
