/** The actions and decisions as the browser shows them (client/sections/registry.ts). */
import type { ActionsDiff } from '../../shared/sections/actions/diff.ts'
import type { ExportedActionItem } from '../../shared/sections/actions/exports.ts'
import { actionsSection } from '../../shared/sections/actions/index.ts'
import { useWorkshopNavigation } from '../sections/WorkshopNavigation.tsx'
import type { SectionView } from '../sections/types.ts'
import { ActionsPrint } from './ActionsPrint.tsx'
import { ActionsView } from './ActionsView.tsx'

const noop = () => {}

function ActionsSectionView() {
  const { placeOnBoard, actionLinkFrom, actionLinkFromUsed } = useWorkshopNavigation()
  return (
    <ActionsView
      onPlaceOnBoard={placeOnBoard ? (id) => placeOnBoard('action', id) : noop}
      linkFrom={actionLinkFrom}
      onLinkFromUsed={actionLinkFromUsed}
    />
  )
}

export const actionsView: SectionView<ExportedActionItem[], ActionsDiff> = {
  section: actionsSection,
  View: ActionsSectionView,
  Print: ActionsPrint,
}
