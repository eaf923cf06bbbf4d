/** How two states of the pot differ: lines added, removed and changed, and the totals. */
import type * as Y from 'yjs'
import { formatMoney } from '../../money.ts'
import {
  computePotTotals,
  lineLabel,
  type PotField,
  type PotLine,
  type PotStatus,
  potLineFieldsSchema,
  readPotLines,
  STATUS_LABELS,
} from '../../pot.ts'
import {
  type AmountChange,
  amountChange,
  type FieldChange,
  fieldChanges,
  type ItemsDiff,
  match,
  money,
  noItemChanges,
} from '../diffKit.ts'
import type { SectionDiffer } from '../types.ts'

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

export interface PotDiff extends ItemsDiff<PotLineSummary, PotLineChange> {
  totals: {
    /** The pot total (lines not withdrawn), always present. */
    overall: AmountChange
    /** Partners whose total changed, by name; a partner with no lines counts as £0. */
    byPartner: (AmountChange & { partner: string })[]
  }
}

const POT_FIELDS = Object.keys(potLineFieldsSchema.shape) as PotField[]

const potSummary = (line: PotLine): PotLineSummary => ({
  id: line.id,
  label: lineLabel(line),
  partner: line.partner,
  amount: line.amount,
  status: line.status,
})

function compare(before: Y.Doc, after: Y.Doc): PotDiff {
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

function potValue(field: PotField, value: unknown): string {
  if (field === 'amount' && typeof value === 'number' && Number.isSafeInteger(value)) return formatMoney(value)
  if (field === 'status' && typeof value === 'string' && value in STATUS_LABELS)
    return STATUS_LABELS[value as PotStatus]
  return value === '' ? '(empty)' : String(value)
}

function summarise(pot: PotDiff): string[] {
  const out: string[] = []
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
  return out
}

const isEmpty = (pot: PotDiff): boolean =>
  noItemChanges(pot) && pot.totals.overall.delta === 0 && pot.totals.byPartner.length === 0

export const potDiff: SectionDiffer<PotDiff> = { compare, isEmpty, summarise }
