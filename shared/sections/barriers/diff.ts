/** How two states of the barriers register differ: barriers raised, removed, moved on and edited. */
import type * as Y from 'yjs'
import {
  BARRIER_STATUS_LABELS,
  type Barrier,
  type BarrierField,
  type BarrierStatus,
  barrierFieldsSchema,
  readBarriers,
} from '../../barriers.ts'
import { formatMoney } from '../../money.ts'
import {
  type Change,
  type FieldChange,
  fieldChanges,
  type ItemsDiff,
  match,
  noItemChanges,
  plainValue,
  quote,
} from '../diffKit.ts'
import type { SectionDiffer } from '../types.ts'

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

export type BarriersDiff = ItemsDiff<BarrierSummary, BarrierChange>

const BARRIER_FIELDS = Object.keys(barrierFieldsSchema.shape) as BarrierField[]
const barrierSummary = (b: Barrier): BarrierSummary => ({ id: b.id, title: b.title, status: b.status })

function compare(before: Y.Doc, after: Y.Doc): BarriersDiff {
  const { added, removed, both } = match(readBarriers(before), readBarriers(after))
  const changed: BarrierChange[] = []
  for (const [old, now] of both) {
    const fields = fieldChanges(BARRIER_FIELDS, old, now)
    const status = old.status !== now.status ? { before: old.status, after: now.status } : undefined
    if (fields.length || status) changed.push({ id: now.id, title: now.title, ...(status ? { status } : {}), fields })
  }
  return { added: added.map(barrierSummary), removed: removed.map(barrierSummary), changed }
}

function summarise(barriers: BarriersDiff): string[] {
  const out: string[] = []
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

  return out
}

export const barriersDiff: SectionDiffer<BarriersDiff> = { compare, isEmpty: noItemChanges, summarise }
