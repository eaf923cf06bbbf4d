/**
 * What the ledger records of actions and decisions (see shared/rules/ledgerOfChanges.ts for when).
 */
import { readActionItem, type ActionItem } from '../../actions.ts'
import { DOC_KEYS } from '../../schema.ts'
import { entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'

const ACTION_LEDGER_FIELDS = ['status', 'dueDate', 'ownerOrganisation'] as const

export const actionEntries: SectionLedger = (r, before, after, id) => {
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
    for (const field of ACTION_LEDGER_FIELDS)
      if (was[field] !== now[field]) r.add('actions', id, now.what, 'changed', field, was[field], now[field])
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
