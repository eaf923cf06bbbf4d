/** Actions and decisions (shared/actions.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { actionEntries } from './ledger.ts'
import { actionRule } from './rules.ts'

export const actionsSection: SectionDefinition = {
  key: DOC_KEYS.actions,
  area: 'actions',
  lockable: null,
  rule: actionRule,
  ledger: actionEntries,
}
