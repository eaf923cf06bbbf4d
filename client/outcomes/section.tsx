/** The outcomes and success measures as the browser shows them (client/sections/registry.ts). */
import type { OutcomesDiff } from '../../shared/sections/outcomes/diff.ts'
import { outcomesSection } from '../../shared/sections/outcomes/index.ts'
import type { Outcome } from '../../shared/sections/outcomes/model.ts'
import type { SectionView } from '../sections/types.ts'
import { OutcomesPrint } from './OutcomesPrint.tsx'
import { OutcomesView } from './OutcomesView.tsx'

export const outcomesView: SectionView<Outcome[], OutcomesDiff> = {
  section: outcomesSection,
  View: OutcomesView,
  Print: OutcomesPrint,
}
