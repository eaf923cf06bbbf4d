import { describe, expect, it } from 'vitest'
import {
  diffRichText,
  MAX_RICH_EDIT,
  type RichDiffBlock,
  richChangedWords,
  sameRichText,
} from '../../shared/richDiff.ts'
import type { RichBlock, RichRun } from '../../shared/richText.ts'

const p = (...runs: RichRun[]): RichBlock => ({ type: 'paragraph', runs })
const para = (text: string): RichBlock => ({ type: 'paragraph', runs: [{ text }] })
const bullets = (...items: string[]): RichBlock => ({
  type: 'list',
  ordered: false,
  items: items.map((text) => [para(text)]),
})

/** The old body back from a diff: unchanged and removed runs (so every word the reader saw before is there). */
function side(blocks: readonly RichDiffBlock[], drop: 'added' | 'removed'): string {
  return blocks
    .map((block) =>
      block.type === 'list'
        ? block.items.map((item) => `[${side(item, drop)}]`).join('')
        : block.runs
            .filter((r) => r.change !== drop)
            .map((r) => r.text)
            .join(''),
    )
    .filter((text) => text !== '')
    .join('|')
}

describe('the rich diff of a clause body', () => {
  it('marks the words that changed and keeps their formatting, never Markdown markers', () => {
    const before = [p({ text: 'Partners ' }, { text: 'may', bold: true }, { text: ' pool the money.' })]
    const after = [p({ text: 'Partners ' }, { text: 'shall', bold: true }, { text: ' pool the money.' })]
    expect(diffRichText(before, after)).toEqual([
      {
        type: 'paragraph',
        runs: [
          { text: 'Partners ' },
          { text: 'may', bold: true, change: 'removed' },
          { text: 'shall', bold: true, change: 'added' },
          { text: ' pool the money.' },
        ],
      },
    ])
  })

  it('shows a word made bold as the plain word removed and the bold one added', () => {
    const diff = diffRichText(
      [para('Pool the money now.')],
      [p({ text: 'Pool the ' }, { text: 'money', bold: true }, { text: ' now.' })],
    )
    expect(diff).toEqual([
      {
        type: 'paragraph',
        runs: [
          { text: 'Pool the ' },
          { text: 'money', change: 'removed' },
          { text: 'money', bold: true, change: 'added' },
          { text: ' now.' },
        ],
      },
    ])
  })

  it('reads a replaced phrase as one removal and one addition', () => {
    const diff = diffRichText([para('one two three four')], [para('one six seven four')])
    expect(diff).toEqual([
      {
        type: 'paragraph',
        runs: [
          { text: 'one ' },
          { text: 'two three', change: 'removed' },
          { text: 'six seven', change: 'added' },
          { text: ' four' },
        ],
      },
    ])
  })

  it('keeps lists as lists: an added item is a new item, marked', () => {
    const diff = diffRichText([bullets('first', 'third')], [bullets('first', 'second', 'third')])
    expect(diff).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [
          [{ type: 'paragraph', runs: [{ text: 'first' }] }],
          [{ type: 'paragraph', runs: [{ text: 'second', change: 'added' }], change: 'added' }],
          [{ type: 'paragraph', runs: [{ text: 'third' }] }],
        ],
      },
    ])
  })

  it('shows a removed item, a paragraph made a heading and nested lists', () => {
    const nested: RichBlock = {
      type: 'list',
      ordered: true,
      items: [[para('step one'), bullets('detail a', 'detail b')], [para('step two')]],
    }
    const before: RichBlock[] = [para('Scope'), nested, bullets('keep', 'drop')]
    const after: RichBlock[] = [
      { type: 'heading', level: 3, runs: [{ text: 'Scope' }] },
      { ...nested, items: [[para('step one'), bullets('detail a', 'detail c')], [para('step two')]] },
      bullets('keep'),
    ]
    const diff = diffRichText(before, after)
    expect(diff[0]).toEqual({ type: 'heading', level: 3, runs: [{ text: 'Scope' }] })
    expect(diff[1]).toEqual({
      type: 'list',
      ordered: true,
      items: [
        [
          { type: 'paragraph', runs: [{ text: 'step one' }] },
          {
            type: 'list',
            ordered: false,
            items: [
              [{ type: 'paragraph', runs: [{ text: 'detail a' }] }],
              [
                {
                  type: 'paragraph',
                  runs: [{ text: 'detail ' }, { text: 'b', change: 'removed' }, { text: 'c', change: 'added' }],
                },
              ],
            ],
          },
        ],
        [{ type: 'paragraph', runs: [{ text: 'step two' }] }],
      ],
    })
    expect(diff[2]).toEqual({
      type: 'list',
      ordered: false,
      items: [
        [{ type: 'paragraph', runs: [{ text: 'keep' }] }],
        [{ type: 'paragraph', runs: [{ text: 'drop', change: 'removed' }], change: 'removed' }],
      ],
    })
  })

  it('loses no word of either side, whatever the edit', () => {
    const cases: [RichBlock[], RichBlock[]][] = [
      [[], [para('New clause text.')]],
      [[para('All of it goes.')], []],
      [[para('line one\nline two')], [para('line one\nline 2'), bullets('x')]],
      [
        [bullets('a', 'b'), para('tail')],
        [para('head'), { type: 'list', ordered: true, items: [[para('a')], [para('b')]] }],
      ],
    ]
    for (const [before, after] of cases) {
      const diff = diffRichText(before, after)
      const text = (blocks: readonly RichBlock[]) => side(blocks as RichDiffBlock[], 'added')
      expect(side(diff, 'added').replace(/[[\]|]/g, '')).toBe(text(before).replace(/[[\]|]/g, ''))
      expect(side(diff, 'removed').replace(/[[\]|]/g, '')).toBe(
        side(after as RichDiffBlock[], 'added').replace(/[[\]|]/g, ''),
      )
    }
  })

  it('shows a body rewritten end to end as the old removed and the new added', () => {
    const words = (prefix: string) => Array.from({ length: MAX_RICH_EDIT }, (_, i) => `${prefix}${i}`).join(' ')
    const diff = diffRichText([para(words('a'))], [para(words('b'))])
    expect(diff).toEqual([
      { type: 'paragraph', runs: [{ text: words('a'), change: 'removed' }], change: 'removed' },
      { type: 'paragraph', runs: [{ text: words('b'), change: 'added' }], change: 'added' },
    ])
  })

  it('counts the words added and removed, list items included and markers not', () => {
    const diff = diffRichText(
      [para('Partners may pool.'), bullets('one')],
      [para('Partners shall pool.'), bullets('one', 'two more')],
    )
    expect(richChangedWords(diff)).toEqual([3, 1])
  })

  it('tells bodies that read the same, formatting included', () => {
    expect(sameRichText([para('a b')], [para('a b')])).toBe(true)
    expect(sameRichText([para('a b')], [p({ text: 'a ' }, { text: 'b', bold: true })])).toBe(false)
    expect(sameRichText([para('a')], [bullets('a')])).toBe(false)
  })
})
