/** How two states of the outcomes differ: outcomes added, removed, moved on and edited. */
import type * as Y from 'yjs'
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
import {
  OUTCOME_FIELD_LABELS,
  OUTCOME_STATUS_LABELS,
  type Outcome,
  type OutcomeField,
  type OutcomeStatus,
  readOutcomes,
} from './model.ts'

export interface OutcomeSummary {
  id: string
  outcome: string
  status: OutcomeStatus
}

export interface OutcomeChange {
  id: string
  /** What the outcome says after the change. */
  outcome: string
  status?: Change<OutcomeStatus>
  /** Other changed fields (the wording included), in the order of the schema. */
  fields: FieldChange<Exclude<OutcomeField, 'status'>>[]
}

export type OutcomesDiff = ItemsDiff<OutcomeSummary, OutcomeChange>

// Status is reported on its own, as a move from one label to another.
const COMPARED = ['outcome', 'measure', 'baseline', 'target', 'ownerOrganisation'] as const

const summary = (o: Outcome): OutcomeSummary => ({ id: o.id, outcome: o.outcome, status: o.status })

export function compare(before: Y.Doc, after: Y.Doc): OutcomesDiff {
  const { added, removed, both } = match(readOutcomes(before), readOutcomes(after))
  const changed: OutcomeChange[] = []
  for (const [old, now] of both) {
    const fields = fieldChanges(COMPARED, old, now)
    const status = old.status !== now.status ? { before: old.status, after: now.status } : undefined
    if (fields.length || status)
      changed.push({ id: now.id, outcome: now.outcome, ...(status ? { status } : {}), fields })
  }
  return { added: added.map(summary), removed: removed.map(summary), changed }
}

export function summarise(diff: OutcomesDiff): string[] {
  const out: string[] = []
  for (const o of diff.added) out.push(`Outcome added: ${quote(o.outcome)} (${OUTCOME_STATUS_LABELS[o.status]}).`)
  for (const o of diff.removed) out.push(`Outcome removed: ${quote(o.outcome)}.`)
  for (const o of diff.changed) {
    const name = quote(o.outcome)
    if (o.status)
      out.push(`Outcome ${name}: ${OUTCOME_STATUS_LABELS[o.status.before]} → ${OUTCOME_STATUS_LABELS[o.status.after]}.`)
    for (const f of o.fields) {
      if (f.field === 'outcome') {
        out.push(`Outcome ${quote(plainValue(f.before))} reworded as ${name}.`)
        continue
      }
      const label = OUTCOME_FIELD_LABELS[f.field].toLowerCase()
      out.push(`Outcome ${name}: ${label} ${plainValue(f.before)} → ${plainValue(f.after)}.`)
    }
  }
  return out
}

export const outcomesDiff: SectionDiffer<OutcomesDiff> = { compare, isEmpty: noItemChanges, summarise }
