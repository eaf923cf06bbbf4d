/**
 * The ledger entries the server writes for an update it accepted, worked out from the effect the
 * update had (the document before and after, and the entries it touched), never from what the
 * writer says about itself. Clients cannot write the ledger at all (shared/rules/sectionRules.ts).
 *
 * Recorded: pot lines added, removed, and changes of amount, status, mode, kind and partner, and
 * the target; clauses added and removed, status changes, each organisation's position, and
 * changes to a clause's text after it has been agreed and reopened; barriers raised, removed,
 * moved, and changes of department, champion, impact and due date; actions and decisions added and
 * removed, action status, due date and owner, decision wording and each organisation agreeing; votes
 * started and ended; locks, the workshop's title and the organisations taking part.
 */
import * as Y from 'yjs'
import { readActionItem, type ActionItem } from '../actions.ts'
import { readBarrier, type Barrier } from '../barriers.ts'
import { ledgerEntry, readLedger, type Actor, type LedgerArea, type LedgerEntry, type LedgerLink } from '../ledger.ts'
import { LOCKABLE_SECTIONS, SECTION_LABELS } from '../permissions.ts'
import { LEDGER_FIELDS as POT_LEDGER_FIELDS, lineLabel, readPotLine, type PotLine } from '../pot.ts'
import { readClause } from '../protocol.ts'
import { DOC_KEYS } from '../schema.ts'
import { readLocks, readTakingPart } from '../workshopSettings.ts'
import { entryOf, groupByEntry } from './entries.ts'
import type { Change } from './types.ts'

/** Who the server records as having made the change: the person, and the link they used. */
export interface LedgerAuthor {
  by: Actor
  link: LedgerLink
}

/** A reopened clause's wording is recorded at most once per person per this long. */
export const TEXT_EDIT_RECORD_MS = 5 * 60_000

type Value = LedgerEntry['from']

const BARRIER_LEDGER_FIELDS = ['department', 'champion', 'impactPence', 'dueDate'] as const
const ACTION_LEDGER_FIELDS = ['status', 'dueDate', 'ownerOrganisation'] as const

function entryMap(doc: Y.Doc, root: string, key: string): Y.Map<unknown> | null {
  const value = entryOf(doc, root, key)
  return value instanceof Y.Map ? value : null
}

const clip = (value: unknown): Value => {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value.slice(0, 2000)
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value).slice(0, 2000)
}

const basisOf = (position: object | undefined): unknown => (position as { basis?: unknown } | undefined)?.basis

class Recorder {
  readonly entries: LedgerEntry[] = []
  private earlier: readonly LedgerEntry[] | null = null
  constructor(private readonly author: LedgerAuthor, readonly now: number, private readonly before: Y.Doc) {}

  /** The entries recorded before this update, read only when needed. */
  get history(): readonly LedgerEntry[] {
    this.earlier ??= readLedger(this.before)
    return this.earlier
  }

  add(area: LedgerArea, subject: string, label: string, action: LedgerEntry['action'], field: string | null, from: unknown, to: unknown): void {
    const entry = ledgerEntry(area, this.author.by, this.now, subject, label, action, field ? field.slice(0, 160) : null, clip(from), clip(to))
    this.entries.push({ ...entry, link: this.author.link })
  }
}

function potEntries(r: Recorder, before: Y.Doc, after: Y.Doc, id: string): void {
  const a = entryMap(before, DOC_KEYS.pot, id)
  const b = entryMap(after, DOC_KEYS.pot, id)
  const was: PotLine | null = a ? readPotLine(id, a) : null
  const now: PotLine | null = b ? readPotLine(id, b) : null
  if (!was && now) {
    // A line removed and brought back (undo) keeps its id.
    const removed = r.history.some((e) => e.area === 'pot' && e.subject === id && e.action === 'deleted')
    r.add('pot', id, lineLabel(now), removed ? 'restored' : 'created', 'amount', null, now.amount)
  }
  else if (was && !now) r.add('pot', id, lineLabel(was), 'deleted', 'amount', was.amount, null)
  else if (was && now) {
    for (const field of POT_LEDGER_FIELDS) if (was[field] !== now[field]) r.add('pot', id, lineLabel(now), 'changed', field, was[field], now[field])
  }
}

