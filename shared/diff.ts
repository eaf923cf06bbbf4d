/**
 * A semantic diff of two states of a workshop document: what changed in the pot, the protocol,
 * the barriers, the actions and decisions, and on the board, in the domain's own terms (a line's
 * amount, a clause's wording, an organisation's position) rather than as Yjs operations. Pure and
 * isomorphic; used for "what changed since…" reports.
 *
 * Items are matched by id. Fields are compared as read by the domain readers (so a value a peer
 * wrote badly is compared as the reader shows it). Not compared: who last edited a field, comment
 * threads, links between items, votes, settings, members, the ledger and meta.
 */
import * as Y from 'yjs'
import {
  ACTION_STATUS_LABELS,
  readActionItems,
  type ActionItem,
  type ActionKind,
  type ActionStatus,
} from './actions.ts'
import {
  BARRIER_STATUS_LABELS,
  readBarriers,
  barrierFieldsSchema,
  type Barrier,
  type BarrierField,
  type BarrierStatus,
} from './barriers.ts'
import { formatMoney } from './money.ts'
import {
  computePotTotals,
  lineLabel,
  potLineFieldsSchema,
  readPotLines,
  STATUS_LABELS,
  type PotField,
  type PotLine,
  type PotStatus,
} from './pot.ts'
import type { PositionBasis } from './linkIdentity.ts'
import {
  clauseBody,
  CLAUSE_STATUS_LABELS,
  POSITION_BASIS_LABELS,
  POSITION_LABELS,
  readClauses,
  type ClauseStatus,
  type Position,
} from './protocol.ts'
import { clauseBodyToMarkdown } from './protocolText.ts'
import { getCanvasArray, type CanvasRecord } from './schema.ts'
import { wordDiff, type WordDiffSegment } from './wordDiff.ts'

export interface Change<T> {
  before: T
  after: T
}

export interface FieldChange<F extends string = string> extends Change<unknown> {
  field: F
}

/** An amount in pence before and after, and after − before. */
export interface AmountChange extends Change<number> {
  delta: number
}

export interface PotLineSummary {
  id: string
  label: string
  partner: string
  amount: number
  status: PotStatus
}

export interface PotLineChange {
  id: string
  /** The line's label after the change ("partner · stream"). */
  label: string
  /** Changed fields in the order of the line's schema; amounts in pence. */
  changes: FieldChange<PotField>[]
}

export interface PotDiff {
  added: PotLineSummary[]
  removed: PotLineSummary[]
  changed: PotLineChange[]
  totals: {
    /** The pot total (lines not withdrawn), always present. */
    overall: AmountChange
    /** Partners whose total changed, by name; a partner with no lines counts as £0. */
    byPartner: (AmountChange & { partner: string })[]
  }
}

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
  /** Word-level diff of the clause's Markdown text, when the text changed. */
  text?: WordDiffSegment[]
  /** Organisations whose stated position changed (null: none stated), by organisation name. */
  positions: PositionChange[]
}

export interface ProtocolDiff {
  added: ClauseSummary[]
  removed: ClauseSummary[]
  changed: ClauseChange[]
}

export interface BarrierSummary {
  id: string
  title: string
  status: BarrierStatus
}

export interface BarrierChange {
  id: string
  title: string
  status?: Change<BarrierStatus>
  /** Changed fields (everything a person edits, title included), in schema order. */
  fields: FieldChange<BarrierField>[]
}

export interface BarriersDiff {
  added: BarrierSummary[]
  removed: BarrierSummary[]
  changed: BarrierChange[]
}

export interface ActionSummary {
  id: string
  kind: ActionKind
  what: string
  /** Actions only. */
  status?: ActionStatus
  /** Decisions only. */
  agreedBy?: string[]
}

