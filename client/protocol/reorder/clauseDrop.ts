/**
 * Where a dragged clause lands. Gaps are numbered 0…n: gap g sits just above clause g, and gap n
 * after the last clause. The pointer picks the gap above the first clause whose middle is below it,
 * so the indicator jumps at each card's half-way line.
 */

/** The gap the pointer is over, from each clause card's box on screen (in order). */
export function gapAt(pointerY: number, boxes: readonly { top: number; height: number }[]): number {
  const index = boxes.findIndex((box) => pointerY < box.top + box.height / 2)
  return index < 0 ? boxes.length : index
}

export interface DropTarget {
  /** The clause the moved one will follow (null: it becomes the first). */
  beforeId: string | null
  /** The clause the moved one will precede (null: it becomes the last). */
  afterId: string | null
}

/**
 * The neighbours `moveClause` needs when `id` is dropped at `gap` of the clauses `ids`, or null
 * when the drop would leave it where it is (the gaps either side of itself) or it is not listed.
 */
export function dropTarget(ids: readonly string[], id: string, gap: number): DropTarget | null {
  const from = ids.indexOf(id)
  if (from < 0 || gap < 0 || gap > ids.length || gap === from || gap === from + 1) return null
  return { beforeId: ids[gap - 1] ?? null, afterId: ids[gap] ?? null }
}
