/**
 * CSV exports for spreadsheets: one file per table a section exports (the pot lines, the protocol's
 * positions, the barriers register, the action log…), written by shared/csv.ts: a BOM so Excel
 * reads UTF-8, the headers and labels people see in the app, London times, and every text cell
 * guarded so that text a partner typed can never run as a formula.
 */
import { writeCsv } from './csv.ts'
import { exportContext, type WorkshopExport } from './export.ts'
import { sections } from './sections/registry.ts'
import type { AnySection, ExportTable } from './sections/types.ts'

/** One exported table as CSV, from its section's data. */
export const tableToCsv = <D>(table: ExportTable<D>, data: D): string => writeCsv(table.columns, table.rows(data))

interface TableOf {
  section: AnySection
  // biome-ignore lint/suspicious/noExplicitAny: each table reads its own section's data
  table: ExportTable<any>
}

const TABLES: readonly TableOf[] = sections().flatMap((section) =>
  section.export.tables.map((table) => ({ section, table })),
)

/** The tables a workshop exports as CSV, by `part`, in the registry's order. */
export const CSV_PARTS: readonly string[] = TABLES.map(({ table }) => table.part)

/** Each CSV part with what it holds, in words, for the download menu ("Pot lines"). */
export const CSV_PART_TITLES: readonly { part: string; title: string }[] = TABLES.map(({ table }) => ({
  part: table.part,
  title: table.title,
}))

/** The CSV of the table `part` (one of CSV_PARTS). */
export function csvOf(data: WorkshopExport, part: string): string {
  const found = TABLES.find(({ table }) => table.part === part)
  if (!found) throw new Error(`No exported table is called ${part}.`)
  return tableToCsv(found.table, exportContext(data).of(found.section))
}
