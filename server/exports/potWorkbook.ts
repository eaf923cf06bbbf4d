/**
 * The pot as an Excel workbook, for partners' finance officers: one row per contribution line with
 * money as numbers in pounds (formatted £), the labels the workshop shows rather than codes, dates
 * as dates (Europe/London wall clock), totals as formulas; sheets by partner, by mode and by status,
 * and the ledger. Built with `exceljs` from the same `WorkshopExport` every other export reads.
 *
 * The summaries are formulas over the "Pot lines" sheet (SUMIFS, COUNTIFS, SUMPRODUCT), each with
 * its result computed here and cached in the file: a finance officer who corrects or adds a line in
 * their copy sees every summary follow, as they expect of a workbook, while a viewer that does not
 * recalculate (a mail preview, a phone) still shows the right figures.
 */
import type * as ExcelJS from 'exceljs'
import type { WorkshopExport } from '../../shared/export.ts'
import { ledgerAuthor, type LedgerEntry } from '../../shared/ledger.ts'
import {
  KIND_LABELS,
  MODE_LABELS,
  POT_MODES,
  POT_STATUSES,
  type PotLine,
  type PotStatus,
  STATUS_LABELS,
} from '../../shared/pot.ts'
import { CLAUSE_STATUS_LABELS, POSITION_LABELS } from '../../shared/protocol.ts'
import { ROLE_LABELS } from '../../shared/roles.ts'
import { sectionOfKey } from '../../shared/sections/registry.ts'
import { isKnownTime, londonWallClock } from './london.ts'
import { type ExportSource, sourceDescription } from './source.ts'

export interface PotWorkbookInput {
  data: WorkshopExport
  source: ExportSource
  /** When the file is made (ms). */
  now: number
}

export const MONEY_FORMAT = '£#,##0.00'
export const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm'
const PERCENT_FORMAT = '0.0%'

export const SHEETS = {
  lines: 'Pot lines',
  partner: 'By partner',
  mode: 'By mode',
  status: 'By status',
  ledger: 'Ledger',
  about: 'About',
} as const

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } }
const TOTAL_BORDER: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, bottom: { style: 'double' } }

interface Column {
  header: string
  /** Widest the column grows to fit its content, in characters. */
  maxWidth: number
  numFmt?: string
  wrap?: boolean
}

/** The lines sheet's columns; the formulas below find theirs by these letters. */
const LINE_COLUMNS = [
  { header: 'Partner', maxWidth: 36 },
  { header: 'Funding stream', maxWidth: 36 },
  { header: 'Amount', maxWidth: 18, numFmt: MONEY_FORMAT },
  { header: 'Kind', maxWidth: 10 },
  { header: 'Mode', maxWidth: 10 },
  { header: 'Status', maxWidth: 12 },
  { header: 'Years', maxWidth: 12 },
  { header: 'Conditions', maxWidth: 50, wrap: true },
  { header: 'In-kind description', maxWidth: 40, wrap: true },
  { header: 'Valuation', maxWidth: 40, wrap: true },
  { header: 'Proposed by', maxWidth: 24 },
  { header: 'Proposer’s organisation', maxWidth: 30 },
  { header: 'Added', maxWidth: 17, numFmt: DATE_TIME_FORMAT },
] as const satisfies readonly Column[]
const PARTNER_COL = 'A'
const AMOUNT_COL = 'C'
const MODE_COL = 'E'
const STATUS_COL = 'F'

const pounds = (pence: number): number => pence / 100
/** A string as a formula's text literal. */
const literal = (text: string): string => `"${text.replace(/"/g, '""')}"`

type CellValue = ExcelJS.CellValue

/** A sheet with a bold, shaded, frozen header row that prints at the top of every page. */
function sheetWithHeader(workbook: ExcelJS.Workbook, name: string, columns: readonly Column[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0, activeCell: 'A2' }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  })
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: Math.max(8, c.header.length + 2),
    style: {
      ...(c.numFmt ? { numFmt: c.numFmt } : {}),
      alignment: { vertical: 'top', wrapText: c.wrap === true },
    },
  }))
  const header = sheet.getRow(1)
  header.font = { bold: true }
  header.eachCell((cell, column) => {
    cell.fill = HEADER_FILL
    // Over numbers, the heading sits where the figures line up.
    const numeric = columns[column - 1]?.numFmt !== undefined && columns[column - 1]?.numFmt !== DATE_TIME_FORMAT
    cell.alignment = { vertical: 'middle', wrapText: true, horizontal: numeric ? 'right' : 'left' }
  })
  return sheet
}

