import { describe, expect, it } from 'vitest'
import { MAX_PENCE, formatMoney, formatMoneyCompact, parseMoney } from '../../shared/money.ts'

const malformed = (trimmed: string) => `Not an amount: "${trimmed}". Try £1.2m, 250k or 1,500,000`

describe('parseMoney: what officials type', () => {
  // Expected values are written as pounds * 100 so that a misplaced zero in a table row is visible.
  const valid: [input: string, pence: number][] = [
    ['£1.2m', 1_200_000 * 100],
    ['1.2m', 1_200_000 * 100],
    ['1.2M', 1_200_000 * 100],
    ['250k', 250_000 * 100],
    ['250K', 250_000 * 100],
    ['1,500,000', 1_500_000 * 100],
    ['£60,000', 60_000 * 100],
    ['3.5bn', 3_500_000_000 * 100],
    ['3.5BN', 3_500_000_000 * 100],
    ['3.5Bn', 3_500_000_000 * 100],
    ['2b', 2_000_000_000 * 100],
    ['2B', 2_000_000_000 * 100],
    ['£2.50', 250],
    ['£2.5', 250],
    ['0', 0],
    ['£0', 0],
    ['0.00', 0],
    ['£0.01', 1],
    ['£ 1 200', 1_200 * 100],
    ['1 200 000', 1_200_000 * 100],
    ['1.5 million', 1_500_000 * 100],
    ['1.5 Million', 1_500_000 * 100],
    ['2 billion', 2_000_000_000 * 100],
    ['2 BILLION', 2_000_000_000 * 100],
    ['40 thousand', 40_000 * 100],
    ['£1,234.56', 123_456],
    ['£1,200,000.00', 1_200_000 * 100],
    ['£1.2 m', 1_200_000 * 100],
    ['1,500k', 1_500_000 * 100],
    ['.5m', 500_000 * 100],
    ['1234567', 1_234_567 * 100],
    ['007', 7 * 100],
    // The exact failure a float multiply would give (1.005 * 1e8 = 100499999.99999999).
    ['1.005m', 100_500_000],
    ['1.2345m', 1_234_500 * 100],
    ['0.1k', 10_000],
    // Whitespace pasted from spreadsheets and documents: surrounding, no-break and thin spaces.
    ['  £250k  ', 250_000 * 100],
    ['£\u00a01\u00a0200', 1_200 * 100],
    ['1\u202f200\u202f000', 1_200_000 * 100],
    ['\t40   thousand\n', 40_000 * 100],
  ]
  it.each(valid)('%j is %d pence', (input, pence) => {
    expect(parseMoney(input)).toEqual({ ok: true, pence })
  })
})

describe('parseMoney: rounding to whole pence', () => {
  const cases: [input: string, pence: number][] = [
    // 0.000005k is exactly half a penny: half rounds up, just under half rounds down.
    ['0.000005k', 1],
    ['0.0000049k', 0],
    ['0.000015k', 2],
    ['1.234567k', 123_457],
    ['1.234564k', 123_456],
    ['1.234567891m', 123_456_789],
    ['1.234567895m', 123_456_790],
    ['1.99999999999m', 200_000_000],
    ['1.2345678912345bn', 123_456_789_123],
    // Many more digits than a double holds: only string arithmetic gets the last penny right.
    ['0.12345678901234567890123bn', 12_345_678_901],
  ]
  it.each(cases)('%j rounds to %d pence', (input, pence) => {
    expect(parseMoney(input)).toEqual({ ok: true, pence })
  })
})