export interface ActionChange {
  id: string
  kind: ActionKind
  what: string
  /** Status of an action. */
  status?: Change<ActionStatus>
  /** Other changed fields (what, ownerOrganisation, ownerPerson, dueDate; kind). */
  fields: FieldChange[]
  /** Decisions: organisations that agreed or withdrew their agreement, sorted. */
  agreedBy?: { added: string[]; removed: string[] }
}

export interface ActionsDiff {
  added: ActionSummary[]
  removed: ActionSummary[]
  changed: ActionChange[]
}

export interface ShapeSummary {
  id: string
  /** The tldraw shape type (geo, text, note, arrow…), '' when missing. */
  type: string
}

export interface ShapeChange extends ShapeSummary {
  /** Top-level record keys whose value changed (x, y, rotation, parentId, props, meta…), sorted. */
  keys: string[]
  /** When `props` changed: the prop names that changed, sorted. */
  props: string[]
}

export interface BoardDiff {
  added: ShapeSummary[]
  removed: ShapeSummary[]
  changed: ShapeChange[]
}

export interface WorkshopDiff {
  pot: PotDiff
  protocol: ProtocolDiff
  barriers: BarriersDiff
  actions: ActionsDiff
  board: BoardDiff
}

/** Diffs two encoded states (`Y.encodeStateAsUpdate`), each loaded into a fresh Y.Doc that is destroyed afterwards. */
export function diffWorkshops(before: Uint8Array, after: Uint8Array): WorkshopDiff {
  const a = new Y.Doc()
  const b = new Y.Doc()
  try {
    Y.applyUpdate(a, before)
    Y.applyUpdate(b, after)
    return diffDocs(a, b)
  } finally {
    a.destroy()
    b.destroy()
  }
}

/** Diffs two documents without changing either. */
export function diffDocs(before: Y.Doc, after: Y.Doc): WorkshopDiff {
  return {
    pot: diffPot(before, after),
    protocol: diffProtocol(before, after),
    barriers: diffBarriers(before, after),
    actions: diffActions(before, after),
    board: diffBoard(before, after),
  }
}

export function isEmptyDiff(diff: WorkshopDiff): boolean {
  const sections = [diff.pot, diff.protocol, diff.barriers, diff.actions, diff.board]
  return (
    sections.every((s) => s.added.length === 0 && s.removed.length === 0 && s.changed.length === 0) &&
    diff.pot.totals.overall.delta === 0 &&
    diff.pot.totals.byPartner.length === 0
  )
}

// ---------------------------------------------------------------------------------------------
// Matching and comparing

interface Matched<T> {
  added: T[]
  removed: T[]
  both: [T, T][]
}

