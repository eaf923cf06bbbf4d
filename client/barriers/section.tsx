/** The barriers register as the browser shows it (client/sections/registry.ts). */
import type { BarriersDiff } from '../../shared/sections/barriers/diff.ts'
import type { ExportedBarrier } from '../../shared/sections/barriers/exports.ts'
import { barriersSection } from '../../shared/sections/barriers/index.ts'
import { useWorkshopNavigation } from '../sections/WorkshopNavigation.tsx'
import type { SectionView } from '../sections/types.ts'
import { BarriersPrint } from './BarriersPrint.tsx'
import { BarriersView } from './BarriersView.tsx'

const noop = () => {}

function BarriersSectionView() {
  const { placeOnBoard, createActionFor } = useWorkshopNavigation()
  return (
    <BarriersView
      onPlaceOnBoard={placeOnBoard ? (id) => placeOnBoard('barrier', id) : noop}
      onCreateAction={createActionFor}
    />
  )
}

export const barriersView: SectionView<ExportedBarrier[], BarriersDiff> = {
  section: barriersSection,
  View: BarriersSectionView,
  Print: BarriersPrint,
}
