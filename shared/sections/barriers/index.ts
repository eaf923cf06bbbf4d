/** The barriers ("asks"): central rules that block the plan (shared/barriers.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { type BarriersDiff, barriersDiff } from './diff.ts'
import { barriersExport, type ExportedBarrier } from './exports.ts'
import { barrierEntries } from './ledger.ts'
import { barrierRule } from './rules.ts'

export const barriersSection: SectionDefinition<typeof DOC_KEYS.barriers, ExportedBarrier[], BarriersDiff> = {
  key: DOC_KEYS.barriers,
  label: 'Barriers',
  title: 'Barriers (asks)',
  lockable: true,
  noun: 'the barriers register',
  rule: barrierRule,
  ledger: barrierEntries,
  export: barriersExport,
  diff: barriersDiff,
}
