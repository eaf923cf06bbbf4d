/**
 * What a pot cell's text means, one field at a time: how the grid reads a pasted or typed cell and
 * how the CSV import reads a column, so the same words are taken everywhere ("£1.2m", "In kind",
 * "2026/27"), and how a line's value is written back as text for copying out.
 */
import { parseFinancialYears } from './financialYears.ts'
import { formatMoney, parseMoney } from './money.ts'
import {
  KIND_LABELS,
  MODE_LABELS,
  type PotField,
  type PotLineFields,
  potLineFieldsSchema,
  STATUS_LABELS,
} from './pot.ts'

/** Each field by its column's name as the Pot view and the CSV export show it. */
export const POT_FIELD_NAMES: Record<PotField, string> = {
  partner: 'Partner',
  stream: 'Funding stream',
  amount: 'Amount',
  kind: 'Kind',
  kindDescription: 'What is given in kind',
  valuation: 'How it was valued',
  mode: 'Mode',
  status: 'Status',
  years: 'Financial years',
  conditions: 'Conditions and notes',
}

/** Undoes the CSV and copy guard against formulas (a leading apostrophe before = + - @). */
export const unprotectCell = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell)

/** A value written as its code ("in-kind") or its label ("In kind"), in any case; null when it is neither. */
export function readChoice<T extends string>(labels: Record<T, string>, raw: string): T | null {
  const typed = raw.trim().toLowerCase()
  const codes = Object.keys(labels) as T[]
  return (
    codes.find(
      (code) => code === typed.replace(/\s+/g, '-') || labels[code].toLowerCase() === typed.replace(/\s+/g, ' '),
    ) ?? null
  )
}

/** Why a choice was refused, naming what it may be. */
export const choiceError = <T extends string>(labels: Record<T, string>, what: string, raw: string): string =>
  `${what} must be one of ${(Object.keys(labels) as T[]).map((c) => labels[c]).join(', ')} (got "${raw.trim()}")`

const CHOICES = { kind: KIND_LABELS, mode: MODE_LABELS, status: STATUS_LABELS } as const

export type CellRead<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * Reads one cell's text as the value of `field`, validated as the document rules will check it
 * (lengths, a partner is required, amounts in whole pence from £0 to £100bn, financial years).
 */
export function readPotCell<F extends PotField>(field: F, raw: string): CellRead<PotLineFields[F]> {
  const text = unprotectCell(raw).trim()
  let value: unknown = text
  if (field === 'amount') {
    const money = parseMoney(text)
    if (!money.ok) return money
    value = money.pence
  } else if (field === 'kind' || field === 'mode' || field === 'status') {
    const labels: Record<string, string> = CHOICES[field as keyof typeof CHOICES]
    const found = readChoice(labels, text)
    if (found === null) return { ok: false, error: choiceError(labels, POT_FIELD_NAMES[field], text) }
    value = found
  } else if (field === 'years') {
    const years = parseFinancialYears(text)
    if (!years.ok) return { ok: false, error: years.error }
    value = years.years
  }
  const parsed = potLineFieldsSchema.shape[field].safeParse(value)
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'This value cannot be taken' }
  return { ok: true, value: parsed.data as PotLineFields[F] }
}

/** A line's value of `field` as the grid shows it and as it is copied out. */
export function potCellText(fields: PotLineFields, field: PotField): string {
  switch (field) {
    case 'amount':
      return formatMoney(fields.amount)
    case 'kind':
      return KIND_LABELS[fields.kind]
    case 'mode':
      return MODE_LABELS[fields.mode]
    case 'status':
      return STATUS_LABELS[fields.status]
    default:
      return fields[field]
  }
}
