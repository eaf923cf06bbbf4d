/**
 * The virtual pot: each partner's contribution lines, their totals, and the ledger entries that
 * record every negotiated change. A line is a Y.Map, so two people editing different fields of one
 * line both keep their change, and the same field resolves to the last writer.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { newId } from './ids.ts'
import type { Actor } from './ledger.ts'
import { MAX_PENCE } from './money.ts'
import { getMetaMap, getPotMap } from './schema.ts'
import { parseOrExplain } from './validation.ts'

export const POT_STATUSES = ['proposed', 'offered', 'agreed', 'committed', 'withdrawn'] as const
export const POT_MODES = ['pooled', 'aligned'] as const
export const POT_KINDS = ['cash', 'in-kind'] as const
export type PotStatus = (typeof POT_STATUSES)[number]
export type PotMode = (typeof POT_MODES)[number]
export type PotKind = (typeof POT_KINDS)[number]

export const STATUS_LABELS: Record<PotStatus, string> = {
  proposed: 'Proposed',
  offered: 'Offered',
  agreed: 'Agreed',
  committed: 'Committed',
  withdrawn: 'Withdrawn',
}
export const MODE_LABELS: Record<PotMode, string> = { pooled: 'Pooled', aligned: 'Aligned' }
export const KIND_LABELS: Record<PotKind, string> = { cash: 'Cash', 'in-kind': 'In kind' }

/** Funding streams suggested in the stream field; anything else may be typed. */
export const FUNDING_STREAMS: readonly string[] = [
  'Work Programme',
  'ESF families programme',
  'Jobcentre Plus Flexible Support Fund',
  'Early Intervention Grant',
  'Troubled Families payment by results',
  'Youth offending',
  'Public health / PCT',
  'Police',
  'Council services',
  'DfE innovation fund',
  'Housing related support',
]

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

/** The fields a person edits; validated wherever they come in (forms, CSV, peers). */
export const potLineFieldsSchema = z.object({
  partner: text(120).min(1, 'Enter the partner organisation'),
  stream: text(120),
  amount: z
    .number()
    .int('Amounts are whole pence')
    .min(0, 'The amount cannot be negative')
    .max(MAX_PENCE, 'The amount cannot be more than £100bn'),
  kind: z.enum(POT_KINDS),
  kindDescription: text(500),
  valuation: text(500),
  mode: z.enum(POT_MODES),
  status: z.enum(POT_STATUSES),
  years: text(40),
  conditions: text(2000),
})
export type PotLineFields = z.infer<typeof potLineFieldsSchema>
export type PotField = keyof PotLineFields

/** Who last wrote a field, and when (their clock). */
export interface FieldEdit {
  userId: string
  name: string
  at: number
}

export interface PotLine extends PotLineFields {
  id: string
  proposedBy: Actor
  createdAt: number
  /** The last writer of each field changed since the line was added. */
  lastEdits: Partial<Record<PotField, FieldEdit>>
}

/** Key in a line's Y.Map holding the last writer of `field`. */
const editKey = (field: PotField) => `edit.${field}`
const fieldEditSchema = z.object({ userId: z.string(), name: z.string(), at: z.number() })

/** Changes to these fields are negotiated, so each one is written to the ledger. */
export const LEDGER_FIELDS: ReadonlySet<PotField> = new Set<PotField>(['amount', 'status', 'mode', 'kind', 'partner'])

/**
 * What a line holds when nothing else is said. Its years are empty: a line's financial years are
 * asked for when it is added (shared/financialYears.ts gives the current one), and a line read
 * with a broken years field must not claim a year nobody chose.
 */
export const DEFAULT_LINE: Omit<PotLineFields, 'partner'> = {
  stream: '',
  amount: 0,
  kind: 'cash',
  kindDescription: '',
  valuation: '',
  mode: 'pooled',
  status: 'proposed',
  years: '',
  conditions: '',
}

const storedLineSchema = potLineFieldsSchema.extend({
  proposedBy: z.object({ userId: z.string(), name: z.string(), organisation: z.string() }),
  createdAt: z.number(),
})