/** Widens each column to its longest value, within its maximum; dates and money by their format. */
function fitColumns(sheet: ExcelJS.Worksheet, columns: readonly Column[]): void {
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1)
    let widest = c.header.length
    column.eachCell({ includeEmpty: false }, (cell, row) => {
      if (row === 1) return
      const value = cell.value
      let length = 0
      if (value instanceof Date) length = 16
      else if (typeof value === 'number')
        length = `£${value.toLocaleString('en-GB', { minimumFractionDigits: 2 })}`.length
      else if (typeof value === 'string') length = Math.max(...value.split('\n').map((l) => l.length))
      else if (value && typeof value === 'object' && 'result' in value && typeof value.result === 'number')
        length = `£${value.result.toLocaleString('en-GB', { minimumFractionDigits: 2 })}`.length
      widest = Math.max(widest, length)
    })
    column.width = Math.min(c.maxWidth, Math.max(8, widest + 2))
  })
}

/** A bold, ruled row at `number` (below a blank row, out of any filtered block). */
/** Points per line of 11-point text. */
const LINE_HEIGHT = 15

/** Lines `text` takes wrapped in a column `width` characters wide (a rough measure, erring tall). */
function wrappedLines(text: string, width: number): number {
  const perLine = Math.max(1, Math.floor(width) - 1)
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0)
}

/**
 * Rows tall enough for their wrapped cells: neither Excel nor LibreOffice grows a row for wrapped
 * text when it opens a file, so long conditions would otherwise be cut to their first line.
 */
function fitRowHeights(sheet: ExcelJS.Worksheet, from = 2): void {
  sheet.eachRow((row, number) => {
    if (number < from) return
    let lines = 1
    row.eachCell((cell, column) => {
      if (typeof cell.value !== 'string' || !cell.alignment?.wrapText) return
      lines = Math.max(lines, wrappedLines(cell.value, sheet.getColumn(column).width ?? 10))
    })
    if (lines > 1) row.height = lines * LINE_HEIGHT
  })
}

function totalRow(sheet: ExcelJS.Worksheet, number: number, values: CellValue[]): void {
  const row = sheet.getRow(number)
  row.values = values
  row.font = { bold: true }
  for (let column = 1; column <= values.length; column++) row.getCell(column).border = TOTAL_BORDER
}

/** The absolute range of one column of the lines sheet's data rows, for other sheets' formulas. */
function linesRange(column: string, lastRow: number): string {
  return `'${SHEETS.lines}'!$${column}$2:$${column}$${lastRow}`
}

function lineRow(line: PotLine): CellValue[] {
  return [
    line.partner,
    line.stream,
    pounds(line.amount),
    KIND_LABELS[line.kind],
    MODE_LABELS[line.mode],
    STATUS_LABELS[line.status],
    line.years,
    line.conditions,
    line.kindDescription,
    line.valuation,
    line.proposedBy.name,
    line.proposedBy.organisation,
    isKnownTime(line.createdAt) ? londonWallClock(line.createdAt) : null,
  ]
}

/** Sums in pence (exact), for the cached results. */
function sumPence(lines: readonly PotLine[], keep: (line: PotLine) => boolean): number {
  return lines.reduce((sum, line) => (keep(line) ? sum + line.amount : sum), 0)
}

const counts = (line: PotLine) => line.status !== 'withdrawn'

function linesSheet(workbook: ExcelJS.Workbook, lines: readonly PotLine[]): number {
  const sheet = sheetWithHeader(workbook, SHEETS.lines, LINE_COLUMNS)
  for (const line of lines) sheet.addRow(lineRow(line))
  // The data's last row; with no lines, the one empty row 2, so that every range stays valid.
  const lastRow = Math.max(lines.length + 1, 2)
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: LINE_COLUMNS.length } }
  // A blank row keeps the totals out of the filtered and sorted block.
  const amounts = `${AMOUNT_COL}2:${AMOUNT_COL}${lastRow}`
  totalRow(sheet, lastRow + 2, [
    'Total in the pot (withdrawn lines excluded)',
    null,
    {
      formula: `SUMIF(${STATUS_COL}2:${STATUS_COL}${lastRow},"<>${STATUS_LABELS.withdrawn}",${amounts})`,
      result: pounds(sumPence(lines, counts)),
    },
  ])
  totalRow(sheet, lastRow + 3, [
    'Total of all lines',
    null,
    { formula: `SUM(${amounts})`, result: pounds(sumPence(lines, () => true)) },
  ])
  fitColumns(sheet, LINE_COLUMNS)
  fitRowHeights(sheet)
  return lastRow
}

