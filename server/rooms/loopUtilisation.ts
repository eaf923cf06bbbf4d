/**
 * How busy this process's event loop has been lately, for the flush pacing (flushPacing.ts):
 * Node's event-loop utilisation (the share of time spent running callbacks rather than waiting for
 * I/O), re-measured at most every SAMPLE_MS and smoothed, so that reading it on every flush costs
 * a clock read, not a measurement.
 */
import { performance } from 'node:perf_hooks'
import { smoothed } from './flushPacing.ts'

const SAMPLE_MS = 20

export class LoopUtilisation {
  private last = performance.eventLoopUtilization()
  private lastAt = performance.now()
  private value: number | null = null

  /** The smoothed utilisation, 0–1 (0 until the first SAMPLE_MS have passed). */
  read(now: number = performance.now()): number {
    if (now - this.lastAt >= SAMPLE_MS) {
      const current = performance.eventLoopUtilization()
      this.value = smoothed(this.value, performance.eventLoopUtilization(current, this.last).utilization)
      this.last = current
      this.lastAt = now
    }
    return this.value ?? 0
  }
}
