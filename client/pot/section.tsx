/** The pot as the browser shows it (client/sections/registry.ts). */
import type { PotDiff } from '../../shared/sections/pot/diff.ts'
import type { PotExport } from '../../shared/sections/pot/exports.ts'
import { potSection } from '../../shared/sections/pot/index.ts'
import { useWorkshopNavigation } from '../sections/WorkshopNavigation.tsx'
import type { SectionView } from '../sections/types.ts'
import { PotDiffTotals } from './PotDiffTotals.tsx'
import { PotPrint } from './PotPrint.tsx'
import { PotView } from './PotView.tsx'

function PotSectionView() {
  const { placeOnBoard } = useWorkshopNavigation()
  return <PotView onPlaceOnBoard={placeOnBoard ? (id) => placeOnBoard('pot-line', id) : undefined} />
}

export const potView: SectionView<PotExport, PotDiff> = {
  section: potSection,
  View: PotSectionView,
  Print: PotPrint,
  DiffSummary: PotDiffTotals,
}