function partnerSheet(workbook: ExcelJS.Workbook, lines: readonly PotLine[], lastRow: number): void {
  const columns: Column[] = [
    { header: 'Partner', maxWidth: 40 },
    { header: 'Lines', maxWidth: 8 },
    { header: 'In the pot', maxWidth: 18, numFmt: MONEY_FORMAT },
    ...POT_STATUSES.map((s) => ({ header: STATUS_LABELS[s], maxWidth: 18, numFmt: MONEY_FORMAT })),
  ]
  const sheet = sheetWithHeader(workbook, SHEETS.partner, columns)
  const partners = [...new Set(lines.map((l) => l.partner))].sort((a, b) => a.localeCompare(b, 'en-GB'))
  const partnerRange = linesRange(PARTNER_COL, lastRow)
  const amountRange = linesRange(AMOUNT_COL, lastRow)
  const statusRange = linesRange(STATUS_COL, lastRow)
  partners.forEach((partner, i) => {
    const row = i + 2
    // EXACT, not SUMIFS: a partner's name is matched as written, never read as a wildcard (*, ?)
    // or a comparison (<, >, =), and "DWP" and "Dwp" stay the two partners the workshop shows.
    const mine = `EXACT(${partnerRange},$A${row})`
    const of = lines.filter((l) => l.partner === partner)
    sheet.addRow([
      partner,
      { formula: `SUMPRODUCT(--${mine})`, result: of.length },
      {
        formula: `SUMPRODUCT(${mine}*(${statusRange}<>${literal(STATUS_LABELS.withdrawn)})*${amountRange})`,
        result: pounds(sumPence(of, counts)),
      },
      ...POT_STATUSES.map((status: PotStatus) => ({
        formula: `SUMPRODUCT(${mine}*(${statusRange}=${literal(STATUS_LABELS[status])})*${amountRange})`,
        result: pounds(sumPence(of, (l) => l.status === status)),
      })),
    ])
  })
  const last = Math.max(partners.length + 1, 2)
  if (partners.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: last, column: columns.length } }
  const sumOf = (column: number, result: number) => {
    const letter = sheet.getColumn(column).letter
    return { formula: `SUM(${letter}2:${letter}${last})`, result }
  }
  totalRow(sheet, last + 2, [
    'Total',
    sumOf(2, lines.length),
    sumOf(3, pounds(sumPence(lines, counts))),
    ...POT_STATUSES.map((s, i) => sumOf(4 + i, pounds(sumPence(lines, (l) => l.status === s)))),
  ])
  fitColumns(sheet, columns)
}

function modeSheet(workbook: ExcelJS.Workbook, lines: readonly PotLine[], lastRow: number): void {
  const columns: Column[] = [
    { header: 'Mode', maxWidth: 12 },
    { header: 'Lines (not withdrawn)', maxWidth: 22 },
    { header: 'In the pot', maxWidth: 18, numFmt: MONEY_FORMAT },
    { header: 'Share of the pot', maxWidth: 16, numFmt: PERCENT_FORMAT },
  ]
  const sheet = sheetWithHeader(workbook, SHEETS.mode, columns)
  const modeRange = linesRange(MODE_COL, lastRow)
  const statusRange = linesRange(STATUS_COL, lastRow)
  const notWithdrawn = `${statusRange},${literal(`<>${STATUS_LABELS.withdrawn}`)}`
  const total = sumPence(lines, counts)
  const last = POT_MODES.length + 1
  const totalRowNumber = last + 2
  POT_MODES.forEach((mode, i) => {
    const row = i + 2
    const of = lines.filter((l) => l.mode === mode && counts(l))
    const pence = sumPence(of, () => true)
    sheet.addRow([
      MODE_LABELS[mode],
      { formula: `COUNTIFS(${modeRange},$A${row},${notWithdrawn})`, result: of.length },
      {
        formula: `SUMIFS(${linesRange(AMOUNT_COL, lastRow)},${modeRange},$A${row},${notWithdrawn})`,
        result: pounds(pence),
      },
      { formula: `IF($C$${totalRowNumber}=0,0,C${row}/$C$${totalRowNumber})`, result: total === 0 ? 0 : pence / total },
    ])
  })
  totalRow(sheet, totalRowNumber, [
    'Total',
    { formula: `SUM(B2:B${last})`, result: lines.filter(counts).length },
    { formula: `SUM(C2:C${last})`, result: pounds(total) },
    { formula: `SUM(D2:D${last})`, result: total === 0 ? 0 : 1 },
  ])
  fitColumns(sheet, columns)
}