describe('parseMoney: the £100bn ceiling', () => {
  it('is 1e13 pence and still a safe integer', () => {
    expect(MAX_PENCE).toBe(10_000_000_000_000)
    expect(Number.isSafeInteger(MAX_PENCE)).toBe(true)
  })

  const allowed = [
    '100bn',
    '£100bn',
    '100 billion',
    '100b',
    '100,000m',
    '100000000k',
    '£100,000,000,000',
    '£100,000,000,000.00',
  ]
  it.each(allowed)('allows exactly £100bn written as %j', (input) => {
    expect(parseMoney(input)).toEqual({ ok: true, pence: MAX_PENCE })
  })

  // Rounding happens before the check, so a sliver above £100bn that rounds to it is accepted.
  it('compares after rounding to whole pence', () => {
    expect(parseMoney('100.0000000000049bn')).toEqual({ ok: true, pence: MAX_PENCE })
    expect(parseMoney('100.000000000005bn')).toEqual({ ok: false, error: 'The amount cannot be more than £100bn' })
  })

  const tooLarge = [
    '£100,000,000,000.01',
    '100.01bn',
    '101bn',
    '100001m',
    '1000000000000',
    '99999999999999999999999999',
    '1000 billion',
  ]
  it.each(tooLarge)('refuses %j', (input) => {
    expect(parseMoney(input)).toEqual({ ok: false, error: 'The amount cannot be more than £100bn' })
  })
})

describe('parseMoney: errors', () => {
  it.each(['', '   ', '\t\n'])('asks for an amount when given %j', (input) => {
    expect(parseMoney(input)).toEqual({ ok: false, error: 'Enter an amount, for example £1.2m or 250k' })
  })

  // Accounts write negatives in brackets, and people paste Unicode minus signs and en dashes.
  const negative = [
    '-5',
    '-£5',
    '£-5',
    '£ -5',
    '- 250k',
    '(5)',
    '(£1.2m)',
    '( 250k )',
    '\u22125',
    '\u2013£5',
    '-0',
    '-£1.234',
    '-200bn',
  ]
  it.each(negative)('refuses the negative %j', (input) => {
    expect(parseMoney(input)).toEqual({ ok: false, error: 'The amount cannot be negative' })
  })

  const notAnAmount = [
    'abc',
    '1.2.3',
    '£',
    'm5',
    'k',
    '£k',
    '.',
    '5.',
    '1,2,3,4',
    '1,234,56',
    '12,34',
    '1234,567',
    '1,234 567',
    '1 2',
    '1,5m',
    '1.2mm',
    '1.2 kb',
    '£1.2m.',
    '+5',
    '$5',
    '5£',
    '£ £5',
    '1e6',
    '0x10',
    'Infinity',
    'NaN',
    '1.2 millions',
    'five',
    // A minus in front does not make garbage negative, and brackets around nothing are not an amount.
    '-abc',
    '--5',
    '-(5)',
    '()',
  ]
  it.each(notAnAmount)('refuses %j as not an amount', (input) => {
    expect(parseMoney(input)).toEqual({ ok: false, error: malformed(input) })
  })

  it('quotes the trimmed input, not the normalised one', () => {
    expect(parseMoney('  1  ,2  ')).toEqual({ ok: false, error: malformed('1  ,2') })
  })

  const tooPrecise = ['£1.234', '1.234', '£0.001', '£1,234.567', '2.500']
  it.each(tooPrecise)('refuses %j, which has more than 2 decimal places of pounds', (input) => {
    expect(parseMoney(input)).toEqual({ ok: false, error: 'Pence can have at most 2 decimal places' })
  })
})

