import { describe, expect, it } from 'vitest'
import { currentFinancialYear, financialYearStart, parseFinancialYears } from '../../shared/financialYears.ts'

describe('UK financial years', () => {
  it('turn over on 1 April in London, not in UTC', () => {
    expect(currentFinancialYear(new Date('2026-12-05T12:00:00Z'))).toBe('2026-27')
    expect(currentFinancialYear(new Date('2027-03-31T22:59:59Z'))).toBe('2026-27') // 23:59 BST on 31 March
    expect(currentFinancialYear(new Date('2027-03-31T23:00:00Z'))).toBe('2027-28') // 00:00 BST on 1 April
    expect(financialYearStart(new Date('2000-01-15T00:00:00Z'))).toBe(1999)
    expect(currentFinancialYear(new Date('2099-06-01T00:00:00Z'))).toBe('2099-00')
  })

  it('read what finance officers type, in the standard form', () => {
    const read = (text: string) => {
      const r = parseFinancialYears(text)
      return r.ok ? r.years : `error: ${r.error}`
    }
    expect(read('2026-27')).toBe('2026-27')
    expect(read(' 2026/27 ')).toBe('2026-27')
    expect(read('2026–2027')).toBe('2026-27')
    expect(read('2026-27 to 2028-29')).toBe('2026-27 to 2028-29')
    expect(read('2026/27 TO 2026/27')).toBe('2026-27')
    expect(read('2011-12')).toBe('2011-12')
    expect(read('1999-00')).toMatch(/^error: Give a financial year between 2000 and 2099/)
    expect(read('2099-00')).toBe('2099-00')
  })

  it('refuse what is not a financial year, saying how to write one', () => {
    const error = (text: string) => {
      const r = parseFinancialYears(text)
      return r.ok ? null : r.error
    }
    expect(error('')).toBe('Enter the financial years, for example 2026-27')
    expect(error('next year')).toBe('Write a financial year as 2026-27')
    expect(error('2026-28')).toBe('A financial year runs from April to March of the next year: write 2026-27')
    expect(error('2028-29 to 2026-27')).toBe('The span must end in the same or a later year than it starts')
    expect(error('2026-27 to 2027-28 to 2028-29')).toBe('Write a span as 2026-27 to 2028-29')
  })
})
