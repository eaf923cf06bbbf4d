/**
 * What the ledger records of barriers (see shared/rules/ledgerOfChanges.ts for when).
 */
import { readBarrier, type Barrier } from '../../barriers.ts'
import { DOC_KEYS } from '../../schema.ts'
import { entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'

const BARRIER_LEDGER_FIELDS = ['department', 'champion', 'impactPence', 'dueDate'] as const

export const barrierEntries: SectionLedger = (r, before, after, id) => {
  const a = entryMap(before, DOC_KEYS.barriers, id)
  const b = entryMap(after, DOC_KEYS.barriers, id)
  const was: Barrier | null = a ? readBarrier(id, a) : null
  const now: Barrier | null = b ? readBarrier(id, b) : null
  if (!was && now) r.add('barriers', id, now.title, 'created', 'status', null, now.status)
  else if (was && !now) r.add('barriers', id, was.title, 'deleted', 'status', was.status, null)
  else if (was && now) {
    if (was.status !== now.status) r.add('barriers', id, now.title, 'changed', 'status', was.status, now.status)
    for (const field of BARRIER_LEDGER_FIELDS)
      if (was[field] !== now[field]) r.add('barriers', id, now.title, 'changed', field, was[field], now[field])
  }
}