/** Items by id: added (after order), removed (before order), and pairs present in both (after order). */
function match<T extends { id: string }>(before: readonly T[], after: readonly T[]): Matched<T> {
  const beforeById = new Map(before.map((item) => [item.id, item]))
  const afterIds = new Set(after.map((item) => item.id))
  const added: T[] = []
  const both: [T, T][] = []
  for (const item of after) {
    const old = beforeById.get(item.id)
    if (old) both.push([old, item])
    else added.push(item)
  }
  return { added, removed: before.filter((item) => !afterIds.has(item.id)), both }
}

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((value, i) => deepEqual(value, other[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  return ka.every((key) => Object.hasOwn(rb, key) && deepEqual(ra[key], rb[key]))
}

function fieldChanges<F extends string>(
  fields: readonly F[],
  before: Record<F, unknown>,
  after: Record<F, unknown>,
): FieldChange<F>[] {
  const changes: FieldChange<F>[] = []
  for (const field of fields) {
    if (!deepEqual(before[field], after[field])) changes.push({ field, before: before[field], after: after[field] })
  }
  return changes
}

// ---------------------------------------------------------------------------------------------
// Pot

const POT_FIELDS = Object.keys(potLineFieldsSchema.shape) as PotField[]

const potSummary = (line: PotLine): PotLineSummary => ({
  id: line.id,
  label: lineLabel(line),
  partner: line.partner,
  amount: line.amount,
  status: line.status,
})

function diffPot(before: Y.Doc, after: Y.Doc): PotDiff {
  const a = readPotLines(before)
  const b = readPotLines(after)
  const { added, removed, both } = match(a, b)
  const changed: PotLineChange[] = []
  for (const [old, now] of both) {
    const changes = fieldChanges(POT_FIELDS, old, now)
    if (changes.length) changed.push({ id: now.id, label: lineLabel(now), changes })
  }
  const ta = computePotTotals(a)
  const tb = computePotTotals(b)
  const partners = [...new Set([...ta.byPartner.keys(), ...tb.byPartner.keys()])].sort((x, y) =>
    x.localeCompare(y, 'en-GB'),
  )
  const byPartner: PotDiff['totals']['byPartner'] = []
  for (const partner of partners) {
    const was = ta.byPartner.get(partner)?.total ?? 0
    const is = tb.byPartner.get(partner)?.total ?? 0
    if (was !== is) byPartner.push({ partner, ...amountChange(was, is) })
  }
  return {
    added: added.map(potSummary),
    removed: removed.map(potSummary),
    changed,
    totals: { overall: amountChange(ta.total, tb.total), byPartner },
  }
}

const amountChange = (before: number, after: number): AmountChange => ({ before, after, delta: after - before })

// ---------------------------------------------------------------------------------------------
// Protocol

interface ClauseState extends ClauseSummary {
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

function diffProtocol(before: Y.Doc, after: Y.Doc): ProtocolDiff {
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

// ---------------------------------------------------------------------------------------------
// Barriers

const BARRIER_FIELDS = Object.keys(barrierFieldsSchema.shape) as BarrierField[]
const barrierSummary = (b: Barrier): BarrierSummary => ({ id: b.id, title: b.title, status: b.status })

function diffBarriers(before: Y.Doc, after: Y.Doc): BarriersDiff {
  const { added, removed, both } = match(readBarriers(before), readBarriers(after))
  const changed: BarrierChange[] = []
  for (const [old, now] of both) {
    const fields = fieldChanges(BARRIER_FIELDS, old, now)
    const status = old.status !== now.status ? { before: old.status, after: now.status } : undefined
    if (fields.length || status) changed.push({ id: now.id, title: now.title, ...(status ? { status } : {}), fields })
  }
  return { added: added.map(barrierSummary), removed: removed.map(barrierSummary), changed }
}

// ---------------------------------------------------------------------------------------------
// Actions and decisions

const ACTION_FIELDS = ['kind', 'what', 'ownerOrganisation', 'ownerPerson', 'dueDate'] as const

function actionSummary(item: ActionItem): ActionSummary {
  return item.kind === 'action'
    ? { id: item.id, kind: item.kind, what: item.what, status: item.status }
    : { id: item.id, kind: item.kind, what: item.what, agreedBy: item.agreedBy }
}

function diffActions(before: Y.Doc, after: Y.Doc): ActionsDiff {
  const { added, removed, both } = match(readActionItems(before), readActionItems(after))
  const changed: ActionChange[] = []
  for (const [old, now] of both) {
    const fields = fieldChanges(
      ACTION_FIELDS,
      old as unknown as Record<string, unknown>,
      now as unknown as Record<string, unknown>,
    )
    const change: ActionChange = { id: now.id, kind: now.kind, what: now.what, fields }
    const oldStatus = old.kind === 'action' ? old.status : undefined
    const newStatus = now.kind === 'action' ? now.status : undefined
    if (oldStatus !== undefined && newStatus !== undefined && oldStatus !== newStatus)
      change.status = { before: oldStatus, after: newStatus }
    if (now.kind === 'decision') {
      const was = new Set(old.kind === 'decision' ? old.agreedBy : [])
      const is = new Set(now.agreedBy)
      const agreed = now.agreedBy.filter((o) => !was.has(o))
      const withdrawn = [...was].filter((o) => !is.has(o))
      if (agreed.length || withdrawn.length) change.agreedBy = { added: agreed, removed: withdrawn }
    }
    if (fields.length || change.status || change.agreedBy) changed.push(change)
  }
  return { added: added.map(actionSummary), removed: removed.map(actionSummary), changed }
}

// ---------------------------------------------------------------------------------------------
// Board

/**
 * The canvas's shape records, read from the raw array with YKeyValue's rule (the rightmost entry
 * of a key wins) rather than through YKeyValue, whose constructor would clean up duplicates in
 * (that is, write to) the document.
 */
function readShapes(doc: Y.Doc): Map<string, CanvasRecord> {
  const latest = new Map<string, CanvasRecord>()
  for (const entry of getCanvasArray(doc).toArray()) {
    if (entry && typeof entry.key === 'string') latest.set(entry.key, entry.val)
  }
  const shapes = new Map<string, CanvasRecord>()
  for (const [key, record] of latest) {
    if (record && typeof record === 'object' && record.typeName === 'shape') shapes.set(key, record)
  }
  return shapes
}

const shapeType = (record: CanvasRecord): string => (typeof record.type === 'string' ? record.type : '')
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function diffBoard(before: Y.Doc, after: Y.Doc): BoardDiff {
  const a = readShapes(before)
  const b = readShapes(after)
  const added: ShapeSummary[] = []
  const changed: ShapeChange[] = []
  for (const [id, now] of b) {
    const old = a.get(id)
    if (!old) {
      added.push({ id, type: shapeType(now) })
      continue
    }
    if (old === now || deepEqual(old, now)) continue
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])]
      .filter((key) => !deepEqual(old[key], now[key]))
      .sort()
    let props: string[] = []
    if (keys.includes('props')) {
      const pa = isRecord(old.props) ? old.props : {}
      const pb = isRecord(now.props) ? now.props : {}
      props = [...new Set([...Object.keys(pa), ...Object.keys(pb)])]
        .filter((key) => !deepEqual(pa[key], pb[key]))
        .sort()
    }
    changed.push({ id, type: shapeType(now), keys, props })
  }
  const removed: ShapeSummary[] = []
  for (const [id, old] of a) if (!b.has(id)) removed.push({ id, type: shapeType(old) })
  const byId = (x: ShapeSummary, y: ShapeSummary) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
  return { added: added.sort(byId), removed: removed.sort(byId), changed: changed.sort(byId) }
}

// ---------------------------------------------------------------------------------------------
// Sentences

const signed = (pence: number): string => (pence < 0 ? `-${formatMoney(-pence)}` : `+${formatMoney(pence)}`)
const money = (change: AmountChange): string =>
  `${formatMoney(change.before)} → ${formatMoney(change.after)} (${signed(change.delta)})`
const quote = (text: string): string => `“${text}”`
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

function potValue(field: PotField, value: unknown): string {
  if (field === 'amount' && typeof value === 'number' && Number.isSafeInteger(value)) return formatMoney(value)
  if (field === 'status' && typeof value === 'string' && value in STATUS_LABELS)
    return STATUS_LABELS[value as PotStatus]
  return value === '' ? '(empty)' : String(value)
}

function plainValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)'
  return String(value)
}

