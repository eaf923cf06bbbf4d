/**
 * How busy this process's event loop has been lately, for the flush pacing (flushPacing.ts):
 * Node's event-loop utilisation (the share of time spent running callbacks rather than waiting for
 * I/O), re-measured at most every SAMPLE_MS and smoothed over about TIME_CONSTANT_MS, so that
 * reading it on every flush costs a clock read, not a measurement. The smoothing weighs each
 * measurement by the time it covers: after a quiet second the figure is the quiet second's.
 */
import { performance } from 'node:perf_hooks'

const SAMPLE_MS = 20
const TIME_CONSTANT_MS = 150

export class LoopUtilisation {
  private last = performance.eventLoopUtilization()
  private lastAt = performance.now()
  private value: number | null = null

  /** The smoothed utilisation, 0–1 (0 until the first SAMPLE_MS have passed). */
  read(now: number = performance.now()): number {
    if (now - this.lastAt >= SAMPLE_MS) {
      const current = performance.eventLoopUtilization()
      const measured = performance.eventLoopUtilization(current, this.last).utilization
      const weight = 1 - Math.exp(-(now - this.lastAt) / TIME_CONSTANT_MS)
      this.value = this.value === null ? measured : this.value + (measured - this.value) * weight
      this.last = current
      this.lastAt = now
    }
    return this.value ?? 0
  }
}
