/** The virtual pot: each partner's contribution lines (shared/pot.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { potEntries } from './ledger.ts'
import { potRule } from './rules.ts'

export const potSection: SectionDefinition = {
  key: DOC_KEYS.pot,
  area: 'pot',
  lockable: 'pot',
  rule: potRule,
  ledger: potEntries,
}
