/**
 * A word-level diff of two texts, for showing how a clause's wording changed between two states
 * of a workshop. Pure and isomorphic.
 *
 * Tokens are runs of non-whitespace ("words", punctuation attached) and runs of whitespace, so
 * joining the tokens gives back the text exactly. The common prefix and suffix are stripped first
 * (an edit usually touches a few words of a long clause), then the middle is compared with a
 * longest-common-subsequence table: O(n·m) time and memory in the middle's token counts. To keep
 * that bounded, when either middle is longer than `MAX_DIFF_TOKENS` tokens the middle is reported
 * as one removed segment followed by one added segment (a whole-text replace) rather than a
 * word-by-word diff. At the limit the table holds 4,001² 16-bit cells (32 MB, a few hundred ms).
 * A whitespace-only unchanged run between two changes is folded into the change, so a replaced
 * phrase reads as one removal and one addition.
 */

export type WordDiffKind = 'same' | 'added' | 'removed'

export interface WordDiffSegment {
  kind: WordDiffKind
  text: string
}

/** Beyond this many tokens (after the common prefix and suffix) on either side, no LCS is run. */
export const MAX_DIFF_TOKENS = 4000

/** Words and whitespace runs, in order; `tokenize(t).join('') === t`. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|\S+/g) ?? []
}

function push(out: WordDiffSegment[], kind: WordDiffKind, text: string): void {
  if (text === '') return
  const last = out[out.length - 1]
  if (last && last.kind === kind) last.text += text
  else out.push({ kind, text })
}

/**
 * The segments turning `before` into `after`: joining the 'same' and 'removed' segments gives
 * `before`, joining 'same' and 'added' gives `after`. Adjacent segments of one kind are merged, and
 * within a changed run the removed text comes before the added text.
 */
export function wordDiff(before: string, after: string, maxTokens: number = MAX_DIFF_TOKENS): WordDiffSegment[] {
  if (before === after) return before === '' ? [] : [{ kind: 'same', text: before }]
  const a = tokenize(before)
  const b = tokenize(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const out: WordDiffSegment[] = []
  push(out, 'same', a.slice(0, start).join(''))
  const n = endA - start
  const m = endB - start
  if (n > maxTokens || m > maxTokens) {
    push(out, 'removed', a.slice(start, endA).join(''))
    push(out, 'added', b.slice(start, endB).join(''))
  } else {
    middle(a, start, n, b, start, m, out)
  }
  push(out, 'same', a.slice(endA).join(''))
  return absorbWhitespace(out)
}

/**
 * Folds a whitespace-only unchanged segment lying between two changes into the change, so that
 * "a b" → "x y" reads as one replace rather than a, x, ' ', b, y.
 */
function absorbWhitespace(segments: WordDiffSegment[]): WordDiffSegment[] {
  const out: WordDiffSegment[] = []
  let removed = ''
  let added = ''
  let inChange = false
  const flush = () => {
    push(out, 'removed', removed)
    push(out, 'added', added)
    removed = ''
    added = ''
    inChange = false
  }
  segments.forEach((segment, i) => {
    if (segment.kind === 'removed') {
      removed += segment.text
      inChange = true
    } else if (segment.kind === 'added') {
      added += segment.text
      inChange = true
    } else if (inChange && /^\s+$/.test(segment.text) && i + 1 < segments.length) {
      // Between two changes (the next segment is a change, as same segments are merged).
      removed += segment.text
      added += segment.text
    } else {
      flush()
      push(out, 'same', segment.text)
    }
  })
  flush()
  return out
}

/** LCS of a[offA, offA+n) and b[offB, offB+m), written as segments into `out`. */
function middle(
  a: string[],
  offA: number,
  n: number,
  b: string[],
  offB: number,
  m: number,
  out: WordDiffSegment[],
): void {
  // table[i][j] = LCS length of a's suffix from i and b's suffix from j (row-major, (n+1)·(m+1)).
  const width = m + 1
  const table = n < 65_535 && m < 65_535 ? new Uint16Array((n + 1) * width) : new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    const ai = a[offA + i]
    const row = i * width
    const next = row + width
    for (let j = m - 1; j >= 0; j--) {
      table[row + j] = ai === b[offB + j] ? table[next + j + 1]! + 1 : Math.max(table[next + j]!, table[row + j + 1]!)
    }
  }
  let i = 0
  let j = 0
  let removed = ''
  let added = ''
  const flush = () => {
    push(out, 'removed', removed)
    push(out, 'added', added)
    removed = ''
    added = ''
  }
  while (i < n && j < m) {
    if (a[offA + i] === b[offB + j]) {
      flush()
      push(out, 'same', a[offA + i]!)
      i++
      j++
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) {
      removed += a[offA + i]!
      i++
    } else {
      added += b[offB + j]!
      j++
    }
  }
  while (i < n) removed += a[offA + i++]!
  while (j < m) added += b[offB + j++]!
  flush()
}
