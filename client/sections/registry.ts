/**
 * The sections the workshop shows as views, in tab order, each keyed by its shared definition
 * (shared/sections/registry.ts). The shell's tabs, a snapshot's tabs, the printed agreement and
 * the comparison of two states loop over this list. Votes have no view: the barriers show them.
 */
import { actionsView } from '../actions/section.tsx'
import { barriersView } from '../barriers/section.tsx'
import { outcomesView } from '../outcomes/section.tsx'
import { potView } from '../pot/section.tsx'
import { protocolView } from '../protocol/section.tsx'
import type { AnySectionView } from './types.ts'

export const SECTION_VIEWS: readonly AnySectionView[] = [potView, protocolView, barriersView, actionsView, outcomesView]

const BY_KEY: ReadonlyMap<string, AnySectionView> = new Map(SECTION_VIEWS.map((view) => [view.section.key, view]))

/** The view of the section `key`, if it has one. */
export const sectionView = (key: string): AnySectionView | undefined => BY_KEY.get(key)
