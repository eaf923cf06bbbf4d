/**
 * Money as officials type it and read it. Amounts are always an integer number of pence: floats
 * cannot represent most decimal fractions, so '1.005m' or '£0.10' would drift by a penny somewhere.
 * Parsing therefore works on the decimal digits as text and scales them with BigInt.
 *
 * Pure and isomorphic: used by both the client (inputs, labels) and the server (validation).
 */

/** £100bn: far above any Community Budget, and still a safe integer in pence (1e13 < 2^53). */
export const MAX_PENCE: number = 100_000_000_000 * 100

export type MoneyParse = { ok: true; pence: number } | { ok: false; error: string }

const EMPTY_ERROR = 'Enter an amount, for example £1.2m or 250k'
const NEGATIVE_ERROR = 'The amount cannot be negative'
const TOO_LARGE_ERROR = 'The amount cannot be more than £100bn'
const DECIMALS_ERROR = 'Pence can have at most 2 decimal places'
const malformedError = (trimmed: string) => `Not an amount: "${trimmed}". Try £1.2m, 250k or 1,500,000`

/** Powers of ten from the typed unit to pence. */
const SUFFIX_SHIFT: Record<string, number> = {
  '': 2,
  k: 5,
  thousand: 5,
  m: 8,
  million: 8,
  b: 11,
  bn: 11,
  billion: 11,
}

/*
 * One separator style per number: '1,200,000' or '1 200 000' (the space form is what people copy from
 * printed budgets), never mixed, and every group after the first exactly three digits, so that a
 * European decimal comma ('1,5m') is refused rather than silently read as 15m.
 */
const AMOUNT = /^£? ?(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?(?:\.(\d+))? ?(k|m|bn|b|thousand|million|billion)?$/i

type CoreResult = { ok: true; pence: number } | { ok: false; malformed: boolean; error: string }

function parseUnsigned(text: string, trimmed: string): CoreResult {
  const match = AMOUNT.exec(text)
  const whole = match?.[1]
  const fraction = match?.[2] ?? ''
  if (!match || (whole === undefined && fraction === '')) {
    return { ok: false, malformed: true, error: malformedError(trimmed) }
  }
  const suffix = (match[3] ?? '').toLowerCase()
  const shift = SUFFIX_SHIFT[suffix]
  if (shift === undefined) return { ok: false, malformed: true, error: malformedError(trimmed) }
  // Without a suffix the decimals are pence, and a third decimal place is a typo, not a rounding job.
  if (suffix === '' && fraction.length > 2) return { ok: false, malformed: false, error: DECIMALS_ERROR }

  const digits = BigInt((whole ?? '0').replace(/[, ]/g, '') + fraction)
  let pence: bigint
  if (shift >= fraction.length) {
    pence = digits * 10n ** BigInt(shift - fraction.length)
  } else {
    // Round half up to the nearest penny: '0.000005k' is exactly half a penny and becomes 1p.
    const divisor = 10n ** BigInt(fraction.length - shift)
    pence = digits / divisor
    if ((digits % divisor) * 2n >= divisor) pence += 1n
  }
  // Compare as BigInt: a long string of digits would lose precision (and the bound) as a Number.
  if (pence > BigInt(MAX_PENCE)) return { ok: false, malformed: false, error: TOO_LARGE_ERROR }
  return { ok: true, pence: Number(pence) }
}

/**
 * Parses what officials type: '£1.2m', '1.2m', '250k', '250K', '1,500,000', '£60,000', '3.5bn',
 * '£2.50', '0', '£ 1 200', '1.5 million', '2 billion', '40 thousand', '£1,234.56'.
 * Suffixes k / m / bn / b (billion) and the words thousand / million / billion, in any case.
 * Amounts with a suffix may have any number of decimals and are rounded half up to whole pence.
 */
export function parseMoney(input: string): MoneyParse {
  const trimmed = input.trim()
  if (trimmed === '') return { ok: false, error: EMPTY_ERROR }
  // Any run of whitespace (including the no-break and thin spaces that spreadsheets paste) is one space.
  const text = trimmed.replace(/\s+/g, ' ')

  // Accounts write negatives as '(£5)'; people type '-5', '£-5', or paste a Unicode minus or en dash.
  const parenthesised = /^\( ?(.*?) ?\)$/.exec(text)
  const minus = /^(£ ?)?[-\u2212\u2013] ?(.*)$/.exec(text)
  const unsigned = parenthesised ? (parenthesised[1] ?? '') : minus ? `${minus[1] ?? ''}${minus[2] ?? ''}` : undefined
  if (unsigned !== undefined) {
    // Only call it negative when the rest is recognisably an amount; '-abc' is simply not an amount.
    const rest = parseUnsigned(unsigned, trimmed)
    if (!rest.ok && rest.malformed) return { ok: false, error: malformedError(trimmed) }
    return { ok: false, error: NEGATIVE_ERROR }
  }

  const result = parseUnsigned(text, trimmed)
  return result.ok ? result : { ok: false, error: result.error }
}

function assertPence(pence: number): void {
  // A fractional or non-finite value is a bug upstream; showing it rounded would hide that bug.
  if (!Number.isSafeInteger(pence)) throw new RangeError(`Money must be a whole number of pence, got ${pence}`)
}

/** Thousands separators by hand rather than Intl, so output never depends on the runtime's locale data. */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',')
}