describe('formatMoney', () => {
  const cases: [pence: number, text: string][] = [
    [0, '£0'],
    [1, '£0.01'],
    [10, '£0.10'],
    [99, '£0.99'],
    [100, '£1'],
    [250, '£2.50'],
    [95_000, '£950'],
    [100_000, '£1,000'],
    [123_456, '£1,234.56'],
    [6_000_000, '£60,000'],
    [120_000_000, '£1,200,000'],
    [120_000_001, '£1,200,000.01'],
    [MAX_PENCE, '£100,000,000,000'],
    [-500, '-£5'],
    [-250, '-£2.50'],
  ]
  it.each(cases)('formats %d pence as %j', (pence, text) => {
    expect(formatMoney(pence)).toBe(text)
  })

  // Money is whole pence by construction; a float reaching here is a bug that rounding would hide.
  it.each([0.5, 1.005, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'throws on %d, which is not a safe integer of pence',
    (value) => {
      expect(() => formatMoney(value)).toThrow(RangeError)
      expect(() => formatMoneyCompact(value)).toThrow(RangeError)
    },
  )
})

describe('formatMoneyCompact', () => {
  const cases: [pence: number, text: string][] = [
    [0, '£0'],
    [1, '£0.01'],
    [250, '£2.50'],
    [95_000, '£950'],
    // Below £1,000 the exact amount is already short, so nothing is rounded away.
    [99_500, '£995'],
    [99_999, '£999.99'],
    [100_000, '£1k'],
    [150_000, '£1.5k'],
    [123_456, '£1.23k'],
    [6_000_000, '£60k'],
    [25_000_000, '£250k'],
    [99_900_000, '£999k'],
    [99_999_499, '£999.99k'],
    // £999,999 is 999.999k; it must move up a unit instead of showing '£1000k'.
    [99_999_900, '£1m'],
    [100_000_000, '£1m'],
    [105_000_000, '£1.05m'],
    [120_000_000, '£1.2m'],
    [125_000_000, '£1.25m'],
    [124_500_000, '£1.25m'],
    [124_499_999, '£1.24m'],
    [350_000_000_000, '£3.5bn'],
    [99_999_999_900, '£1bn'],
    [MAX_PENCE, '£100bn'],
    // Beyond the ceiling there is no larger unit, so billions are grouped like any other number.
    [123_400_000_000_000, '£1,234bn'],
    [-120_000_000, '-£1.2m'],
    [-95_000, '-£950'],
  ]
  it.each(cases)('formats %d pence as %j', (pence, text) => {
    expect(formatMoneyCompact(pence)).toBe(text)
  })
})

/**
 * Deterministic pseudo-random pence values (Knuth's MMIX LCG, so failures reproduce), spread over
 * every order of magnitude: a uniform draw up to £100bn would almost never produce pence-only or
 * five-figure amounts, which are where grouping and decimal bugs hide.
 */
function samplePence(count: number): number[] {
  let state = 0x2545f4914f6cdd1dn
  const next = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn
    return state >> 11n
  }
  const values = [0, 1, 99, 100, MAX_PENCE, MAX_PENCE - 1]
  while (values.length < count) {
    const digits = 1n + (next() % 13n)
    values.push(Number(next() % 10n ** digits))
  }
  return values
}

describe('round trips', () => {
  const values = samplePence(400)

  it('covers small and large amounts alike', () => {
    expect(values.some((p) => p < 100)).toBe(true)
    expect(values.some((p) => p > 100_000_000_000)).toBe(true)
    expect(values.every((p) => Number.isSafeInteger(p) && p >= 0 && p <= MAX_PENCE)).toBe(true)
  })

  it('parseMoney(formatMoney(p)) is p', () => {
    for (const pence of values) {
      expect(parseMoney(formatMoney(pence)), formatMoney(pence)).toEqual({ ok: true, pence })
    }
  })

  // The compact form is lossy by design; what it must not do is drift by more than its last digit.
  it('parseMoney(formatMoneyCompact(p)) is within half a hundredth of the shown unit', () => {
    for (const pence of values) {
      const text = formatMoneyCompact(pence)
      const parsed = parseMoney(text)
      if (!parsed.ok) throw new Error(`${text} did not parse: ${parsed.error}`)
      const unit = text.endsWith('bn')
        ? 100_000_000_000
        : text.endsWith('m')
          ? 100_000_000
          : text.endsWith('k')
            ? 100_000
            : 100
      const tolerance = unit === 100 ? 0 : unit / 200
      expect(Math.abs(parsed.pence - pence), `${pence} shown as ${text}`).toBeLessThanOrEqual(tolerance)
    }
  })
})
