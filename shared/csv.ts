/**
 * CSV as spreadsheets read and write it, through papaparse (RFC 4180 quoting, in the browser and in
 * Node alike), with what Excel needs on top: a UTF-8 byte-order mark, without which Excel on
 * Windows reads the file as the machine's legacy code page ("CafÃ© ZoÃ«"); and the formula-injection
 * defence, so that text a partner typed never runs as a formula in someone else's spreadsheet.
 */
import Papa from 'papaparse'
import type { Cell } from './sections/types.ts'

/** The UTF-8 byte-order mark: how Excel knows a CSV file is UTF-8. */
export const BOM = '\uFEFF'

/**
 * What a spreadsheet would run as a formula (the OWASP list). papaparse's own default pattern
 * (`/^[=+\-@\t\r].*$/`) misses a formula followed by a line break, since `.` stops at one; this
 * one looks at the first character alone.
 */
export const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A CSV file: `columns` as the header row, then `rows`, CRLF line ends, starting with the BOM. A
 * text cell that starts like a formula gets a leading apostrophe (and is quoted) so it opens as
 * text; numbers are written as numbers and stay numbers (no exported number is negative).
 */
export function writeCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const body = Papa.unparse(
    { fields: [...columns], data: rows.map((row) => row.map((cell) => cell ?? '')) },
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  )
  return `${BOM}${body}\r\n`
}

/** A CSV file that papaparse could not read as a table; the message is for people. */
export class CsvError extends Error {
  override name = 'CsvError'
}

export interface CsvTable {
  /** Rows of cells, blank rows left out; the first is the header row when the file has one. */
  rows: string[][]
  /** Problems papaparse found in single rows (a stray quote), by index in `rows`, for people. */
  rowProblems: Map<number, string[]>
}

/**
 * Reads CSV text as a spreadsheet saved it: a BOM is dropped, line ends may be CRLF or LF
 * (a line break inside a quoted cell comes back as LF), blank rows are skipped (a spreadsheet
 * saves empty rows as commas alone). Throws a CsvError
 * naming the line where a quoted cell never closes, since everything after it would be one cell.
 */
export function readCsvTable(text: string): CsvTable {
  const normalised = (text.startsWith(BOM) ? text.slice(1) : text).replace(/\r\n/g, '\n')
  const parsed = Papa.parse<string[]>(normalised, { delimiter: ',', newline: '\n' })
  // Problems by the row papaparse counted them in, blank rows included.
  const problemsAt = new Map<number, string[]>()
  for (const error of parsed.errors) {
    if (error.code === 'MissingQuotes') {
      const line = normalised.slice(0, Math.max(0, error.index ?? 0)).split('\n').length
      throw new CsvError(`A quoted cell that starts on line ${line} is never closed.`)
    }
    if (error.row === undefined) throw new CsvError(`The file cannot be read as CSV: ${error.message}.`)
    const problems = problemsAt.get(error.row) ?? []
    // A stray quote ('"Hull" City') makes the cell run on to the next quote, over rows if need be.
    const message =
      error.code === 'InvalidQuotes'
        ? 'a quoted cell has text after its closing quote, so it runs on past where it should end'
        : error.message.toLowerCase()
    if (!problems.includes(message)) problems.push(message)
    problemsAt.set(error.row, problems)
  }
  const rows: string[][] = []
  const rowProblems = new Map<number, string[]>()
  parsed.data.forEach((row, i) => {
    if (row.every((cell) => cell.trim() === '')) return
    const problems = problemsAt.get(i)
    if (problems) rowProblems.set(rows.length, problems)
    rows.push(row)
  })
  return { rows, rowProblems }
}

/** Rows of cells, for callers that need no more than the table (tests, tools). */
export const readCsv = (text: string): string[][] => readCsvTable(text).rows

/**
 * A block of cells as spreadsheets put it on the clipboard: tab-separated, CRLF between rows, a
 * cell holding a tab, line break or quote quoted. Text that starts like a formula is guarded as
 * in CSV, so a copied note never runs in someone's spreadsheet.
 */
export function writeTsv(rows: readonly (readonly string[])[]): string {
  return Papa.unparse(
    rows.map((row) => [...row]),
    { delimiter: '\t', newline: '\r\n', escapeFormulae: FORMULA_START },
  )
}

/**
 * A block pasted from Excel, Sheets or Numbers: rows of cells, the trailing line break they add
 * dropped. Every row is given the block's full width, so a short row reads as empty cells.
 */
export function readTsv(text: string): string[][] {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/\n$/, '')
  if (normalised === '') return [['']]
  // Quotes matter only around a cell that holds a tab or line break, as spreadsheets write them.
  const parsed = Papa.parse<string[]>(normalised, { delimiter: '\t', newline: '\n', quoteChar: '"' })
  const rows = parsed.data
  const width = Math.max(...rows.map((r) => r.length))
  return rows.map((row) => (row.length < width ? [...row, ...Array<string>(width - row.length).fill('')] : row))
}
