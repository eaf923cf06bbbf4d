/**
 * CSV import of contribution lines: a strict RFC 4180 reader, then one validated line per row.
 * Import is all or nothing: the preview lists every row's problems, and nothing is added while
 * any row is wrong. The columns are those of the CSV export, so an export can be imported again.
 */
import { parseMoney } from './money.ts'
import { DEFAULT_LINE, POT_KINDS, POT_MODES, POT_STATUSES, potLineFieldsSchema, type PotLineFields } from './pot.ts'

export const MAX_IMPORT_BYTES = 1024 * 1024
export const MAX_IMPORT_ROWS = 5000

/** Splits CSV text into rows of cells; throws with the line number on an unterminated quote. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let quoteStartLine = 1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        cell += c
      }
    } else if (c === '"' && cell === '') {
      quoted = true
      quoteStartLine = line
    } else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      line++
    } else cell += c
  }
  if (quoted) throw new Error(`A quoted cell that starts on line ${quoteStartLine} is never closed.`)
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''))
}

/** Header names accepted for each field (lower case); the first is what the export writes. */
const COLUMNS: Record<keyof PotLineFields, readonly string[]> = {
  partner: ['partner', 'organisation', 'partner organisation'],
  stream: ['stream', 'funding stream'],
  amount: ['amount_pounds', 'amount'],
  kind: ['kind'],
  kindDescription: ['kind_description', 'description'],
  valuation: ['valuation', 'how valued'],
  mode: ['mode'],
  status: ['status'],
  years: ['years', 'financial years', 'year'],
  conditions: ['conditions', 'notes', 'conditions and notes'],
}

export interface ImportRow {
  /** Line number in the file (the header is line 1). */
  line: number
  fields: PotLineFields | null
  errors: string[]
}

export type ImportResult = { ok: false; fileError: string } | { ok: true; rows: ImportRow[]; valid: boolean }

/** Undoes the export's protection of formula-like cells (a leading apostrophe). */
const unprotect = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell)

const choice = <T extends string>(
  allowed: readonly T[],
  raw: string,
  what: string,
  fallback: T,
): [T, string | null] => {
  const value = raw.trim().toLowerCase().replace(/\s+/g, '-') as T
  if (raw.trim() === '') return [fallback, null]
  return allowed.includes(value)
    ? [value, null]
    : [fallback, `${what} must be one of ${allowed.join(', ')} (got "${raw.trim()}")`]
}

export function parsePotCsv(text: string): ImportResult {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, fileError: 'The file is larger than 1 MB. Split it and import the parts.' }
  let table: string[][]
  try {
    table = readCsv(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return { ok: false, fileError: error instanceof Error ? error.message : String(error) }
  }
  const [header, ...body] = table
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
        'The first row must name the columns, with at least "partner" and "amount" (as in a Commonpot CSV export).',
    }
  }
  const rows = body.map((cells, i): ImportRow => {
    const get = (field: keyof PotLineFields) => (index[field] >= 0 ? unprotect(cells[index[field]] ?? '').trim() : '')
    const errors: string[] = []
    const money = parseMoney(get('amount'))
    if (!money.ok) errors.push(`Amount: ${money.error}`)
    const [kind, kindError] = choice(POT_KINDS, get('kind'), 'Kind', DEFAULT_LINE.kind)
    const [mode, modeError] = choice(POT_MODES, get('mode'), 'Mode', DEFAULT_LINE.mode)
    const [status, statusError] = choice(POT_STATUSES, get('status'), 'Status', DEFAULT_LINE.status)
    for (const e of [kindError, modeError, statusError]) if (e) errors.push(e)
    const candidate = {
      partner: get('partner'),
      stream: get('stream'),
      amount: money.ok ? money.pence : 0,
      kind,
      kindDescription: get('kindDescription'),
      valuation: get('valuation'),
      mode,
      status,
      years: get('years') || DEFAULT_LINE.years,
      conditions: get('conditions'),
    }
    const parsed = potLineFieldsSchema.safeParse(candidate)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '')
        if (field === 'amount' && !money.ok) continue
        errors.push(field === 'partner' ? issue.message : `${field}: ${issue.message}`)
      }
    }
    return { line: i + 2, fields: errors.length === 0 && parsed.success ? parsed.data : null, errors }
  })
  return { ok: true, rows, valid: rows.length > 0 && rows.every((r) => r.errors.length === 0) }
}
