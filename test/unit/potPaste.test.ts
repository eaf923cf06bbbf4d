import { describe, expect, it } from 'vitest'
import { readTsv, writeTsv } from '../../shared/csv.ts'
import type { PotLine } from '../../shared/pot.ts'
import { potCellText, readPotCell } from '../../shared/potCells.ts'
import { planPotPaste } from '../../shared/potPaste.ts'

const line = (id: string, partner: string, amount: number): PotLine => ({
  id,
  partner,
  stream: '',
  amount,
  kind: 'cash',
  kindDescription: '',
  valuation: '',
  mode: 'pooled',
  status: 'proposed',
  years: '2026-27',
  conditions: '',
  proposedBy: { userId: 'u', name: 'Kim Kent', organisation: 'Swindon Borough Council' },
  createdAt: 0,
  lastEdits: {},
})
const lines = [line('a', 'DWP', 100_00), line('b', 'DH', 200_00), line('c', 'DfE', 300_00)]
const now = new Date('2026-12-05T12:00:00Z')

describe('a block pasted from a spreadsheet', () => {
  it('reads what Excel puts on the clipboard: tabs, CRLF, a trailing break, quoted cells with breaks', () => {
    expect(readTsv('£1m\tCash\r\n250k\tIn kind\r\n')).toEqual([
      ['£1m', 'Cash'],
      ['250k', 'In kind'],
    ])
    expect(readTsv('"two\nlines"\tx\r\nshort\r\n')).toEqual([
      ['two\nlines', 'x'],
      ['short', ''],
    ])
    expect(readTsv('')).toEqual([['']])
  })

  it('writes TSV a spreadsheet reads back the same, guarding formulas', () => {
    const text = writeTsv([
      ['£1,500,000', 'a\tb'],
      ['=SUM(A1)', 'plain'],
    ])
    expect(text).toBe('£1,500,000\t"a\tb"\r\n"\'=SUM(A1)"\tplain')
    expect(readTsv(text)).toEqual([
      ['£1,500,000', 'a\tb'],
      ["'=SUM(A1)", 'plain'],
    ])
    expect(readPotCell('conditions', "'=SUM(A1)")).toEqual({ ok: true, value: '=SUM(A1)' })
  })

  it('reads each field as people write it, and says why a cell cannot be taken', () => {
    expect(readPotCell('amount', '£1.2m')).toEqual({ ok: true, value: 120_000_000 })
    expect(readPotCell('kind', 'in kind')).toEqual({ ok: true, value: 'in-kind' })
    expect(readPotCell('status', 'AGREED')).toEqual({ ok: true, value: 'agreed' })
    expect(readPotCell('years', '2026/27')).toEqual({ ok: true, value: '2026-27' })
    expect(readPotCell('partner', '  ')).toMatchObject({ ok: false, error: 'Enter the partner organisation' })
    expect(readPotCell('mode', 'shared')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Pooled, Aligned'),
    })
    expect(potCellText(lines[0]!, 'amount')).toBe('£100')
  })

  it('changes the lines it covers and adds rows past the last, all in one plan', () => {
    const result = planPotPaste({
      block: readTsv('£1m\tAgreed\r\n£2m\tProposed\r\n£3m\tOffered\r\n'),
      lines: lines.slice(0, 2),
      startRow: 0,
      fields: ['amount', 'status'],
      defaultPartner: 'Police',
      now,
    })
    expect(result).toEqual({
      ok: true,
      plan: {
        rows: 3,
        columns: 2,
        updates: [
          { lineId: 'a', patch: { amount: 1_000_000_00, status: 'agreed' } },
          // "Proposed" is what the line already says: only the amount changes.
          { lineId: 'b', patch: { amount: 2_000_000_00 } },
        ],
        additions: [
          expect.objectContaining({ partner: 'Police', amount: 3_000_000_00, status: 'offered', years: '2026-27' }),
        ],
      },
    })
  })

  it('changes nothing when one cell is bad, and names every bad cell', () => {
    const result = planPotPaste({
      block: readTsv('£1m\tCash\r\nlots\tCash\r\n£3m\tgold\r\n'),
      lines,
      startRow: 0,
      fields: ['amount', 'kind', 'mode'],
      defaultPartner: 'Police',
      now,
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => [p.row, p.column, p.lineId, p.field])).toEqual([
      [1, 0, 'b', 'amount'],
      [2, 1, 'c', 'kind'],
    ])
    expect(result.problems[1]!.message).toBe('Kind: Kind must be one of Cash, In kind (got "gold")')
  })

  it('refuses a block wider than the columns to its right, and a new row without an amount', () => {
    const wide = planPotPaste({
      block: [['a', 'b', 'c']],
      lines,
      startRow: 0,
      fields: ['status', 'years'],
      defaultPartner: 'x',
      now,
    })
    expect(wide).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('3 columns wide') }] })
    const noAmount = planPotPaste({
      block: [['Aligned']],
      lines,
      startRow: 3,
      fields: ['mode'],
      defaultPartner: 'x',
      now,
    })
    expect(noAmount).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('needs an amount') }] })
  })
})