/** The diff as human sentences, one per change, for a Markdown report. Empty for an empty diff. */
export function summariseDiff(diff: WorkshopDiff): string[] {
  const out: string[] = []
  const { pot, protocol, barriers, actions, board } = diff

  for (const line of pot.added)
    out.push(`Pot line added: ${line.label}, ${formatMoney(line.amount)} (${STATUS_LABELS[line.status]}).`)
  for (const line of pot.removed)
    out.push(`Pot line removed: ${line.label}, ${formatMoney(line.amount)} (${STATUS_LABELS[line.status]}).`)
  for (const line of pot.changed) {
    for (const change of line.changes) {
      if (change.field === 'amount' && typeof change.before === 'number' && typeof change.after === 'number') {
        out.push(`${line.label}: ${money(amountChange(change.before, change.after))}`)
      } else {
        out.push(
          `${line.label}: ${change.field} ${potValue(change.field, change.before)} → ${potValue(change.field, change.after)}`,
        )
      }
    }
  }
  for (const partner of pot.totals.byPartner) out.push(`${partner.partner} total: ${money(partner)}`)
  if (pot.totals.overall.delta !== 0) out.push(`Pot total: ${money(pot.totals.overall)}`)

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
      const addedWords = clause.text
        .filter((s) => s.kind === 'added')
        .reduce((n, s) => n + (s.text.match(/\S+/g)?.length ?? 0), 0)
      const removedWords = clause.text
        .filter((s) => s.kind === 'removed')
        .reduce((n, s) => n + (s.text.match(/\S+/g)?.length ?? 0), 0)
      out.push(
        `Clause ${name}: text changed (${plural(addedWords, 'word', 'words')} added, ${plural(removedWords, 'word', 'words')} removed).`,
      )
    }
    for (const p of clause.positions) {
      const stated = (position: Position | null, basis: PositionBasis | null) =>
        position ? `${POSITION_LABELS[position]}${basis ? ` (${POSITION_BASIS_LABELS[basis]})` : ''}` : 'no position'
      const was = stated(p.before, p.basis.before)
      const is = stated(p.after, p.basis.after)
      out.push(`Clause ${name}: ${p.organisation} ${was} → ${is}.`)
    }
  }

  for (const barrier of barriers.added)
    out.push(`Barrier raised: ${quote(barrier.title)} (${BARRIER_STATUS_LABELS[barrier.status]}).`)
  for (const barrier of barriers.removed) out.push(`Barrier removed: ${quote(barrier.title)}.`)
  for (const barrier of barriers.changed) {
    const name = quote(barrier.title)
    if (barrier.status)
      out.push(
        `Barrier ${name}: ${BARRIER_STATUS_LABELS[barrier.status.before]} → ${BARRIER_STATUS_LABELS[barrier.status.after]}.`,
      )
    for (const f of barrier.fields) {
      const show = (v: unknown) =>
        f.field === 'impactPence' && typeof v === 'number' && Number.isSafeInteger(v) ? formatMoney(v) : plainValue(v)
      out.push(`Barrier ${name}: ${f.field} ${show(f.before)} → ${show(f.after)}.`)
    }
  }

  for (const item of actions.added)
    out.push(`${item.kind === 'action' ? 'Action' : 'Decision'} added: ${quote(item.what)}.`)
  for (const item of actions.removed)
    out.push(`${item.kind === 'action' ? 'Action' : 'Decision'} removed: ${quote(item.what)}.`)
  for (const item of actions.changed) {
    const name = `${item.kind === 'action' ? 'Action' : 'Decision'} ${quote(item.what)}`
    if (item.status)
      out.push(`${name}: ${ACTION_STATUS_LABELS[item.status.before]} → ${ACTION_STATUS_LABELS[item.status.after]}.`)
    for (const f of item.fields) out.push(`${name}: ${f.field} ${plainValue(f.before)} → ${plainValue(f.after)}.`)
    if (item.agreedBy) {
      for (const o of item.agreedBy.added) out.push(`${name}: agreed by ${o}.`)
      for (const o of item.agreedBy.removed) out.push(`${name}: ${o} withdrew agreement.`)
    }
  }

  if (board.added.length) out.push(`Board: ${plural(board.added.length, 'shape', 'shapes')} added.`)
  if (board.removed.length) out.push(`Board: ${plural(board.removed.length, 'shape', 'shapes')} removed.`)
  if (board.changed.length) out.push(`Board: ${plural(board.changed.length, 'shape', 'shapes')} changed.`)
  return out
}