function protocolEntries(r: Recorder, before: Y.Doc, after: Y.Doc, id: string, changes: readonly Change[], userId: string): void {
  const a = entryMap(before, DOC_KEYS.protocol, id)
  const b = entryMap(after, DOC_KEYS.protocol, id)
  const was = a ? readClause(id, a) : null
  const now = b ? readClause(id, b) : null
  if (!was && now) {
    r.add('protocol', id, now.title, 'created', null, null, now.title)
    return
  }
  if (was && !now) {
    r.add('protocol', id, was.title, 'deleted', 'status', was.status, null)
    return
  }
  if (!was || !now) return
  for (const organisation of new Set([...was.positions.keys(), ...now.positions.keys()])) {
    const from = was.positions.get(organisation)
    const to = now.positions.get(organisation)
    if (now.status === 'reopened' && was.status !== 'reopened') continue // cleared by reopening, recorded below
    if (from?.position !== to?.position || from?.reason !== to?.reason || basisOf(from) !== basisOf(to)) {
      r.add('protocol', id, now.title, 'changed', `position:${organisation}`, from?.position ?? null, to?.position ?? null)
    }
  }
  if (was.status !== now.status) r.add('protocol', id, now.title, now.status === 'reopened' ? 'reopened' : 'changed', 'status', was.status, now.status)
  const textChanged = was.title !== now.title || changes.some((c) => c.path[1] === 'body')
  if (textChanged && was.status === 'reopened' && now.status === 'reopened') {
    // The wording of a clause that was agreed is negotiated again: recorded, but not per keystroke.
    const recent = r.history.some((e) => e.subject === id && e.field === 'text' && e.by.userId === userId && Math.abs(e.at - r.now) < TEXT_EDIT_RECORD_MS)
    if (!recent) r.add('protocol', id, now.title, 'changed', 'text', null, was.title !== now.title ? now.title : null)
  }
}

function barrierEntries(r: Recorder, before: Y.Doc, after: Y.Doc, id: string): void {
  const a = entryMap(before, DOC_KEYS.barriers, id)
  const b = entryMap(after, DOC_KEYS.barriers, id)
  const was: Barrier | null = a ? readBarrier(id, a) : null
  const now: Barrier | null = b ? readBarrier(id, b) : null
  if (!was && now) r.add('barriers', id, now.title, 'created', 'status', null, now.status)
  else if (was && !now) r.add('barriers', id, was.title, 'deleted', 'status', was.status, null)
  else if (was && now) {
    if (was.status !== now.status) r.add('barriers', id, now.title, 'changed', 'status', was.status, now.status)
    for (const field of BARRIER_LEDGER_FIELDS) if (was[field] !== now[field]) r.add('barriers', id, now.title, 'changed', field, was[field], now[field])
  }
}

function actionEntries(r: Recorder, before: Y.Doc, after: Y.Doc, id: string): void {
  const a = entryMap(before, DOC_KEYS.actions, id)
  const b = entryMap(after, DOC_KEYS.actions, id)
  const was: ActionItem | null = a ? readActionItem(id, a) : null
  const now: ActionItem | null = b ? readActionItem(id, b) : null
  if (!was && now) {
    if (now.kind === 'action') r.add('actions', id, now.what, 'created', 'status', null, now.status)
    else r.add('actions', id, now.what, 'created', 'agreedBy', null, now.agreedBy.join(', '))
    return
  }
  if (was && !now) {
    r.add('actions', id, was.what, 'deleted', null, was.kind, null)
    return
  }
  if (!was || !now) return
  if (was.kind === 'action' && now.kind === 'action') {
    for (const field of ACTION_LEDGER_FIELDS) if (was[field] !== now[field]) r.add('actions', id, now.what, 'changed', field, was[field], now[field])
  }
  if (was.kind === 'decision' && now.kind === 'decision') {
    if (was.what !== now.what) r.add('actions', id, now.what, 'changed', 'what', was.what, now.what)
    for (const organisation of new Set([...was.agreedBy, ...now.agreedBy])) {
      const from = was.agreedBy.includes(organisation)
      const to = now.agreedBy.includes(organisation)
      if (from !== to) r.add('actions', id, now.what, 'changed', `agreedBy:${organisation}`, from, to)
    }
  }
}