function statusSheet(workbook: ExcelJS.Workbook, lines: readonly PotLine[], lastRow: number): void {
  const columns: Column[] = [
    { header: 'Status', maxWidth: 40 },
    { header: 'Lines', maxWidth: 8 },
    { header: 'Amount', maxWidth: 18, numFmt: MONEY_FORMAT },
    { header: 'Counts in the pot', maxWidth: 18 },
  ]
  const sheet = sheetWithHeader(workbook, SHEETS.status, columns)
  const statusRange = linesRange(STATUS_COL, lastRow)
  POT_STATUSES.forEach((status, i) => {
    const row = i + 2
    const of = lines.filter((l) => l.status === status)
    sheet.addRow([
      STATUS_LABELS[status],
      { formula: `COUNTIF(${statusRange},$A${row})`, result: of.length },
      {
        formula: `SUMIF(${statusRange},$A${row},${linesRange(AMOUNT_COL, lastRow)})`,
        result: pounds(sumPence(of, () => true)),
      },
      status === 'withdrawn' ? 'No' : 'Yes',
    ])
  })
  const last = POT_STATUSES.length + 1
  totalRow(sheet, last + 2, [
    'In the pot (withdrawn lines excluded)',
    { formula: `SUMIF(D2:D${last},"Yes",B2:B${last})`, result: lines.filter(counts).length },
    { formula: `SUMIF(D2:D${last},"Yes",C2:C${last})`, result: pounds(sumPence(lines, counts)) },
  ])
  totalRow(sheet, last + 3, [
    'All lines',
    { formula: `SUM(B2:B${last})`, result: lines.length },
    { formula: `SUM(C2:C${last})`, result: pounds(sumPence(lines, () => true)) },
  ])
  fitColumns(sheet, columns)
}

const ACTION_LABELS: Record<LedgerEntry['action'], string> = {
  created: 'Added',
  changed: 'Changed',
  deleted: 'Removed',
  restored: 'Restored',
  reopened: 'Reopened',
  started: 'Started',
  ended: 'Ended',
}

const MONEY_FIELDS = new Set(['amount', 'targetPot'])

/** A recorded value as the workshop shows it: money as money, codes as their labels. */
function ledgerValue(entry: LedgerEntry, value: LedgerEntry['from']): CellValue {
  if (value === null) return null
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'number')
    return entry.area === 'pot' && MONEY_FIELDS.has(entry.field ?? '') ? pounds(value) : value
  const labels: Record<string, string> =
    entry.area === 'pot'
      ? { ...STATUS_LABELS, ...MODE_LABELS, ...KIND_LABELS }
      : entry.area === 'protocol'
        ? { ...CLAUSE_STATUS_LABELS, ...POSITION_LABELS }
        : {}
  return labels[value] ?? value
}