/**
 * '£1,200,000', '£2.50', '£0', '£0.01'. Pence are shown only when the amount is not whole pounds.
 * Negative amounts never come out of parseMoney, but are shown as '-£5' rather than garbled.
 * Throws a RangeError when given anything other than a safe integer.
 */
export function formatMoney(pence: number): string {
  assertPence(pence)
  const sign = pence < 0 ? '-' : ''
  const abs = Math.abs(pence)
  const pounds = Math.floor(abs / 100)
  const rest = abs % 100
  const decimals = rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`
  return `${sign}£${groupThousands(pounds)}${decimals}`
}

const COMPACT_UNITS = [
  { suffix: 'bn', pence: 100_000_000_000 },
  { suffix: 'm', pence: 100_000_000 },
  { suffix: 'k', pence: 100_000 },
] as const

/**
 * '£1.2m', '£250k', '£3.5bn', '£1.25m', '£1m', '£60k'; below £1,000 the same as formatMoney ('£950').
 * At most two decimals of the unit, rounded half up, trailing zeros dropped. An amount that rounds up
 * to 1,000 of a unit moves to the next one: £999,999 shows as '£1m', not '£1000k' (but £999,000 stays
 * '£999k'). Throws a RangeError like formatMoney.
 */
export function formatMoneyCompact(pence: number): string {
  assertPence(pence)
  const index = COMPACT_UNITS.findIndex((unit) => Math.abs(pence) >= unit.pence)
  let unit = COMPACT_UNITS[index]
  // Under £1,000 nothing is rounded, so the exact amount is as short as any compact form.
  if (!unit) return formatMoney(pence)
  const abs = Math.abs(pence)
  let hundredths = hundredthsOf(abs, unit.pence)
  const larger = COMPACT_UNITS[index - 1]
  if (hundredths >= 100_000 && larger) {
    unit = larger
    hundredths = hundredthsOf(abs, unit.pence)
  }
  const whole = Math.floor(hundredths / 100)
  const fraction = hundredths % 100
  const decimals = fraction === 0 ? '' : `.${String(fraction).padStart(2, '0').replace(/0$/, '')}`
  return `${pence < 0 ? '-' : ''}£${groupThousands(whole)}${decimals}${unit.suffix}`
}

/**
 * abs / unit in hundredths, rounded half up. Dividing by a hundredth of the unit (itself a whole
 * number of pence) keeps every step exact, where abs * 100 / unit could leave the safe integers.
 */
function hundredthsOf(abs: number, unitPence: number): number {
  const step = unitPence / 100
  const quotient = Math.floor(abs / step)
  return abs % step >= step / 2 ? quotient + 1 : quotient
}