/** Reads one line; a line a peer wrote badly is read with defaults where it is wrong, never dropped silently. */
export function readPotLine(id: string, map: Y.Map<unknown>): PotLine {
  const raw = map.toJSON() as Record<string, unknown>
  const lastEdits: PotLine['lastEdits'] = {}
  for (const field of Object.keys(potLineFieldsSchema.shape) as PotField[]) {
    const edit = fieldEditSchema.safeParse(raw[editKey(field)])
    if (edit.success) lastEdits[field] = edit.data
  }
  const parsed = storedLineSchema.safeParse(raw)
  if (parsed.success) return { id, ...parsed.data, lastEdits }
  // Keep what is valid field by field, so one bad field does not hide a partner's money.
  const fields = {
    ...DEFAULT_LINE,
    partner: '(unknown partner)',
    proposedBy: { userId: '', name: '', organisation: '' },
    createdAt: 0,
    lastEdits,
  } as Omit<PotLine, 'id'>
  const shape = storedLineSchema.shape
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const field = shape[key].safeParse(raw[key])
    if (field.success) (fields as Record<string, unknown>)[key] = field.data
  }
  return { id, ...fields }
}

export function readPotLines(doc: Y.Doc): PotLine[] {
  const lines: PotLine[] = []
  getPotMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return
    lines.push(readPotLine(id, map))
  })
  return lines.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
}

/** How a line is named in history: partner, and stream when there is one. */
export function lineLabel(line: Pick<PotLineFields, 'partner' | 'stream'>): string {
  return line.stream ? `${line.partner} · ${line.stream}` : line.partner
}

/** Adds a line, proposed by `actor`, and records it in the ledger. Returns its id. */
export function addPotLine(doc: Y.Doc, fields: PotLineFields, actor: Actor, now: number): string {
  const id = newId()
  const valid = parseOrExplain(potLineFieldsSchema, fields)
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(valid)) map.set(key, value)
    map.set('proposedBy', actor)
    map.set('createdAt', now)
    getPotMap(doc).set(id, map)
  })
  return id
}

/**
 * Changes fields of a line. Only fields whose value really changes are written (so a concurrent
 * edit of another field is not overwritten); the server records changes of ledger fields.
 */
export function updatePotLine(doc: Y.Doc, id: string, patch: Partial<PotLineFields>, actor: Actor, now: number): void {
  const map = getPotMap(doc).get(id)
  if (!(map instanceof Y.Map)) throw new Error('This line no longer exists: someone may have deleted it.')
  const valid = parseOrExplain(potLineFieldsSchema.partial(), patch)
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid) as [PotField, PotLineFields[PotField]][]) {
      if (value === undefined) continue
      const before = map.get(key)
      if (before === value) continue
      map.set(key, value)
      map.set(editKey(key), { userId: actor.userId, name: actor.name, at: now } satisfies FieldEdit)
    }
  })
}

/** Removes a line (undone through shared/sectionUndo.ts); the ledger entry stays either way. */
export function deletePotLine(doc: Y.Doc, id: string, _actor: Actor, _now: number): PotLine | null {
  const map = getPotMap(doc).get(id)
  if (!(map instanceof Y.Map)) return null
  const line = readPotLine(id, map)
  doc.transact(() => {
    getPotMap(doc).delete(id)
  })
  return line
}

/** The pot size the facilitator aims for, in pence; null when none is set. */
export function readTargetPot(doc: Y.Doc): number | null {
  const value = getMetaMap(doc).get('targetPot')
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_PENCE ? value : null
}

export function setTargetPot(doc: Y.Doc, pence: number | null, _actor: Actor, _now: number): void {
  if (pence !== null && !(Number.isInteger(pence) && pence >= 0 && pence <= MAX_PENCE))
    throw new Error('The target must be between £0 and £100bn')
  const before = readTargetPot(doc)
  if (before === pence) return
  doc.transact(() => {
    if (pence === null) getMetaMap(doc).delete('targetPot')
    else getMetaMap(doc).set('targetPot', pence)
  })
}

