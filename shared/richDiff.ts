/**
 * How a clause body's wording changed between two states, as a formatted tree with the added and
 * removed words marked: the compare view renders it like the clause itself (bold as bold, lists as
 * lists), never as Markdown source with `**` markers.
 *
 * Each body is flattened into tokens: a token per block start (its kind and its place in any
 * lists) and a token per word, whitespace run or line break (with its marks). Two tokens are the
 * same when their text and marks are, so making a word bold reads as the plain word removed and
 * the bold one added. The token sequences are compared with jsdiff's `diffArrays` (Myers), then
 * the merged sequence is folded back into blocks, nesting lists again. Removed words keep the
 * formatting they had; unchanged and added words have their new formatting.
 */
import { diffArrays } from 'diff'
import type { RichBlock, RichRun } from './richText.ts'

export type RichChange = 'added' | 'removed'

export interface RichDiffRun extends RichRun {
  change?: RichChange
}

/** A RichBlock whose runs may be marked; a block whose start was added or removed is marked too. */
export type RichDiffBlock =
  | { type: 'paragraph'; runs: RichDiffRun[]; change?: RichChange }
  | { type: 'heading'; level: 2 | 3; runs: RichDiffRun[]; change?: RichChange }
  | { type: 'list'; ordered: boolean; items: RichDiffBlock[][] }

/**
 * Beyond this many differing tokens the bodies are shown as the whole old body removed and the
 * whole new one added: Myers' cost grows with the edit distance, and a clause rewritten end to end
 * reads no better word by word.
 */
export const MAX_RICH_EDIT = 1000

interface ListFrame {
  ordered: boolean
  /** This block is the first of a new item of the list at this depth. */
  newItem: boolean
}

interface BlockShape {
  type: 'paragraph' | 'heading'
  level: 2 | 3
  lists: ListFrame[]
}

type Token = { kind: 'block'; shape: BlockShape } | { kind: 'text'; run: RichRun }

/** Words, whitespace runs (without line breaks) and line breaks: joined, they give the text back. */
const WORDS = /\n|[^\S\n]+|[^\s]+/g

function flatten(blocks: readonly RichBlock[], lists: ListFrame[], out: Token[]): void {
  for (const block of blocks) {
    if (block.type === 'list') {
      for (const item of block.items) {
        const start = out.length
        flatten(item, [...lists, { ordered: block.ordered, newItem: true }], out)
        // Only the item's first block starts it; the blocks after it continue the same item.
        for (let i = start; i < out.length; i++) {
          const token = out[i]!
          if (token.kind === 'block' && i > start) token.shape.lists[lists.length]!.newItem = false
        }
      }
      continue
    }
    out.push({
      kind: 'block',
      shape: {
        type: block.type,
        level: block.type === 'heading' ? block.level : 2,
        lists: lists.map((f) => ({ ...f })),
      },
    })
    for (const run of block.runs) {
      for (const word of run.text.match(WORDS) ?? []) out.push({ kind: 'text', run: { ...run, text: word } })
    }
  }
}

function tokens(blocks: readonly RichBlock[]): Token[] {
  const out: Token[] = []
  flatten(blocks, [], out)
  return out
}

/** A token's identity: equal keys are the same token (no key of one kind can equal one of the other). */
function key(token: Token): string {
  if (token.kind === 'block') {
    const { type, level, lists } = token.shape
    return `\u0000block:${type}${type === 'heading' ? level : ''}:${lists.map((f) => `${f.ordered ? 'o' : 'u'}${f.newItem ? '+' : '-'}`).join('')}`
  }
  const { text, bold, italic, link } = token.run
  return `\u0001${bold ? 'b' : ''}${italic ? 'i' : ''}\u0001${link ?? ''}\u0001${text}`
}

interface Marked {
  token: Token
  change?: RichChange
}

const isSpace = (m: Marked | undefined) => m?.token.kind === 'text' && /^[^\S\n]+$/.test(m.token.run.text)
const isChangedText = (m: Marked | undefined) => m !== undefined && m.token.kind === 'text' && m.change !== undefined

/**
 * Folds an unchanged space between two changed words into the change, then puts each changed
 * stretch's removed words before its added ones, so "a b" → "x y" reads as one removal and one
 * addition rather than a, x, space, b, y.
 */
function tidy(merged: Marked[]): Marked[] {
  const folded: Marked[] = []
  merged.forEach((m, i) => {
    if (m.change === undefined && isSpace(m) && isChangedText(folded.at(-1)) && isChangedText(merged[i + 1])) {
      folded.push({ token: m.token, change: 'removed' }, { token: m.token, change: 'added' })
    } else folded.push(m)
  })
  const out: Marked[] = []
  let removed: Marked[] = []
  let added: Marked[] = []
  const flush = () => {
    out.push(...removed, ...added)
    removed = []
    added = []
  }
  for (const m of folded) {
    if (m.token.kind === 'text' && m.change === 'removed') removed.push(m)
    else if (m.token.kind === 'text' && m.change === 'added') added.push(m)
    else {
      flush()
      out.push(m)
    }
  }
  flush()
  return out
}

function merge(before: Token[], after: Token[]): Marked[] {
  const changes = diffArrays(before.map(key), after.map(key), { maxEditLength: MAX_RICH_EDIT })
  if (!changes) {
    return [
      ...before.map((token): Marked => ({ token, change: 'removed' })),
      ...after.map((token): Marked => ({ token, change: 'added' })),
    ]
  }
  const out: Marked[] = []
  let a = 0
  let b = 0
  for (const change of changes) {
    for (let n = 0; n < change.count; n++) {
      if (change.removed) out.push({ token: before[a++]!, change: 'removed' })
      else if (change.added) out.push({ token: after[b++]!, change: 'added' })
      else {
        // Unchanged: the words are equal, and the new state's token is the one to show.
        out.push({ token: after[b++]! })
        a++
      }
    }
  }
  return out
}

