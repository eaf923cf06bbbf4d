/** How two states of the actions and decisions differ: items added, removed, moved on, edited and agreed. */
import type * as Y from 'yjs'
import {
  ACTION_STATUS_LABELS,
  type ActionItem,
  type ActionKind,
  type ActionStatus,
  readActionItems,
} from '../../actions.ts'
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

export type ActionsDiff = ItemsDiff<ActionSummary, ActionChange>

const ACTION_FIELDS = ['kind', 'what', 'ownerOrganisation', 'ownerPerson', 'dueDate'] as const

function actionSummary(item: ActionItem): ActionSummary {
  return item.kind === 'action'
    ? { id: item.id, kind: item.kind, what: item.what, status: item.status }
    : { id: item.id, kind: item.kind, what: item.what, agreedBy: item.agreedBy }
}

function compare(before: Y.Doc, after: Y.Doc): ActionsDiff {
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

function summarise(actions: ActionsDiff): string[] {
  const out: string[] = []
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

  return out
}

export const actionsDiff: SectionDiffer<ActionsDiff> = { compare, isEmpty: noItemChanges, summarise }