function ledgerSheet(workbook: ExcelJS.Workbook, ledger: readonly LedgerEntry[]): void {
  const columns: Column[] = [
    { header: 'When', maxWidth: 17, numFmt: DATE_TIME_FORMAT },
    { header: 'Who', maxWidth: 24 },
    { header: 'Organisation', maxWidth: 30 },
    { header: 'Through link', maxWidth: 34 },
    { header: 'Section', maxWidth: 12 },
    { header: 'Item', maxWidth: 40 },
    { header: 'Action', maxWidth: 10 },
    { header: 'Field', maxWidth: 16 },
    { header: 'From', maxWidth: 30 },
    { header: 'To', maxWidth: 30 },
    { header: 'Entry hash', maxWidth: 20 },
  ]
  const sheet = sheetWithHeader(workbook, SHEETS.ledger, columns)
  for (const entry of ledger) {
    const { name, organisation } = ledgerAuthor(entry)
    const link = entry.link
      ? `${ROLE_LABELS[entry.link.role]}${entry.link.organisation ? ` for ${entry.link.organisation}` : ''}`
      : null
    const row = sheet.addRow([
      isKnownTime(entry.at) ? londonWallClock(entry.at) : null,
      name,
      organisation,
      link,
      entry.area === 'workshop' ? 'Workshop' : (sectionOfKey(entry.area)?.label ?? entry.area),
      entry.label,
      ACTION_LABELS[entry.action],
      entry.field,
      ledgerValue(entry, entry.from),
      ledgerValue(entry, entry.to),
      entry.hash ?? null,
    ])
    for (const column of [9, 10]) {
      const cell = row.getCell(column)
      if (typeof cell.value === 'number' && entry.area === 'pot' && MONEY_FIELDS.has(entry.field ?? ''))
        cell.numFmt = MONEY_FORMAT
    }
  }
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(ledger.length + 1, 2), column: columns.length },
  }
  fitColumns(sheet, columns)
}

function aboutSheet(workbook: ExcelJS.Workbook, { data, source, now }: PotWorkbookInput): void {
  const sheet = workbook.addWorksheet(SHEETS.about, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  })
  sheet.columns = [{ width: 22 }, { width: 70 }]
  const total = sumPence(data.pot.lines, counts)
  const rows: CellValue[][] = [
    ['Workshop', data.meta.title || 'Workshop'],
    ['Content', sourceDescription(source)],
    ...(source.kind === 'snapshot' ? [['Snapshot SHA-256', source.sha256]] : []),
    ['Made', londonWallClock(now)],
    ['Total in the pot', pounds(total)],
    ['Target', data.meta.targetPot === null ? 'No target set' : pounds(data.meta.targetPot)],
    ['Contribution lines', data.pot.lines.length],
    ['Currency', 'Pounds sterling (GBP). Times are Europe/London.'],
    [
      'How to read it',
      'Withdrawn lines count under their status only, never in the pot. The sheets By partner, By mode and By status are formulas over Pot lines: change a line there and they follow. The Ledger lists every recorded change, oldest first.',
    ],
  ]
  for (const values of rows) {
    const row = sheet.addRow(values)
    row.getCell(1).font = { bold: true }
    row.getCell(1).alignment = { vertical: 'top' }
    row.getCell(2).alignment = { wrapText: true, vertical: 'top', horizontal: 'left' }
    const value = row.getCell(2).value
    if (value instanceof Date) row.getCell(2).numFmt = DATE_TIME_FORMAT
    else if (typeof value === 'number' && values[0] !== 'Contribution lines') row.getCell(2).numFmt = MONEY_FORMAT
  }
  fitRowHeights(sheet, 1)
}

/** The pot as an .xlsx file. */
export async function potWorkbook(input: PotWorkbookInput): Promise<Buffer> {
  const { data, source, now } = input
  // Loaded on first use: exceljs takes about half a second to load, which no server start should wait for.
  const { Workbook } = (await import('exceljs')).default
  const workbook = new Workbook()
  const title = data.meta.title || 'Workshop'
  workbook.title = `${title}: virtual pot`
  workbook.subject = sourceDescription(source)
  workbook.description = 'The virtual pot of a Commonpot workshop: contribution lines, summaries and the ledger.'
  workbook.creator = 'Commonpot'
  workbook.lastModifiedBy = 'Commonpot'
  workbook.keywords = 'Commonpot, pot, pooled budget'
  workbook.created = new Date(now)
  workbook.modified = new Date(now)
  // Excel recalculates on opening; the cached results are for viewers that never do.
  workbook.calcProperties.fullCalcOnLoad = true
  const lines = data.pot.lines
  const lastRow = linesSheet(workbook, lines)
  partnerSheet(workbook, lines, lastRow)
  modeSheet(workbook, lines, lastRow)
  statusSheet(workbook, lines, lastRow)
  ledgerSheet(workbook, data.ledger)
  aboutSheet(workbook, input)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
