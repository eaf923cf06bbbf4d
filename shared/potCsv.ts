/**
 * CSV import of contribution lines: the file read by papaparse (shared/csv.ts), then one validated
 * line per row. Import is all or nothing: the preview lists every row's problems, and nothing is
 * added while any row is wrong. It reads the CSV export (BOM, the headers and labels people see),
 * the export's older form (snake_case headers, codes) and what people type, so a file exported
 * can be imported again.
 */
import { currentFinancialYear, parseFinancialYears } from './financialYears.ts'
import { CsvError, readCsv, readCsvTable } from './csv.ts'
import { parseMoney } from './money.ts'
import { choiceError, POT_FIELD_NAMES, readChoice, unprotectCell } from './potCells.ts'
import {
  DEFAULT_LINE,
  KIND_LABELS,
  MODE_LABELS,
  potLineFieldsSchema,
  type PotLineFields,
  STATUS_LABELS,
} from './pot.ts'

export { readCsv }

export const MAX_IMPORT_BYTES = 1024 * 1024
export const MAX_IMPORT_ROWS = 5000

/**
 * Header names accepted for each field (compared in lower case): the export's (the first), its
 * older snake_case names, and what people call them.
 */
const COLUMNS: Record<keyof PotLineFields, readonly string[]> = {
  partner: ['partner', 'organisation', 'partner organisation'],
  stream: ['funding stream', 'stream'],
  amount: ['amount (£)', 'amount_pounds', 'amount', 'amount (gbp)', 'amount £'],
  kind: ['kind'],
  kindDescription: ['what is given in kind', 'kind_description', 'description', 'in-kind description'],
  valuation: ['how it was valued', 'valuation', 'how valued'],
  mode: ['mode'],
  status: ['status'],
  years: ['financial years', 'years', 'year'],
  conditions: ['conditions and notes', 'conditions', 'notes'],
}

export interface ImportRow {
  /** The row's number as a spreadsheet shows it (the header is row 1; blank rows are not counted). */
  line: number
  fields: PotLineFields | null
  errors: string[]
}

export type ImportResult = { ok: false; fileError: string } | { ok: true; rows: ImportRow[]; valid: boolean }

/** A value written as its code ("in-kind") or its label ("In kind"), in any case; empty gives the default. */
const choice = <T extends string>(
  labels: Record<T, string>,
  raw: string,
  what: string,
  fallback: T,
): [T, string | null] => {
  if (raw.trim() === '') return [fallback, null]
  const found = readChoice(labels, raw)
  return found ? [found, null] : [fallback, choiceError(labels, what, raw)]
}

/**
 * `now`: the day of the import, whose UK financial year a line without years gets (as a line added
 * by hand does).
 */
export function parsePotCsv(text: string, now: Date = new Date()): ImportResult {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, fileError: 'The file is larger than 1 MB. Split it and import the parts.' }
  let table: ReturnType<typeof readCsvTable>
  try {
    table = readCsvTable(text)
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, fileError: error.message }
    throw error
  }
  const [header, ...body] = table.rows
  if (!header) return { ok: false, fileError: 'The file is empty.' }
  if (body.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      fileError: `The file has ${body.length} rows; at most ${MAX_IMPORT_ROWS} can be imported at once.`,
    }
  const names = header.map((h) => h.trim().toLowerCase())
  const index = {} as Record<keyof PotLineFields, number>
  for (const [field, aliases] of Object.entries(COLUMNS) as [keyof PotLineFields, readonly string[]][]) {
    index[field] = names.findIndex((n) => aliases.includes(n))
  }
  if (index.partner < 0 || index.amount < 0) {
    return {
      ok: false,
      fileError:
        'The first row must name the columns, with at least "Partner" and "Amount (£)" (as in a Commonpot CSV export).',
    }
  }
  const rows = body.map((cells, i): ImportRow => {
    const get = (field: keyof PotLineFields) =>
      index[field] >= 0 ? unprotectCell(cells[index[field]] ?? '').trim() : ''
    const errors: string[] = (table.rowProblems.get(i + 1) ?? []).map((p) => `The row cannot be read: ${p}`)
    const money = parseMoney(get('amount'))
    if (!money.ok) errors.push(`Amount: ${money.error}`)
    const [kind, kindError] = choice(KIND_LABELS, get('kind'), 'Kind', DEFAULT_LINE.kind)
    const [mode, modeError] = choice(MODE_LABELS, get('mode'), 'Mode', DEFAULT_LINE.mode)
    const [status, statusError] = choice(STATUS_LABELS, get('status'), 'Status', DEFAULT_LINE.status)
    for (const e of [kindError, modeError, statusError]) if (e) errors.push(e)
    // Years as the add form takes them; Excel turns "2026-27" into a date when it opens a CSV, and
    // such a cell is refused here, with how to write it, rather than stored as a month.
    const yearsCell = get('years')
    const years =
      yearsCell === '' ? { ok: true as const, years: currentFinancialYear(now) } : parseFinancialYears(yearsCell)
    if (!years.ok) errors.push(`${POT_FIELD_NAMES.years}: ${years.error} (not “${yearsCell.slice(0, 40)}”)`)
    const candidate = {
      partner: get('partner'),
      stream: get('stream'),
      amount: money.ok ? money.pence : 0,
      kind,
      kindDescription: get('kindDescription'),
      valuation: get('valuation'),
      mode,
      status,
      years: years.ok ? years.years : '',
      conditions: get('conditions'),
    }
    const parsed = potLineFieldsSchema.safeParse(candidate)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '') as keyof PotLineFields
        if (field === 'amount' && !money.ok) continue
        errors.push(field === 'partner' ? issue.message : `${POT_FIELD_NAMES[field] ?? field}: ${issue.message}`)
      }
    }
    return { line: i + 2, fields: errors.length === 0 && parsed.success ? parsed.data : null, errors }
  })
  return { ok: true, rows, valid: rows.length > 0 && rows.every((r) => r.errors.length === 0) }
}
