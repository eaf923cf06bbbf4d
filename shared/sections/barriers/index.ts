/** The barriers ("asks"): central rules that block the plan (shared/barriers.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { barrierEntries } from './ledger.ts'
import { barrierRule } from './rules.ts'

export const barriersSection: SectionDefinition = {
  key: DOC_KEYS.barriers,
  area: 'barriers',
  lockable: 'barriers',
  rule: barrierRule,
  ledger: barrierEntries,
}
