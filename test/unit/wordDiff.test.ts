import { describe, expect, it } from 'vitest'
import { MAX_DIFF_EDITS, MAX_DIFF_TOKENS, tokenize, wordDiff, type WordDiffSegment } from '../../shared/wordDiff.ts'

const side = (segments: WordDiffSegment[], kind: 'added' | 'removed') =>
  segments
    .filter((s) => s.kind !== kind)
    .map((s) => s.text)
    .join('')

describe('word diff', () => {
  it('tokenizes into words and whitespace runs that join back to the text', () => {
    expect(tokenize('The  pot,\nagreed.')).toEqual(['The', '  ', 'pot,', '\n', 'agreed.'])
    expect(tokenize('')).toEqual([])
  })

  it('reports identical texts as one unchanged segment, and nothing for two empty texts', () => {
    expect(wordDiff('Same words.', 'Same words.')).toEqual([{ kind: 'same', text: 'Same words.' }])
    expect(wordDiff('', '')).toEqual([])
  })

  it('diffs a few sentences word by word', () => {
    const before = 'Partners will pool £2m for families. DWP leads the work.'
    const after = 'Partners will pool £3m for troubled families. DH leads the work.'
    const segments = wordDiff(before, after)
    expect(segments).toEqual([
      { kind: 'same', text: 'Partners will pool ' },
      { kind: 'removed', text: '£2m' },
      { kind: 'added', text: '£3m' },
      { kind: 'same', text: ' for ' },
      { kind: 'added', text: 'troubled ' },
      { kind: 'same', text: 'families. ' },
      { kind: 'removed', text: 'DWP' },
      { kind: 'added', text: 'DH' },
      { kind: 'same', text: ' leads the work.' },
    ])
    expect(side(segments, 'added')).toBe(before)
    expect(side(segments, 'removed')).toBe(after)
  })

  it('handles text added to or removed from an empty side', () => {
    expect(wordDiff('', 'New clause.')).toEqual([{ kind: 'added', text: 'New clause.' }])
    expect(wordDiff('Old clause.', '')).toEqual([{ kind: 'removed', text: 'Old clause.' }])
  })

  it('falls back to a whole replace of the changed middle beyond the token limit', () => {
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ')
    // Every other word differs, so the middle spans almost the whole text on both sides.
    const before = `Start. ${words('a', MAX_DIFF_TOKENS)} shared ${words('b', 10)} End.`
    const after = `Start. ${words('x', MAX_DIFF_TOKENS)} shared ${words('y', 10)} End.`
    const segments = wordDiff(before, after)
    expect(segments).toEqual([
      { kind: 'same', text: 'Start. ' },
      { kind: 'removed', text: `${words('a', MAX_DIFF_TOKENS)} shared ${words('b', 10)}` },
      { kind: 'added', text: `${words('x', MAX_DIFF_TOKENS)} shared ${words('y', 10)}` },
      { kind: 'same', text: ' End.' },
    ])
    // Under the limit the shared word in the middle is found.
    expect(wordDiff('a b shared c', 'x y shared z', 3)).toEqual([
      { kind: 'removed', text: 'a b shared c' },
      { kind: 'added', text: 'x y shared z' },
    ])
    expect(wordDiff('a b shared c', 'x y shared z')).toEqual([
      { kind: 'removed', text: 'a b' },
      { kind: 'added', text: 'x y' },
      { kind: 'same', text: ' shared ' },
      { kind: 'removed', text: 'c' },
      { kind: 'added', text: 'z' },
    ])
  })

  it('falls back to a whole replace when the texts differ in more tokens than anyone could read word by word', () => {
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ')
    // Under the token limit, but every word differs: more than MAX_DIFF_EDITS tokens added and removed.
    const n = MAX_DIFF_EDITS / 2 + 1
    const started = performance.now()
    expect(wordDiff(`Start ${words('a', n)}`, `Start ${words('x', n)}`)).toEqual([
      { kind: 'same', text: 'Start ' },
      { kind: 'removed', text: words('a', n) },
      { kind: 'added', text: words('x', n) },
    ])
    expect(performance.now() - started).toBeLessThan(1000)
    // Within the edit cap (every other word changed, 250 + 250 tokens), word by word.
    const alternate = (prefix: string) =>
      Array.from({ length: MAX_DIFF_EDITS / 2 }, (_, i) => (i % 2 ? `s${i}` : `${prefix}${i}`)).join(' ')
    const segments = wordDiff(alternate('a'), alternate('x'))
    expect(segments.slice(0, 3)).toEqual([
      { kind: 'removed', text: 'a0' },
      { kind: 'added', text: 'x0' },
      { kind: 'same', text: ' s1 ' },
    ])
    expect(segments).toHaveLength(3 * (MAX_DIFF_EDITS / 4))
  })

  it('diffs a small edit in a long text quickly by trimming the common ends', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ')
    const segments = wordDiff(`${long} old`, `${long} new`)
    expect(segments).toEqual([
      { kind: 'same', text: `${long} ` },
      { kind: 'removed', text: 'old' },
      { kind: 'added', text: 'new' },
    ])
  })
})
