/**
 * How two states of the protocol differ: clauses added, removed, renamed, moved, reworded (word by
 * word) and every organisation's position.
 */
import type * as Y from 'yjs'
import type { PositionBasis } from '../../linkIdentity.ts'
import {
  CLAUSE_STATUS_LABELS,
  type ClauseStatus,
  clauseBody,
  POSITION_BASIS_LABELS,
  POSITION_LABELS,
  type Position,
  readClauses,
} from '../../protocol.ts'
import { clauseBodyToMarkdown } from '../../protocolText.ts'
import { diffRichText, type RichDiffBlock, richChangedWords, sameRichText } from '../../richDiff.ts'
import { type RichBlock, readRichText } from '../../richText.ts'
import { type WordDiffSegment, wordDiff } from '../../wordDiff.ts'
import { type Change, type ItemsDiff, match, noItemChanges, plural, quote } from '../diffKit.ts'
import type { SectionDiffer } from '../types.ts'

export interface ClauseSummary {
  id: string
  title: string
  status: ClauseStatus
  /** 1-based position in the protocol. */
  position: number
  /** The clause body as Markdown. */
  text: string
}

export interface PositionChange extends Change<Position | null> {
  organisation: string
  /** How each was stated (null: none stated): a self-declared agreement confirmed through the link is a change too. */
  basis: Change<PositionBasis | null>
}

export interface ClauseChange {
  id: string
  /** The title after the change. */
  title: string
  titleChange?: Change<string>
  status?: Change<ClauseStatus>
  /**
   * Set when the clause moved relative to the clauses in both states (not when it merely shifted
   * because a clause was added or removed before it): 1-based positions before and after.
   */
  order?: Change<number>
  /** Word-level diff of the clause's Markdown text, when the text changed (counted in summaries). */
  text?: WordDiffSegment[]
  /** The clause body as it reads now, with the words that changed marked, when the wording or its formatting changed. */
  body?: RichDiffBlock[]
  /** Organisations whose stated position changed (null: none stated), by organisation name. */
  positions: PositionChange[]
}

export type ProtocolDiff = ItemsDiff<ClauseSummary, ClauseChange>

interface ClauseState extends ClauseSummary {
  body: RichBlock[]
  positions: Map<string, { position: Position; basis: PositionBasis }>
}

function readClauseStates(doc: Y.Doc): ClauseState[] {
  return readClauses(doc).map((clause, i) => {
    const body = clauseBody(doc, clause.id)
    const positions: ClauseState['positions'] = new Map()
    for (const [organisation, stated] of clause.positions)
      positions.set(organisation, { position: stated.position, basis: stated.basis })
    return {
      id: clause.id,
      title: clause.title,
      status: clause.status,
      position: i + 1,
      text: body ? clauseBodyToMarkdown(body) : '',
      body: body ? readRichText(body) : [],
      positions,
    }
  })
}

const clauseSummary = ({ id, title, status, position, text }: ClauseState): ClauseSummary => ({
  id,
  title,
  status,
  position,
  text,
})

/** Ids in `b`'s order not in a longest common subsequence of the two id sequences: the ones that moved. */
function movedIds(a: readonly string[], b: readonly string[]): Set<string> {
  const n = a.length
  const m = b.length
  const width = m + 1
  const table = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!)
    }
  }
  const kept = new Set<string>()
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept.add(a[i]!)
      i++
      j++
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++
    else j++
  }
  return new Set(b.filter((id) => !kept.has(id)))
}

function compare(before: Y.Doc, after: Y.Doc): ProtocolDiff {
  const a = readClauseStates(before)
  const b = readClauseStates(after)
  const { added, removed, both } = match(a, b)
  const common = new Set(both.map(([, now]) => now.id))
  const moved = movedIds(
    a.filter((c) => common.has(c.id)).map((c) => c.id),
    b.filter((c) => common.has(c.id)).map((c) => c.id),
  )
  const changed: ClauseChange[] = []
  for (const [old, now] of both) {
    const change: ClauseChange = { id: now.id, title: now.title, positions: [] }
    let any = false
    if (old.title !== now.title) {
      change.titleChange = { before: old.title, after: now.title }
      any = true
    }
    if (old.status !== now.status) {
      change.status = { before: old.status, after: now.status }
      any = true
    }
    if (moved.has(now.id)) {
      change.order = { before: old.position, after: now.position }
      any = true
    }
    if (old.text !== now.text) {
      change.text = wordDiff(old.text, now.text)
      any = true
    }
    if (!sameRichText(old.body, now.body)) {
      change.body = diffRichText(old.body, now.body)
      any = true
    }
    const organisations = [...new Set([...old.positions.keys(), ...now.positions.keys()])].sort((x, y) =>
      x.localeCompare(y, 'en-GB'),
    )
    for (const organisation of organisations) {
      const was = old.positions.get(organisation) ?? null
      const is = now.positions.get(organisation) ?? null
      if (was?.position !== is?.position || was?.basis !== is?.basis) {
        change.positions.push({
          organisation,
          before: was?.position ?? null,
          after: is?.position ?? null,
          basis: { before: was?.basis ?? null, after: is?.basis ?? null },
        })
      }
    }
    if (any || change.positions.length) changed.push(change)
  }
  return { added: added.map(clauseSummary), removed: removed.map(clauseSummary), changed }
}

function summarise(protocol: ProtocolDiff): string[] {
  const out: string[] = []
  for (const clause of protocol.added)
    out.push(
      `Clause added: ${quote(clause.title)} (${CLAUSE_STATUS_LABELS[clause.status]}, clause ${clause.position}).`,
    )
  for (const clause of protocol.removed) out.push(`Clause removed: ${quote(clause.title)}.`)
  for (const clause of protocol.changed) {
    const name = quote(clause.title)
    if (clause.titleChange) out.push(`Clause ${quote(clause.titleChange.before)} renamed ${name}.`)
    if (clause.status)
      out.push(
        `Clause ${name}: ${CLAUSE_STATUS_LABELS[clause.status.before]} → ${CLAUSE_STATUS_LABELS[clause.status.after]}.`,
      )
    if (clause.order) out.push(`Clause ${name} moved from ${clause.order.before} to ${clause.order.after}.`)
    if (clause.text) {
      // Words as a reader counts them: from the formatted diff when there is one, so that a list
      // item's "-" or a "**" is not a word.
      const words = (kind: 'added' | 'removed') =>
        clause.text!.filter((s) => s.kind === kind).reduce((n, s) => n + (s.text.match(/\S+/g)?.length ?? 0), 0)
      const [addedWords, removedWords] = clause.body
        ? richChangedWords(clause.body)
        : [words('added'), words('removed')]
      out.push(
        `Clause ${name}: text changed (${plural(addedWords, 'word', 'words')} added, ${plural(removedWords, 'word', 'words')} removed).`,
      )
    } else if (clause.body) out.push(`Clause ${name}: formatting changed.`)
    for (const p of clause.positions) {
      const stated = (position: Position | null, basis: PositionBasis | null) =>
        position ? `${POSITION_LABELS[position]}${basis ? ` (${POSITION_BASIS_LABELS[basis]})` : ''}` : 'no position'
      const was = stated(p.before, p.basis.before)
      const is = stated(p.after, p.basis.after)
      out.push(`Clause ${name}: ${p.organisation} ${was} → ${is}.`)
    }
  }

  return out
}

export const protocolDiff: SectionDiffer<ProtocolDiff> = { compare, isEmpty: noItemChanges, summarise }
