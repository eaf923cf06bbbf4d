/**
 * What the ledger records of outcomes (see shared/rules/ledgerOfChanges.ts for when): each added
 * and removed with its status, and changes of status and of what the partners answer for (measure,
 * baseline, target, owner). Rewording the outcome itself is left to the comparison of states.
 */
import { entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'
import { OUTCOMES_KEY, type Outcome, readOutcome } from './model.ts'

const OUTCOME_LEDGER_FIELDS = ['measure', 'baseline', 'target', 'ownerOrganisation'] as const

export const outcomeEntries: SectionLedger = (r, before, after, id) => {
  const a = entryMap(before, OUTCOMES_KEY, id)
  const b = entryMap(after, OUTCOMES_KEY, id)
  const was: Outcome | null = a ? readOutcome(id, a) : null
  const now: Outcome | null = b ? readOutcome(id, b) : null
  if (!was && now) r.add(OUTCOMES_KEY, id, now.outcome, 'created', 'status', null, now.status)
  else if (was && !now) r.add(OUTCOMES_KEY, id, was.outcome, 'deleted', 'status', was.status, null)
  else if (was && now) {
    if (was.status !== now.status) r.add(OUTCOMES_KEY, id, now.outcome, 'changed', 'status', was.status, now.status)
    for (const field of OUTCOME_LEDGER_FIELDS)
      if (was[field] !== now[field]) r.add(OUTCOMES_KEY, id, now.outcome, 'changed', field, was[field], now[field])
  }
}
