/**
 * A word-level diff of two texts, for showing how a clause's wording changed between two states
 * of a workshop. Pure and isomorphic.
 *
 * The comparison is jsdiff's (`diffArrays`, Myers' O(ND) algorithm) over our own tokens: runs of
 * non-whitespace ("words", punctuation attached) and runs of whitespace, so joining the tokens
 * gives back the text exactly and a changed amount reads "£2m → £3m" rather than jsdiff's own word
 * tokens' "£[2m → 3m]". The common prefix and suffix are stripped first (an edit usually touches a
 * few words of a long clause). To keep the work bounded (Myers' takes time in proportion to the
 * middle's length times the number of changes), when either middle is longer than
 * `MAX_DIFF_TOKENS` tokens, or the two differ by more than `MAX_DIFF_EDITS` tokens added and
 * removed, the middle is reported as one removed segment followed by one added segment (a
 * whole-text replace) rather than a word-by-word diff, which nobody could read anyway. Measured:
 * two unrelated 2,000-word texts take about 1 s without the edit cap, 0.1 s with it.
 * A whitespace-only unchanged run
 * between two changes is folded into the change, so a replaced phrase reads as one removal and
 * one addition.
 */
import { diffArrays } from 'diff'

export type WordDiffKind = 'same' | 'added' | 'removed'

export interface WordDiffSegment {
  kind: WordDiffKind
  text: string
}

/** Beyond this many tokens (after the common prefix and suffix) on either side, no diff is run. */
export const MAX_DIFF_TOKENS = 4000
/** Beyond this many tokens added and removed, the changed middle is shown as a whole replace. */
export const MAX_DIFF_EDITS = 1000

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
  const middleA = a.slice(start, endA)
  const middleB = b.slice(start, endB)
  const changes =
    middleA.length > maxTokens || middleB.length > maxTokens
      ? undefined
      : diffArrays(middleA, middleB, { maxEditLength: MAX_DIFF_EDITS })
  if (changes === undefined) {
    push(out, 'removed', middleA.join(''))
    push(out, 'added', middleB.join(''))
  } else {
    for (const change of changes) {
      push(out, change.added ? 'added' : change.removed ? 'removed' : 'same', change.value.join(''))
    }
  }
  push(out, 'same', a.slice(endA).join(''))
  return absorbWhitespace(out)
}

/**
 * Folds a whitespace-only unchanged segment lying between two changes into the change, so that
 * "a b" → "x y" reads as one replace rather than a, x, ' ', b, y; and puts each changed run's
 * removed text before its added text, whichever order the diff gave them in.
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
