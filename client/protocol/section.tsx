/** The protocol as the browser shows it (client/sections/registry.ts). */
import type { ProtocolDiff } from '../../shared/sections/protocol/diff.ts'
import type { ProtocolExport } from '../../shared/sections/protocol/exports.ts'
import { protocolSection } from '../../shared/sections/protocol/index.ts'
import type { SectionView } from '../sections/types.ts'
import { ClauseTextDiff } from './ClauseTextDiff.tsx'
import { ProtocolPrint } from './ProtocolPrint.tsx'
import { ProtocolView } from './ProtocolView.tsx'

export const protocolView: SectionView<ProtocolExport, ProtocolDiff> = {
  section: protocolSection,
  View: ProtocolView,
  Print: ProtocolPrint,
  DiffDetail: ClauseTextDiff,
}
