import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  findFreeSpot,
  layoutColumns,
  PLACEMENT_MARGIN,
  rectsOverlap,
  type Rect,
  type Size,
} from '../../shared/boardLayout.ts'

const view: Rect = { x: 0, y: 0, w: 1200, h: 800 }
const card: Size = { w: 240, h: 120 }
const at = (p: { x: number; y: number }, size: Size = card): Rect => ({ x: p.x, y: p.y, w: size.w, h: size.h })
const centreOf = (r: Rect) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 })
const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h

describe('rectsOverlap', () => {
  it('counts shared area, not touching edges, and grows the first box by the margin', () => {
    const a = { x: 0, y: 0, w: 10, h: 10 }
    expect(rectsOverlap(a, { x: 5, y: 5, w: 10, h: 10 })).toBe(true)
    expect(rectsOverlap(a, { x: 10, y: 0, w: 10, h: 10 })).toBe(false)
    expect(rectsOverlap(a, { x: 15, y: 0, w: 10, h: 10 }, 4)).toBe(false)
    expect(rectsOverlap(a, { x: 13, y: 0, w: 10, h: 10 }, 4)).toBe(true)
  })
})

describe('findFreeSpot', () => {
  it('puts the first card in the middle of an empty view', () => {
    expect(findFreeSpot({ view, obstacles: [], size: card })).toEqual({ x: 480, y: 340 })
  })

  it('never lands a card on top of the one placed before it: three in a row stay apart and in view', () => {
    const placed: Rect[] = []
    for (let i = 0; i < 3; i++) placed.push(at(findFreeSpot({ view, obstacles: placed, size: card }), card))
    for (const [i, a] of placed.entries()) {
      expect(inside(a, view)).toBe(true)
      for (const b of placed.slice(i + 1)) expect(rectsOverlap(a, b, PLACEMENT_MARGIN)).toBe(false)
    }
    // The second card is next to the first, not somewhere far off.
    const [first, second] = placed as [Rect, Rect]
    const gap = Math.hypot(centreOf(first).x - centreOf(second).x, centreOf(first).y - centreOf(second).y)
    expect(gap).toBeLessThan(card.w + PLACEMENT_MARGIN + card.w / 4 + 1)
  })

  it('finds the one gap left on a crowded board, near the centre', () => {
    // A view tiled with cards except one slot in the lower right.
    const obstacles: Rect[] = []
    const slot = { x: 900, y: 600 }
    for (let x = 0; x < 1200; x += 300)
      for (let y = 0; y < 800; y += 200) if (!(x === slot.x && y === slot.y)) obstacles.push({ x, y, w: 250, h: 150 })
    const spot = at(findFreeSpot({ view, obstacles, size: { w: 200, h: 100 }, margin: 10 }), { w: 200, h: 100 })
    expect(obstacles.some((o) => rectsOverlap(spot, o, 10))).toBe(false)
    expect(inside(spot, view)).toBe(true)
  })

  it('goes just outside the view when the view is full, as near as it can', () => {
    const obstacles: Rect[] = [{ x: -10, y: -10, w: 1220, h: 820 }]
    const spot = at(findFreeSpot({ view, obstacles, size: card }))
    expect(rectsOverlap(spot, obstacles[0]!, PLACEMENT_MARGIN)).toBe(false)
    // Above or below the block is nearer the centre than beside it (the view is wider than tall).
    expect(spot.y + spot.h <= -10 - PLACEMENT_MARGIN || spot.y >= 810 + PLACEMENT_MARGIN).toBe(true)
    expect(Math.abs(centreOf(spot).x - 600)).toBeLessThan(card.w / 4 + 1)
  })

  it('is quick and right on a board of 10,000 shapes seen from far out', () => {
    const obstacles: Rect[] = []
    for (let i = 0; i < 100; i++)
      for (let j = 0; j < 100; j++) obstacles.push({ x: i * 260, y: j * 150, w: 250, h: 140 })
    const far: Rect = { x: -2000, y: -2000, w: 30_000, h: 19_000 }
    const started = performance.now()
    const spot = at(findFreeSpot({ view: far, obstacles, size: card }))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(obstacles.some((o) => rectsOverlap(spot, o, PLACEMENT_MARGIN))).toBe(false)
  })

  it('when zoomed in closer than the card, uses the middle if free and looks around it if not', () => {
    const tiny: Rect = { x: 0, y: 0, w: 100, h: 50 }
    expect(findFreeSpot({ view: tiny, obstacles: [], size: card })).toEqual({ x: -70, y: -35 })
    const spot = at(findFreeSpot({ view: tiny, obstacles: [{ x: 0, y: 0, w: 100, h: 50 }], size: card }))
    expect(rectsOverlap(spot, { x: 0, y: 0, w: 100, h: 50 }, PLACEMENT_MARGIN)).toBe(false)
  })

  it('never overlaps anything, whatever is on the board', () => {
    const rect = fc.record({
      x: fc.integer({ min: -1500, max: 1500 }),
      y: fc.integer({ min: -1000, max: 1000 }),
      w: fc.integer({ min: 1, max: 800 }),
      h: fc.integer({ min: 1, max: 600 }),
    })
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 60 }), rect, (obstacles, size) => {
        const spot = at(findFreeSpot({ view, obstacles, size }), size)
        return obstacles.every((o) => !rectsOverlap(spot, o, PLACEMENT_MARGIN))
      }),
      { numRuns: 200 },
    )
  })
})

describe('layoutColumns', () => {
  it('lays titled columns left to right, cards top to bottom, leaving empty columns out', () => {
    const layout = layoutColumns(
      [
        {
          key: 'pot',
          title: 'Pot',
          cards: [
            { id: 'p1', w: 240, h: 120 },
            { id: 'p2', w: 240, h: 120 },
          ],
        },
        { key: 'barriers', title: 'Barriers', cards: [] },
        { key: 'actions', title: 'Actions', cards: [{ id: 'a1', w: 260, h: 140 }] },
      ],
      { headingHeight: 60, columnGap: 50, cardGap: 20 },
    )
    expect(layout.headings).toEqual([
      { key: 'pot', title: 'Pot', x: 0, y: 0, w: 240 },
      { key: 'actions', title: 'Actions', x: 290, y: 0, w: 260 },
    ])
    expect(Object.fromEntries(layout.cards)).toEqual({
      p1: { x: 0, y: 60 },
      p2: { x: 0, y: 200 },
      a1: { x: 290, y: 60 },
    })
    expect(layout.size).toEqual({ w: 550, h: 320 })
    const boxes = [...layout.cards.entries()].map(([id, p]) => at(p, id === 'a1' ? { w: 260, h: 140 } : card))
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(rectsOverlap(a, b)).toBe(false)
  })
})
