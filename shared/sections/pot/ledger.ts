/**
 * What the ledger records of pot lines (see shared/rules/ledgerOfChanges.ts for when).
 */
import { LEDGER_FIELDS as POT_LEDGER_FIELDS, lineLabel, readPotLine, type PotLine } from '../../pot.ts'
import { DOC_KEYS } from '../../schema.ts'
import { entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'

export const potEntries: SectionLedger = (r, before, after, id) => {
  const a = entryMap(before, DOC_KEYS.pot, id)
  const b = entryMap(after, DOC_KEYS.pot, id)
  const was: PotLine | null = a ? readPotLine(id, a) : null
  const now: PotLine | null = b ? readPotLine(id, b) : null
  if (!was && now) {
    // A line removed and brought back (undo) keeps its id.
    const removed = r.history.some((e) => e.area === 'pot' && e.subject === id && e.action === 'deleted')
    r.add('pot', id, lineLabel(now), removed ? 'restored' : 'created', 'amount', null, now.amount)
  } else if (was && !now) r.add('pot', id, lineLabel(was), 'deleted', 'amount', was.amount, null)
  else if (was && now) {
    for (const field of POT_LEDGER_FIELDS)
      if (was[field] !== now[field]) r.add('pot', id, lineLabel(now), 'changed', field, was[field], now[field])
  }
}
