/** The virtual pot: each partner's contribution lines (shared/pot.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { type PotDiff, potDiff } from './diff.ts'
import { type PotExport, potExport } from './exports.ts'
import { potEntries } from './ledger.ts'
import { potRule } from './rules.ts'

export const potSection: SectionDefinition<typeof DOC_KEYS.pot, PotExport, PotDiff> = {
  key: DOC_KEYS.pot,
  label: 'Pot',
  title: 'Virtual pot',
  lockable: true,
  noun: 'the pot',
  rule: potRule,
  ledger: potEntries,
  export: potExport,
  diff: potDiff,
}
