/** Dot votes on the barriers (shared/votes.ts); they have no view or lock of their own. */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { type ExportedVote, votesExport } from './exports.ts'
import { voteEntries } from './ledger.ts'
import { voteRule } from './rules.ts'

export const votesSection: SectionDefinition<typeof DOC_KEYS.votes, ExportedVote[], null> = {
  key: DOC_KEYS.votes,
  label: 'Votes',
  title: 'Votes',
  lockable: false,
  noun: 'the votes',
  rule: voteRule,
  ledger: voteEntries,
  export: votesExport,
  diff: null,
}
