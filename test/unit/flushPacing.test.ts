import { describe, expect, it } from 'vitest'
import {
  flushWindowMs,
  LOOP_FULL,
  LOOP_HAS_ROOM,
  MAX_FLUSH_WINDOW_MS,
  smoothed,
} from '../../server/rooms/flushPacing.ts'

/** The share of the event loop a room's flushing takes when it flushes once per window. */
const flushShare = (costMs: number, windowMs: number) => costMs / windowMs

describe('flush pacing', () => {
  it('flushes a room whose flushes cost nothing at once, whatever the load', () => {
    expect(flushWindowMs({ flushCostMs: 0, loopUtilisation: 0 })).toBe(0)
    expect(flushWindowMs({ flushCostMs: 0, loopUtilisation: 1 })).toBe(0)
  })

  it('while the loop has room, lets flushing take half of it, whatever the room size', () => {
    for (const cost of [0.05, 0.3, 1, 2.5]) {
      for (const utilisation of [0, 0.1, LOOP_HAS_ROOM]) {
        const window = flushWindowMs({ flushCostMs: cost, loopUtilisation: utilisation })
        expect(window).toBeCloseTo(2 * cost)
        expect(flushShare(cost, window)).toBeCloseTo(0.5)
      }
    }
  })

  it('on a full loop, leaves flushing a tenth of it', () => {
    for (const utilisation of [LOOP_FULL, 0.9, 1]) {
      const window = flushWindowMs({ flushCostMs: 1, loopUtilisation: utilisation })
      expect(window).toBeCloseTo(10)
      expect(flushShare(1, window)).toBeCloseTo(0.1)
    }
  })

  it('batches longer the busier the loop, never shorter', () => {
    let previous = 0
    for (let utilisation = 0; utilisation <= 1.0001; utilisation += 0.05) {
      const window = flushWindowMs({ flushCostMs: 1.2, loopUtilisation: utilisation })
      expect(window).toBeGreaterThanOrEqual(previous)
      previous = window
    }
    expect(flushWindowMs({ flushCostMs: 1.2, loopUtilisation: 0.5 })).toBeGreaterThan(
      flushWindowMs({ flushCostMs: 1.2, loopUtilisation: 0.3 }),
    )
  })

  it('batches longer the more a flush costs, up to the cap', () => {
    expect(flushWindowMs({ flushCostMs: 2, loopUtilisation: 0.5 })).toBeCloseTo(
      2 * flushWindowMs({ flushCostMs: 1, loopUtilisation: 0.5 }),
    )
    expect(flushWindowMs({ flushCostMs: 100, loopUtilisation: 0 })).toBe(MAX_FLUSH_WINDOW_MS)
    expect(flushWindowMs({ flushCostMs: 5, loopUtilisation: 1 })).toBe(MAX_FLUSH_WINDOW_MS)
  })

  it('treats unmeasurable input safely: a broken clock never flushes in a tight loop or waits forever', () => {
    expect(flushWindowMs({ flushCostMs: Number.NaN, loopUtilisation: 0.5 })).toBe(0)
    expect(flushWindowMs({ flushCostMs: -3, loopUtilisation: 0.5 })).toBe(0)
    expect(flushWindowMs({ flushCostMs: Number.POSITIVE_INFINITY, loopUtilisation: 0 })).toBe(0)
    expect(flushWindowMs({ flushCostMs: 1, loopUtilisation: Number.NaN })).toBeCloseTo(10)
    expect(flushWindowMs({ flushCostMs: 1, loopUtilisation: -1 })).toBeCloseTo(2)
    expect(flushWindowMs({ flushCostMs: 1, loopUtilisation: 7 })).toBeCloseTo(10)
  })

  it('smooths measurements, taking the first as it is', () => {
    expect(smoothed(null, 4)).toBe(4)
    expect(smoothed(4, 4)).toBe(4)
    const after = smoothed(1, 9)
    expect(after).toBeGreaterThan(1)
    expect(after).toBeLessThan(5)
    let value: number | null = null
    for (let i = 0; i < 100; i++) value = smoothed(value, i % 2 === 0 ? 1 : 3)
    expect(value).toBeCloseTo(2, 0)
  })
})
