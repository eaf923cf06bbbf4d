/** Outcomes and success measures: what should change for families, and how the partners will know. */
import type { SectionDefinition } from '../types.ts'
import { type OutcomesDiff, outcomesDiff } from './diff.ts'
import { markdown, read, tables } from './exports.ts'
import { outcomeEntries } from './ledger.ts'
import { type Outcome, OUTCOMES_KEY } from './model.ts'
import { outcomeRule } from './rules.ts'

export const outcomesSection: SectionDefinition<typeof OUTCOMES_KEY, Outcome[], OutcomesDiff> = {
  key: OUTCOMES_KEY,
  label: 'Outcomes',
  title: 'Outcomes and success measures',
  lockable: true,
  noun: 'the outcomes framework',
  rule: outcomeRule,
  ledger: outcomeEntries,
  export: { read, markdown, tables },
  diff: outcomesDiff,
}
