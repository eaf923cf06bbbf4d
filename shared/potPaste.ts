/**
 * Pasting a block of cells into the pot grid, as from Excel or Sheets: the block is laid over the
 * shown lines from the cell pasted into, rightwards over the shown columns and downwards over the
 * shown lines, with rows past the last line added as new lines. Every cell is read first; if any
 * cannot be taken, nothing is changed and each bad cell is reported, so a paste never half-applies.
 */
import { currentFinancialYear } from './financialYears.ts'
import { DEFAULT_LINE, type PotField, type PotLine, type PotLineFields, potLineFieldsSchema } from './pot.ts'
import { POT_FIELD_NAMES, readPotCell } from './potCells.ts'

/** The most rows one paste may change or add (as many as one CSV import). */
export const MAX_PASTE_ROWS = 5000

export interface PasteProblem {
  /** Row and column within the block, from 0; null where the problem is the block's or the row's as a whole. */
  row: number | null
  column: number | null
  /** The line the cell falls on, or null for a row that would have been added. */
  lineId: string | null
  field: PotField | null
  message: string
}

export interface PastePlan {
  updates: { lineId: string; patch: Partial<PotLineFields> }[]
  additions: PotLineFields[]
  /** Cells the block covers, for the message after pasting. */
  rows: number
  columns: number
}

export type PasteResult = { ok: true; plan: PastePlan } | { ok: false; problems: PasteProblem[] }

export interface PasteTarget {
  /** The block, as readTsv gives it. */
  block: readonly (readonly string[])[]
  /** The lines in the order the grid shows them. */
  lines: readonly PotLine[]
  /** The row pasted into: an index in `lines`, or `lines.length` for the row below the last. */
  startRow: number
  /** The shown columns from the one pasted into, in order. */
  fields: readonly PotField[]
  /** The partner of an added line when the block gives none (the person's organisation). */
  defaultPartner: string
  now: Date
}

export function planPotPaste({ block, lines, startRow, fields, defaultPartner, now }: PasteTarget): PasteResult {
  const width = block[0]?.length ?? 0
  const problem = (message: string): PasteResult => ({
    ok: false,
    problems: [{ row: null, column: null, lineId: null, field: null, message }],
  })
  if (width === 0) return problem('There is nothing to paste.')
  if (width > fields.length) {
    const where = fields.length === 1 ? 'one column' : `${fields.length} columns`
    return problem(
      `The block is ${width} columns wide, but there ${fields.length === 1 ? 'is' : 'are'} only ${where} from here to the right. Paste it further left, or show more columns.`,
    )
  }
  if (block.length > MAX_PASTE_ROWS) return problem(`At most ${MAX_PASTE_ROWS} rows can be pasted at once.`)

  const problems: PasteProblem[] = []
  const updates: PastePlan['updates'] = []
  const additions: PotLineFields[] = []
  block.forEach((cells, row) => {
    const line = lines[startRow + row]
    const values: Partial<PotLineFields> = {}
    cells.forEach((text, column) => {
      const field = fields[column]!
      // An empty cell over an existing line leaves a value that cannot be empty as it was.
      if (line && text.trim() === '' && !['stream', 'kindDescription', 'valuation', 'conditions'].includes(field))
        return
      const read = readPotCell(field, text)
      if (read.ok) Object.assign(values, { [field]: read.value })
      else
        problems.push({
          row,
          column,
          lineId: line?.id ?? null,
          field,
          message: `${POT_FIELD_NAMES[field]}: ${read.error}`,
        })
    })
    if (line) {
      const patch = Object.fromEntries(
        Object.entries(values).filter(([field, value]) => line[field as PotField] !== value),
      ) as Partial<PotLineFields>
      if (Object.keys(patch).length > 0) updates.push({ lineId: line.id, patch })
      return
    }
    const candidate = {
      ...DEFAULT_LINE,
      years: currentFinancialYear(now),
      partner: defaultPartner,
      ...values,
    }
    if (!fields.slice(0, width).includes('amount'))
      problems.push({
        row,
        column: null,
        lineId: null,
        field: null,
        message: 'A new line needs an amount: paste rows below the last line with the Amount column in them.',
      })
    const parsed = potLineFieldsSchema.safeParse(candidate)
    if (parsed.success) additions.push(parsed.data)
    else if (!problems.some((p) => p.row === row))
      problems.push({ row, column: null, lineId: null, field: null, message: parsed.error.issues[0]?.message ?? '' })
  })
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, plan: { updates, additions, rows: block.length, columns: width } }
}