interface FlatBlock {
  shape: BlockShape
  runs: RichDiffRun[]
  change?: RichChange
}

const sameMarks = (x: RichDiffRun, y: RichDiffRun) =>
  x.bold === y.bold && x.italic === y.italic && x.link === y.link && x.change === y.change

function gather(merged: Marked[]): FlatBlock[] {
  const blocks: FlatBlock[] = []
  for (const { token, change } of merged) {
    const current = blocks.at(-1)
    if (token.kind === 'block') {
      // A block that became another kind (a paragraph made a heading) is one block, in its new shape.
      if (current && current.runs.length === 0 && current.change === 'removed' && change === 'added') {
        current.shape = token.shape
        current.change = undefined
      } else blocks.push({ shape: token.shape, runs: [], ...(change ? { change } : {}) })
      continue
    }
    let block = current
    if (!block) {
      // Text before any block cannot come from a flattened tree; kept in a paragraph all the same.
      block = { shape: { type: 'paragraph', level: 2, lists: [] }, runs: [] }
      blocks.push(block)
    }
    const run: RichDiffRun = { ...token.run, ...(change ? { change } : {}) }
    const last = block.runs.at(-1)
    if (last && sameMarks(last, run)) last.text += run.text
    else block.runs.push(run)
  }
  return blocks
}

/** Flat blocks back into a tree: consecutive blocks inside lists become lists and their items. */
function nest(blocks: FlatBlock[], depth: number): RichDiffBlock[] {
  const out: RichDiffBlock[] = []
  let i = 0
  while (i < blocks.length) {
    const block = blocks[i]!
    const frame = block.shape.lists[depth]
    if (!frame) {
      const change = block.change ? { change: block.change } : {}
      out.push(
        block.shape.type === 'heading'
          ? { type: 'heading', level: block.shape.level, runs: block.runs, ...change }
          : { type: 'paragraph', runs: block.runs, ...change },
      )
      i++
      continue
    }
    const items: FlatBlock[][] = []
    while (i < blocks.length) {
      const inner = blocks[i]!.shape.lists[depth]
      if (!inner || inner.ordered !== frame.ordered) break
      if (inner.newItem || items.length === 0) items.push([])
      items.at(-1)!.push(blocks[i]!)
      i++
    }
    out.push({ type: 'list', ordered: frame.ordered, items: items.map((item) => nest(item, depth + 1)) })
  }
  return out
}

/**
 * Slides each added or removed stretch back over equal unchanged tokens when that makes it begin
 * at a block start. [first][third] → [first][second][third] can be read as "second" and a new
 * block start added after it, which would mark "third" as the new item; slid, the stretch is the
 * whole new item. A stretch that cannot reach a block start stays where the diff put it.
 */
function alignBlocks(merged: Marked[]): Marked[] {
  const out = [...merged]
  let start = 0
  while (start < out.length) {
    const change = out[start]!.change
    let end = start + 1
    while (end < out.length && out[end]!.change === change) end++
    if (change !== undefined && out[start]!.token.kind !== 'block' && out[end]?.change === undefined) {
      // Slid back by k, the stretch starts with the unchanged token at start - k.
      let k = 1
      while (
        k <= end - start &&
        start - k >= 0 &&
        out[start - k]!.change === undefined &&
        key(out[start - k]!.token) === key(out[end - k]!.token) &&
        out[start - k]!.token.kind !== 'block'
      )
        k++
      const from = start - k
      if (
        k <= end - start &&
        from >= 0 &&
        out[from]!.change === undefined &&
        out[from]!.token.kind === 'block' &&
        key(out[from]!.token) === key(out[end - k]!.token)
      ) {
        const stretch = [
          ...out.slice(from, start).map((m): Marked => ({ token: m.token, change })),
          ...out.slice(start, end - k),
        ]
        const unchanged = out.slice(end - k, end).map((m): Marked => ({ token: m.token }))
        out.splice(from, end - from, ...stretch, ...unchanged)
      }
    }
    start = end
  }
  return out
}

/** The new body with the words that changed since `before` marked, formatting kept. */
export function diffRichText(before: readonly RichBlock[], after: readonly RichBlock[]): RichDiffBlock[] {
  return nest(gather(tidy(alignBlocks(merge(tokens(before), tokens(after))))), 0)
}

/** Whether two bodies read the same, formatting included. */
export function sameRichText(a: readonly RichBlock[], b: readonly RichBlock[]): boolean {
  const x = tokens(a).map(key)
  const y = tokens(b).map(key)
  return x.length === y.length && x.every((k, i) => k === y[i])
}

/** How many words a diff adds and removes: [added, removed]. */
export function richChangedWords(blocks: readonly RichDiffBlock[]): [number, number] {
  let added = 0
  let removed = 0
  for (const block of blocks) {
    if (block.type === 'list') {
      for (const item of block.items) {
        const [a, r] = richChangedWords(item)
        added += a
        removed += r
      }
      continue
    }
    for (const run of block.runs) {
      const words = run.text.match(/\S+/g)?.length ?? 0
      if (run.change === 'added') added += words
      else if (run.change === 'removed') removed += words
    }
  }
  return [added, removed]
}
