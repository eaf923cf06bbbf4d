/**
 * CSV exports for spreadsheets: one file per table a section exports (the pot lines, the protocol's
 * positions, the barriers register, the action log…). Every cell goes through `csvCell`, so text a
 * partner typed can never run as a formula.
 */
import { exportContext, type WorkshopExport } from './export.ts'
import { sections } from './sections/registry.ts'
import type { AnySection, Cell, ExportTable } from './sections/types.ts'

/**
 * One CSV cell. A cell that a spreadsheet would run as a formula (starting = + - @, tab or
 * carriage return) is prefixed with an apostrophe so it stays text.
 */
export function csvCell(value: Cell): string {
  let text = value === null ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`
}

/** One exported table as CSV, from its section's data. */
export const tableToCsv = <D>(table: ExportTable<D>, data: D): string => toCsv(table.columns, table.rows(data))

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

/** The CSV of the table `part` (one of CSV_PARTS). */
export function csvOf(data: WorkshopExport, part: string): string {
  const found = TABLES.find(({ table }) => table.part === part)
  if (!found) throw new Error(`No exported table is called ${part}.`)
  return tableToCsv(found.table, exportContext(data).of(found.section))
}
