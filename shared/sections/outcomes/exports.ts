/**
 * Outcomes in the exports: the list as read (JSON), the minutes' table, and one CSV table with
 * the labels the view shows, for re-use in spreadsheets.
 */
import type * as Y from 'yjs'
import { londonDateTime } from '../../dates.ts'
import { md } from '../exportKit.ts'
import type { ExportTable, SectionExport } from '../types.ts'
import { OUTCOME_FIELD_LABELS, OUTCOME_STATUS_LABELS, type Outcome, readOutcomes } from './model.ts'

export const read = (doc: Y.Doc): Outcome[] => readOutcomes(doc)

const COLUMNS = ['outcome', 'measure', 'baseline', 'target', 'ownerOrganisation', 'status'] as const

/** The minutes' section: a heading and a table, or nothing when no outcome was added. */
export function markdown(outcomes: Outcome[]): string[] {
  if (outcomes.length === 0) return []
  const out = [
    '## Outcomes and success measures',
    '',
    `| ${COLUMNS.map((c) => OUTCOME_FIELD_LABELS[c]).join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
  ]
  for (const o of outcomes) {
    out.push(
      `| ${md(o.outcome)} | ${md(o.measure)} | ${md(o.baseline)} | ${md(o.target)} | ${md(o.ownerOrganisation)} | ${OUTCOME_STATUS_LABELS[o.status]} |`,
    )
  }
  return out
}

export const OUTCOME_CSV_COLUMNS = [
  ...COLUMNS.map((c) => OUTCOME_FIELD_LABELS[c]),
  'Added by',
  'Added by (organisation)',
  'Added',
] as const

export const outcomesTable: ExportTable<Outcome[]> = {
  part: 'outcomes',
  title: 'Outcomes and success measures',
  columns: OUTCOME_CSV_COLUMNS,
  rows: (outcomes) =>
    outcomes.map((o) => [
      o.outcome,
      o.measure,
      o.baseline,
      o.target,
      o.ownerOrganisation,
      OUTCOME_STATUS_LABELS[o.status],
      o.createdBy.name,
      o.createdBy.organisation,
      londonDateTime(o.createdAt),
    ]),
}

export const tables: readonly ExportTable<Outcome[]>[] = [outcomesTable]

export const outcomesExport: SectionExport<Outcome[]> = { read, markdown, tables }
