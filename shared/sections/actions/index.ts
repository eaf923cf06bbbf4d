/** Actions and decisions (shared/actions.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { type ActionsDiff, actionsDiff } from './diff.ts'
import { actionsExport, type ExportedActionItem } from './exports.ts'
import { actionEntries } from './ledger.ts'
import { actionRule } from './rules.ts'

export const actionsSection: SectionDefinition<typeof DOC_KEYS.actions, ExportedActionItem[], ActionsDiff> = {
  key: DOC_KEYS.actions,
  label: 'Actions',
  title: 'Actions and decisions',
  lockable: false,
  noun: 'the actions and decisions',
  rule: actionRule,
  ledger: actionEntries,
  export: actionsExport,
  diff: actionsDiff,
}
