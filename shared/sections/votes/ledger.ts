/**
 * What the ledger records of dot votes (see shared/rules/ledgerOfChanges.ts for when).
 */
import { DOC_KEYS } from '../../schema.ts'
import { entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'

export const voteEntries: SectionLedger = (r, before, after, id) => {
  const a = entryMap(before, DOC_KEYS.votes, id)
  const b = entryMap(after, DOC_KEYS.votes, id)
  const title = String(b?.get('title') ?? a?.get('title') ?? '')
  if (!a && b) r.add('votes', id, title, 'started', 'dotsPerPerson', null, b.get('dotsPerPerson'))
  else if (a && b && a.get('status') !== 'ended' && b.get('status') === 'ended')
    r.add('votes', id, title, 'ended', 'status', 'open', 'ended')
}