function voteEntries(r: Recorder, before: Y.Doc, after: Y.Doc, id: string): void {
  const a = entryMap(before, DOC_KEYS.votes, id)
  const b = entryMap(after, DOC_KEYS.votes, id)
  const title = String(b?.get('title') ?? a?.get('title') ?? '')
  if (!a && b) r.add('votes', id, title, 'started', 'dotsPerPerson', null, b.get('dotsPerPerson'))
  else if (a && b && a.get('status') !== 'ended' && b.get('status') === 'ended') r.add('votes', id, title, 'ended', 'status', 'open', 'ended')
}

function settingsEntries(r: Recorder, before: Y.Doc, after: Y.Doc, keys: ReadonlySet<string | null>): void {
  if (keys.has('locks')) {
    const was = readLocks(before)
    const now = readLocks(after)
    for (const section of LOCKABLE_SECTIONS) {
      if (was.has(section) !== now.has(section)) r.add('workshop', section, SECTION_LABELS[section], 'changed', 'lock', was.has(section), now.has(section))
    }
  }
  if (keys.has('organisations')) {
    const was = new Map(readTakingPart(before).map((t) => [t.organisation, t.group]))
    const now = new Map(readTakingPart(after).map((t) => [t.organisation, t.group]))
    for (const name of new Set([...was.keys(), ...now.keys()])) {
      const from = was.get(name) ?? null
      const to = now.get(name) ?? null
      if (from !== to) r.add('workshop', '', name, to === null ? 'deleted' : from === null ? 'created' : 'changed', 'takingPart', from, to)
    }
  }
}

function metaEntries(r: Recorder, before: Y.Doc, after: Y.Doc, keys: ReadonlySet<string | null>): void {
  const was = before.getMap<unknown>(DOC_KEYS.meta)
  const now = after.getMap<unknown>(DOC_KEYS.meta)
  if (keys.has('title') && was.get('title') !== now.get('title')) r.add('workshop', '', 'Workshop title', 'changed', 'title', was.get('title') ?? '', now.get('title') ?? '')
  if (keys.has('targetPot') && was.get('targetPot') !== now.get('targetPot')) r.add('pot', '', 'Target pot size', 'changed', 'targetPot', was.get('targetPot') ?? null, now.get('targetPot') ?? null)
}

/** The top-level types whose changes the ledger records (any other change records nothing). */
export const LEDGERED_ROOTS: ReadonlySet<string> = new Set([DOC_KEYS.meta, DOC_KEYS.settings, DOC_KEYS.pot, DOC_KEYS.protocol, DOC_KEYS.barriers, DOC_KEYS.actions, DOC_KEYS.votes])

/** The entries to append for an accepted update, from the document `before` and `after` it. */
export function ledgerOfChanges(before: Y.Doc, after: Y.Doc, changes: readonly Change[], author: LedgerAuthor, now: number): LedgerEntry[] {
  const r = new Recorder(author, now, before)
  const touched = groupByEntry(changes)
  for (const [root, entries] of touched) {
    if (!LEDGERED_ROOTS.has(root)) continue
    if (root === DOC_KEYS.meta) metaEntries(r, before, after, new Set(entries.keys()))
    else if (root === DOC_KEYS.settings) settingsEntries(r, before, after, new Set(entries.keys()))
    else {
      for (const [key, list] of entries) {
        if (key === null) continue
        if (root === DOC_KEYS.pot) potEntries(r, before, after, key)
        else if (root === DOC_KEYS.protocol) protocolEntries(r, before, after, key, list, author.by.userId)
        else if (root === DOC_KEYS.barriers) barrierEntries(r, before, after, key)
        else if (root === DOC_KEYS.actions) actionEntries(r, before, after, key)
        else if (root === DOC_KEYS.votes) voteEntries(r, before, after, key)
      }
    }
  }
  return r.entries
}
