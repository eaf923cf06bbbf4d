/** The Protocol view's pure helpers: where a dragged clause lands, and how comment times read. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { formatCommentTime } from '../../client/protocol/comments/commentTime.ts'
import { dropTarget, gapAt } from '../../client/protocol/reorder/clauseDrop.ts'
import { addClause, moveClause, readClauses } from '../../shared/protocol.ts'

const fiona = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }

describe('dropping a dragged clause', () => {
  // Three cards 100 px tall with 16 px gaps: middles at 50, 166 and 282.
  const boxes = [
    { top: 0, height: 100 },
    { top: 116, height: 100 },
    { top: 232, height: 100 },
  ]

  it('picks the gap above the first card whose middle is below the pointer', () => {
    expect(gapAt(-20, boxes)).toBe(0)
    expect(gapAt(49, boxes)).toBe(0)
    expect(gapAt(51, boxes)).toBe(1)
    expect(gapAt(200, boxes)).toBe(2)
    expect(gapAt(300, boxes)).toBe(3)
    expect(gapAt(10, [])).toBe(0)
  })

  it('names the neighbours between which the clause lands', () => {
    const ids = ['a', 'b', 'c', 'd']
    expect(dropTarget(ids, 'c', 0)).toEqual({ beforeId: null, afterId: 'a' })
    expect(dropTarget(ids, 'a', 4)).toEqual({ beforeId: 'd', afterId: null })
    expect(dropTarget(ids, 'a', 2)).toEqual({ beforeId: 'b', afterId: 'c' })
    expect(dropTarget(ids, 'd', 1)).toEqual({ beforeId: 'a', afterId: 'b' })
  })

  it('does nothing for a drop next to itself, or for a clause it does not know', () => {
    const ids = ['a', 'b', 'c']
    expect(dropTarget(ids, 'b', 1)).toBeNull()
    expect(dropTarget(ids, 'b', 2)).toBeNull()
    expect(dropTarget(ids, 'x', 0)).toBeNull()
    expect(dropTarget(ids, 'a', 9)).toBeNull()
  })

  it('moves the third clause to the top through moveClause', () => {
    const doc = new Y.Doc()
    for (const title of ['One', 'Two', 'Three', 'Four']) addClause(doc, title, [], fiona, 1)
    const ids = readClauses(doc).map((c) => c.id)
    const target = dropTarget(ids, ids[2]!, 0)!
    moveClause(doc, ids[2]!, target.beforeId, target.afterId)
    expect(readClauses(doc).map((c) => c.title)).toEqual(['Three', 'One', 'Two', 'Four'])
    const last = dropTarget(
      readClauses(doc).map((c) => c.id),
      ids[0]!,
      4,
    )!
    moveClause(doc, ids[0]!, last.beforeId, last.afterId)
    expect(readClauses(doc).map((c) => c.title)).toEqual(['Three', 'Two', 'Four', 'One'])
  })
})

describe('comment times', () => {
  // Noon UTC: the 23rd in every time zone a test machine is likely to run in.
  const at = Date.UTC(2026, 10, 23, 12, 0)

  it('reads relative while recent and as a date once older than a day', () => {
    expect(formatCommentTime(at, at + 20_000).relative).toBe('just now')
    expect(formatCommentTime(at, at - 5_000).relative).toBe('just now')
    expect(formatCommentTime(at, at + 12 * 60_000).relative).toBe('12 min ago')
    expect(formatCommentTime(at, at + 3 * 3_600_000 + 5).relative).toBe('3 h ago')
    expect(formatCommentTime(at, at + 3 * 86_400_000).relative).toMatch(/^23 Nov/)
  })

  it('always gives the full date and an ISO value', () => {
    const time = formatCommentTime(at, at)
    expect(time.iso).toBe('2026-11-23T12:00:00.000Z')
    expect(time.absolute).toMatch(/23 Nov 2026/)
  })
})
