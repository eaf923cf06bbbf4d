/**
 * Where cards go on the board, as plain geometry (page units, y down), so that it can be tested
 * without a canvas: a free spot for a new card near the middle of what someone is looking at, and
 * the columns "Arrange" lays the cards out in.
 */

export interface Point {
  x: number
  y: number
}

export interface Size {
  w: number
  h: number
}

/** A box by its top-left corner and size. */
export interface Rect extends Point, Size {}

/** Space kept between a placed card and anything already there, so cards never touch. */
export const PLACEMENT_MARGIN = 24

/** Whether `a` and `b` share any area once `a` is grown by `margin` on every side (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect, margin = 0): boolean {
  return a.x - margin < b.x + b.w && b.x < a.x + a.w + margin && a.y - margin < b.y + b.h && b.y < a.y + a.h + margin
}

/** The smallest box holding every one of `rects`, or null for none. */
export function unionRect(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (const r of rects) {
    minX = Math.min(minX, r.x)
    minY = Math.min(minY, r.y)
    maxX = Math.max(maxX, r.x + r.w)
    maxY = Math.max(maxY, r.y + r.h)
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

export interface FreeSpotInput {
  /** What the person sees (their viewport in page units): the spot is as near its centre as the board allows. */
  view: Rect
  /** The page bounds of everything already on the board. */
  obstacles: readonly Rect[]
  /** The new card. */
  size: Size
  margin?: number
}

/**
 * Candidate spots are tried on a grid a quarter of the card's size, nearest the centre of the
 * view first, so a card lands in the first gap big enough for it. Past the view the search goes
 * on in rings, to this many cards' widths; beyond that (a board packed solid around the view) the
 * card goes just right of everything, which is always free.
 */
const GRID_DIVISIONS = 4
const MAX_RINGS_BEYOND_VIEW = 12
/** A view zoomed far out would offer millions of grid spots; past this many the grid coarsens. */
const MAX_VIEW_CANDIDATES = 6000

/**
 * The obstacles bucketed on a coarse grid, so that testing a spot looks only at what is near it
 * (a board holds up to 10,000 shapes and a search may try thousands of spots).
 */
function obstacleIndex(obstacles: readonly Rect[], cell: number): (box: Rect, margin: number) => boolean {
  const buckets = new Map<string, Rect[]>()
  const cellsOf = (box: Rect, margin: number, visit: (key: string) => void) => {
    const x0 = Math.floor((box.x - margin) / cell)
    const x1 = Math.floor((box.x + box.w + margin) / cell)
    const y0 = Math.floor((box.y - margin) / cell)
    const y1 = Math.floor((box.y + box.h + margin) / cell)
    for (let i = x0; i <= x1; i++) for (let j = y0; j <= y1; j++) visit(`${i},${j}`)
  }
  const huge: Rect[] = []
  for (const o of obstacles) {
    // A shape spanning very many cells (a huge frame or drawing) is checked against every spot instead.
    if (o.w / cell > 64 || o.h / cell > 64) {
      huge.push(o)
      continue
    }
    cellsOf(o, 0, (key) => {
      const bucket = buckets.get(key)
      if (bucket) bucket.push(o)
      else buckets.set(key, [o])
    })
  }
  return (box, margin) => {
    if (huge.some((o) => rectsOverlap(box, o, margin))) return true
    let hit = false
    cellsOf(box, margin, (key) => {
      if (!hit) hit = buckets.get(key)?.some((o) => rectsOverlap(box, o, margin)) ?? false
    })
    return hit
  }
}

/**
 * The top-left corner for a card of `size` that overlaps none of `obstacles` (with `margin` to
 * spare), as near the centre of `view` as possible, inside the view when there is room there.
 */
export function findFreeSpot({ view, obstacles, size, margin = PLACEMENT_MARGIN }: FreeSpotInput): Point {
  const centred = { x: view.x + view.w / 2 - size.w / 2, y: view.y + view.h / 2 - size.h / 2 }
  const blocked = obstacleIndex(obstacles, Math.max(size.w, size.h, 1) * 2)
  const fits = (at: Point) => !blocked({ x: at.x, y: at.y, w: size.w, h: size.h }, margin)
  const byDistance = (a: Point, b: Point) =>
    Math.hypot(a.x - centred.x, a.y - centred.y) - Math.hypot(b.x - centred.x, b.y - centred.y) ||
    a.y - b.y ||
    a.x - b.x

  let stepX = Math.max(size.w / GRID_DIVISIONS, 1)
  let stepY = Math.max(size.h / GRID_DIVISIONS, 1)
  const spotsAcross = (view.w - size.w) / stepX + 1
  const spotsDown = (view.h - size.h) / stepY + 1
  if (spotsAcross * spotsDown > MAX_VIEW_CANDIDATES) {
    const coarsen = Math.sqrt((spotsAcross * spotsDown) / MAX_VIEW_CANDIDATES)
    stepX *= coarsen
    stepY *= coarsen
  }

  // Inside the view: every grid spot where the whole card shows, nearest the centre first.
  const spanX = Math.floor((view.w - size.w) / 2 / stepX)
  const spanY = Math.floor((view.h - size.h) / 2 / stepY)
  if (spanX >= 0 && spanY >= 0) {
    const candidates: Point[] = []
    for (let i = -spanX; i <= spanX; i++)
      for (let j = -spanY; j <= spanY; j++) candidates.push({ x: centred.x + i * stepX, y: centred.y + j * stepY })
    for (const at of candidates.sort(byDistance)) if (fits(at)) return at
  } else if (fits(centred)) {
    // A view smaller than the card (zoomed right in): the middle, if it is free.
    return centred
  }

  // Outside the view: rings of grid spots around it. A ring's spots are at least its inner
  // radius from the centre, so once a free spot is nearer than that, no later ring can beat it.
  const innerX = Math.max(spanX, 0)
  const innerY = Math.max(spanY, 0)
  const distance = (at: Point) => Math.hypot(at.x - centred.x, at.y - centred.y)
  let best: Point | null = null
  for (let ring = 1; ring <= GRID_DIVISIONS * MAX_RINGS_BEYOND_VIEW; ring++) {
    const rx = innerX + ring
    const ry = innerY + ring
    if (best && Math.min(rx * stepX, ry * stepY) >= distance(best)) break
    const candidates: Point[] = []
    for (let i = -rx; i <= rx; i++) {
      candidates.push({ x: centred.x + i * stepX, y: centred.y - ry * stepY })
      candidates.push({ x: centred.x + i * stepX, y: centred.y + ry * stepY })
    }
    for (let j = -ry + 1; j <= ry - 1; j++) {
      candidates.push({ x: centred.x - rx * stepX, y: centred.y + j * stepY })
      candidates.push({ x: centred.x + rx * stepX, y: centred.y + j * stepY })
    }
    for (const at of candidates.sort(byDistance)) {
      if (best && byDistance(at, best) >= 0) break
      if (fits(at)) {
        best = at
        break
      }
    }
  }
  if (best) return best

  const all = unionRect(obstacles)
  return all ? { x: all.x + all.w + margin, y: centred.y } : centred
}

/** One card to lay out: its shape id and size. */
export interface LayoutCard extends Size {
  id: string
}

/** A titled column of cards, in the order they are to appear top to bottom. */
export interface LayoutColumn {
  key: string
  title: string
  cards: readonly LayoutCard[]
}

export interface ColumnLayoutOptions {
  /** Height kept above each column's first card for its title. */
  headingHeight: number
  /** Space between columns, and between one card and the next. */
  columnGap: number
  cardGap: number
}

export const COLUMN_LAYOUT: ColumnLayoutOptions = { headingHeight: 64, columnGap: 64, cardGap: 24 }

export interface ColumnLayout {
  /** Where each card's top-left goes, relative to the layout's top-left. */
  cards: Map<string, Point>
  /** Each non-empty column's title: where it goes and how wide its column is. */
  headings: { key: string; title: string; x: number; y: number; w: number }[]
  /** The whole layout's size. */
  size: Size
}

/**
 * Cards in columns, left to right in the order given, each column as wide as its widest card and
 * titled above its first card; empty columns are left out. Positions are relative to (0, 0).
 */
export function layoutColumns(
  columns: readonly LayoutColumn[],
  options: ColumnLayoutOptions = COLUMN_LAYOUT,
): ColumnLayout {
  const cards = new Map<string, Point>()
  const headings: ColumnLayout['headings'] = []
  let x = 0
  let height = 0
  for (const column of columns) {
    if (column.cards.length === 0) continue
    const width = Math.max(...column.cards.map((c) => c.w))
    headings.push({ key: column.key, title: column.title, x, y: 0, w: width })
    let y = options.headingHeight
    for (const card of column.cards) {
      cards.set(card.id, { x, y })
      y += card.h + options.cardGap
    }
    height = Math.max(height, y - options.cardGap)
    x += width + options.columnGap
  }
  return { cards, headings, size: { w: Math.max(x - options.columnGap, 0), h: height } }
}
