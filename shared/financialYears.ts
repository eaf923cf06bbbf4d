/**
 * UK financial years (1 April to 31 March), as public-sector finance writes them: "2026-27" for
 * April 2026 to March 2027, and a span as "2026-27 to 2028-29". A pot line's years say which
 * budgets a contribution comes out of, so a new line starts from the year the workshop is in (on
 * the Europe/London calendar) rather than a fixed year.
 */

const LONDON_YEAR_MONTH = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
})

/** The first calendar year of the financial year `when` falls in (2026 for 5 December 2026 or 31 March 2027). */
export function financialYearStart(when: Date): number {
  const parts = LONDON_YEAR_MONTH.formatToParts(when)
  const year = Number(parts.find((p) => p.type === 'year')?.value)
  const month = Number(parts.find((p) => p.type === 'month')?.value)
  return month >= 4 ? year : year - 1
}

/** "2026-27" for the financial year starting in April `start`. */
export const financialYearLabel = (start: number): string => `${start}-${String((start + 1) % 100).padStart(2, '0')}`

/** The financial year `when` falls in, as "2026-27". */
export const currentFinancialYear = (when: Date): string => financialYearLabel(financialYearStart(when))

/** The earliest and latest years a line may name: the programme's records go back to 2010. */
const EARLIEST = 2000
const LATEST = 2099

export type FinancialYearsResult =
  | { ok: true; years: string; start: number; end: number }
  | { ok: false; error: string }

const ONE_YEAR = /^(\d{4})\s*[-–—/]\s*(\d{2}|\d{4})$/

function oneYear(text: string): number | string {
  const match = ONE_YEAR.exec(text.trim())
  if (!match) return `Write a financial year as 2026-27`
  const start = Number(match[1])
  const endText = match[2]!
  const end = endText.length === 2 ? Math.floor(start / 100) * 100 + Number(endText) : Number(endText)
  const expected = start + 1
  if (end !== expected && !(endText.length === 2 && end + 100 === expected))
    return `A financial year runs from April to March of the next year: write ${financialYearLabel(start)}`
  if (start < EARLIEST || start > LATEST) return `Give a financial year between ${EARLIEST} and ${LATEST}`
  return start
}

/**
 * Reads what someone typed for a line's years: one financial year ("2026-27", "2026/27",
 * "2026–2027") or a span ("2026-27 to 2028-29"), written back in the standard form.
 */
export function parseFinancialYears(text: string): FinancialYearsResult {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, error: 'Enter the financial years, for example 2026-27' }
  const [from, to, ...rest] = trimmed.split(/\s+to\s+/i)
  if (rest.length > 0 || from === undefined) return { ok: false, error: 'Write a span as 2026-27 to 2028-29' }
  const start = oneYear(from)
  if (typeof start === 'string') return { ok: false, error: start }
  if (to === undefined) return { ok: true, years: financialYearLabel(start), start, end: start }
  const end = oneYear(to)
  if (typeof end === 'string') return { ok: false, error: end }
  if (end < start) return { ok: false, error: 'The span must end in the same or a later year than it starts' }
  const years = end === start ? financialYearLabel(start) : `${financialYearLabel(start)} to ${financialYearLabel(end)}`
  return { ok: true, years, start, end }
}
