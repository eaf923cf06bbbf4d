/** Dot votes (shared/votes.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { voteEntries } from './ledger.ts'
import { voteRule } from './rules.ts'

export const votesSection: SectionDefinition = {
  key: DOC_KEYS.votes,
  area: 'votes',
  lockable: null,
  rule: voteRule,
  ledger: voteEntries,
}
