/** The protocol: the locally written agreement, clause by clause (shared/protocol.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { protocolEntries } from './ledger.ts'
import { protocolRule } from './rules.ts'

export const protocolSection: SectionDefinition = {
  key: DOC_KEYS.protocol,
  area: 'protocol',
  lockable: 'protocol',
  rule: protocolRule,
  ledger: protocolEntries,
}