export interface PotTotals {
  /** Every line that is not withdrawn. */
  total: number
  byPartner: Map<string, { total: number; byStatus: Record<PotStatus, number> }>
  byMode: Record<PotMode, number>
  byStatus: Record<PotStatus, number>
  byKind: Record<PotKind, number>
  lines: number
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>

/** Totals in pence. Withdrawn money counts only under its status, never in the pot. */
export function computePotTotals(lines: readonly PotLine[]): PotTotals {
  const totals: PotTotals = {
    total: 0,
    byPartner: new Map(),
    byMode: zeroes(POT_MODES),
    byStatus: zeroes(POT_STATUSES),
    byKind: zeroes(POT_KINDS),
    lines: lines.length,
  }
  for (const line of lines) {
    totals.byStatus[line.status] += line.amount
    let partner = totals.byPartner.get(line.partner)
    if (!partner) {
      partner = { total: 0, byStatus: zeroes(POT_STATUSES) }
      totals.byPartner.set(line.partner, partner)
    }
    partner.byStatus[line.status] += line.amount
    if (line.status === 'withdrawn') continue
    totals.total += line.amount
    partner.total += line.amount
    totals.byMode[line.mode] += line.amount
    totals.byKind[line.kind] += line.amount
  }
  return totals
}

export const POT_SORTS = ['added', 'partner', 'amount', 'status'] as const
export const POT_GROUPS = ['none', 'partner', 'status', 'mode'] as const
export type PotSort = (typeof POT_SORTS)[number]
export type PotGroup = (typeof POT_GROUPS)[number]

export interface PotArrangement {
  sort: PotSort
  descending: boolean
  group: PotGroup
  /** Only lines with this status / mode (null: all). */
  status: PotStatus | null
  mode: PotMode | null
  /** Case-insensitive text to find in partner, stream or conditions. */
  search: string
}

export const DEFAULT_ARRANGEMENT: PotArrangement = {
  sort: 'added',
  descending: false,
  group: 'none',
  status: null,
  mode: null,
  search: '',
}

export interface PotGroupOfLines {
  key: string
  label: string
  lines: PotLine[]
  /** Sum of the group's lines that are not withdrawn. */
  total: number
}

const STATUS_ORDER = new Map(POT_STATUSES.map((s, i) => [s, i]))

/** Filters, sorts and groups lines for display; groups come in a stable, meaningful order. */
export function arrangePotLines(lines: readonly PotLine[], arrangement: PotArrangement): PotGroupOfLines[] {
  const search = arrangement.search.trim().toLowerCase()
  const kept = lines.filter(
    (l) =>
      (arrangement.status === null || l.status === arrangement.status) &&
      (arrangement.mode === null || l.mode === arrangement.mode) &&
      (!search || `${l.partner}\n${l.stream}\n${l.conditions}`.toLowerCase().includes(search)),
  )
  const compare: Record<PotSort, (a: PotLine, b: PotLine) => number> = {
    added: (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
    partner: (a, b) => a.partner.localeCompare(b.partner, 'en-GB') || a.stream.localeCompare(b.stream, 'en-GB'),
    amount: (a, b) => a.amount - b.amount,
    status: (a, b) => STATUS_ORDER.get(a.status)! - STATUS_ORDER.get(b.status)!,
  }
  const direction = arrangement.descending ? -1 : 1
  const sorted = [...kept].sort((a, b) => direction * compare[arrangement.sort](a, b) || compare.added(a, b))
  const groupOf = (l: PotLine): [string, string] => {
    switch (arrangement.group) {
      case 'none':
        return ['all', 'All contributions']
      case 'partner':
        return [l.partner, l.partner]
      case 'status':
        return [l.status, STATUS_LABELS[l.status]]
      case 'mode':
        return [l.mode, MODE_LABELS[l.mode]]
    }
  }
  const groups = new Map<string, PotGroupOfLines>()
  for (const line of sorted) {
    const [key, label] = groupOf(line)
    let group = groups.get(key)
    if (!group) {
      group = { key, label, lines: [], total: 0 }
      groups.set(key, group)
    }
    group.lines.push(line)
    if (line.status !== 'withdrawn') group.total += line.amount
  }
  const order: Record<PotGroup, (a: PotGroupOfLines, b: PotGroupOfLines) => number> = {
    none: () => 0,
    partner: (a, b) => a.label.localeCompare(b.label, 'en-GB'),
    status: (a, b) => STATUS_ORDER.get(a.key as PotStatus)! - STATUS_ORDER.get(b.key as PotStatus)!,
    mode: (a, b) => POT_MODES.indexOf(a.key as PotMode) - POT_MODES.indexOf(b.key as PotMode),
  }
  return [...groups.values()].sort(order[arrangement.group])
}
