/**
 * A negotiated section as the browser shows it: its live view (also shown read-only on a
 * snapshot's page), its part of the printed agreement and, optionally, what it adds to a
 * comparison of two states beyond the sentences every section gives. The rest (names, lock,
 * exports, diff) is the shared definition's.
 */
import type { ComponentType } from 'react'
import type { SectionDefinition } from '../../shared/sections/types.ts'
import type { ExportContext } from '../../shared/sections/types.ts'

export interface DiffPartProps<Diff> {
  diff: Diff
  beforeLabel: string
  afterLabel: string
}

export interface SectionView<Data = unknown, Diff = unknown> {
  section: SectionDefinition<string, Data, Diff>
  /** The view; it reads the workshop (client/workshop/WorkshopContext.tsx) and navigation (./WorkshopNavigation.tsx). */
  View: ComponentType
  /** The section on paper, from its exported data. */
  Print: ComponentType<{ data: Data; context: ExportContext }>
  /** Shown above the list of every change (the pot's totals). */
  DiffSummary?: ComponentType<DiffPartProps<Diff>>
  /** Shown below it (the clauses' text word by word). */
  DiffDetail?: ComponentType<DiffPartProps<Diff>>
}

/** Any section's view, whatever its data and diff. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds views of different data types; each is typed where it is defined
export type AnySectionView = SectionView<any, any>
