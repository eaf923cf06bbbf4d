/** The protocol: the locally written agreement, clause by clause (shared/protocol.ts). */
import { DOC_KEYS } from '../../schema.ts'
import type { SectionDefinition } from '../types.ts'
import { type ProtocolDiff, protocolDiff } from './diff.ts'
import { type ProtocolExport, protocolExport } from './exports.ts'
import { protocolEntries } from './ledger.ts'
import { protocolRule } from './rules.ts'

export const protocolSection: SectionDefinition<typeof DOC_KEYS.protocol, ProtocolExport, ProtocolDiff> = {
  key: DOC_KEYS.protocol,
  label: 'Protocol',
  title: 'Protocol',
  lockable: true,
  noun: 'the protocol',
  rule: protocolRule,
  ledger: protocolEntries,
  export: protocolExport,
  diff: protocolDiff,
}
