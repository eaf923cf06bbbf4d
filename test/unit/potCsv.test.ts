import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildExport } from '../../shared/export.ts'
import { csvOf } from '../../shared/exportCsv.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { parsePotCsv, readCsv } from '../../shared/potCsv.ts'

describe('reading CSV', () => {
  it('handles quotes, doubled quotes, commas and line breaks inside quotes, CRLF and blank lines', () => {
    expect(readCsv('a,b\r\n"x, y","say ""hi"""\n\n"two\nlines",3\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', '3'],
    ])
  })

  it('says where an unterminated quote starts', () => {
    expect(() => readCsv('partner,amount\n"DWP,1\n')).toThrow('A quoted cell that starts on line 2 is never closed.')
  })
})

describe('importing contribution lines', () => {
  it('reads what people type, with defaults for missing columns', () => {
    // A line without years gets the financial year of the day it is imported, as one added by hand.
    const result = parsePotCsv(
      'Partner,Funding stream,Amount,Mode,Status\nDWP,Work Programme,£1.2m,aligned,Offered\nPolice,,250k,,\n',
      new Date('2026-12-05T12:00:00Z'),
    )
    expect(result).toMatchObject({ ok: true, valid: true })
    if (!result.ok) return
    expect(result.rows.map((r) => r.fields)).toEqual([
      {
        ...DEFAULT_LINE,
        partner: 'DWP',
        stream: 'Work Programme',
        amount: 120_000_000,
        mode: 'aligned',
        status: 'offered',
        years: '2026-27',
      },
      { ...DEFAULT_LINE, partner: 'Police', amount: 25_000_000, years: '2026-27' },
    ])
  })

  it('lists every problem of every row with its line number, and is not valid while any row is wrong', () => {
    const result = parsePotCsv(
      'partner,amount,kind,status\nDWP,lots,cash,offered\n,5,gift,maybe\nKent County Council,-3,,\nHull City Council,10,,\n',
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.valid).toBe(false)
    expect(result.rows.map((r) => [r.line, r.errors])).toEqual([
      [2, ['Amount: Not an amount: "lots". Try £1.2m, 250k or 1,500,000']],
      [
        3,
        [
          'Kind must be one of Cash, In kind (got "gift")',
          'Status must be one of Proposed, Offered, Agreed, Committed, Withdrawn (got "maybe")',
          'Enter the partner organisation',
        ],
      ],
      [4, ['Amount: The amount cannot be negative']],
      [5, []],
    ])
  })

  it('refuses files without the needed columns, too large or empty, saying why', () => {
    expect(parsePotCsv('name,value\nx,1\n')).toEqual({
      ok: false,
      fileError: expect.stringContaining('at least "Partner" and "Amount (£)"'),
    })
    expect(parsePotCsv('')).toEqual({ ok: false, fileError: 'The file is empty.' })
    expect(parsePotCsv('x'.repeat(1024 * 1024 + 1))).toMatchObject({
      ok: false,
      fileError: expect.stringContaining('larger than 1 MB'),
    })
  })

  it('imports its own export back, formula protection and all', () => {
    const doc = new Y.Doc()
    const actor = { userId: 'u', name: 'A', organisation: 'B' }
    const original = {
      ...DEFAULT_LINE,
      partner: 'DWP',
      stream: 'ESF, families',
      amount: 95_000_050,
      kind: 'in-kind' as const,
      kindDescription: '=2 staff',
      mode: 'aligned' as const,
      status: 'agreed' as const,
      years: '2026-27 to 2027-28',
      conditions: 'Line one\nline two',
    }
    addPotLine(doc, original, actor, 1)
    const result = parsePotCsv(csvOf(buildExport(doc), 'pot'))
    expect(result).toMatchObject({ ok: true, valid: true })
    if (result.ok) expect(result.rows[0]!.fields).toEqual(original)
  })

  it('reads the export as it was before (snake_case headers, codes, pounds with two decimals)', () => {
    const old =
      'partner,stream,amount_pounds,kind,kind_description,valuation,mode,status,years,conditions,proposed_by,proposed_by_organisation\r\n' +
      `DWP,Work Programme,1200000.00,in-kind,2 staff,,aligned,committed,2012-13,"'=cmd|calc",Amira Khan,DWP\r\n`
    const result = parsePotCsv(old)
    expect(result).toMatchObject({ ok: true, valid: true })
    if (result.ok)
      expect(result.rows[0]!.fields).toEqual({
        ...DEFAULT_LINE,
        partner: 'DWP',
        stream: 'Work Programme',
        amount: 120_000_000,
        kind: 'in-kind',
        kindDescription: '2 staff',
        mode: 'aligned',
        status: 'committed',
        years: '2012-13',
        conditions: '=cmd|calc',
      })
  })

  it('reads the export now: BOM, the headers and labels people see, pounds as numbers', () => {
    const now =
      '\uFEFFPartner,Funding stream,Amount (£),Kind,What is given in kind,How it was valued,Mode,Status,Financial years,Conditions and notes,Proposed by,Proposed by (organisation),Added\r\n' +
      'Café Zoë — Hull,Youth offending,25.5,In kind,Rooms,Market rent,Aligned,Agreed,2012-13,,Zoë,Hull,2026-07-01 10:00\r\n'
    const result = parsePotCsv(now)
    expect(result).toMatchObject({ ok: true, valid: true })
    if (result.ok)
      expect(result.rows[0]!.fields).toEqual({
        ...DEFAULT_LINE,
        partner: 'Café Zoë — Hull',
        stream: 'Youth offending',
        amount: 2_550,
        kind: 'in-kind',
        kindDescription: 'Rooms',
        valuation: 'Market rent',
        mode: 'aligned',
        status: 'agreed',
        years: '2012-13',
      })
  })

  it('gives a row with a stray quote its own message, by its row number, and still reads the others', () => {
    // The stray quote runs the cell on to the next quote, taking Kent's row with it: flagged, not lost.
    const result = parsePotCsv('Partner,Amount (£)\r\n,,\r\nDWP,5\r\n"Hull" City,7\r\nKent,"9"\r\nEssex,11\r\n')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.valid).toBe(false)
    expect(result.rows.map((r) => [r.line, r.errors])).toEqual([
      [2, []],
      [
        3,
        [
          'The row cannot be read: a quoted cell has text after its closing quote, so it runs on past where it should end',
          'Amount: Enter an amount, for example £1.2m or 250k',
        ],
      ],
      [4, []],
    ])
  })

  it('refuses years Excel turned into a date, saying how to write them', () => {
    const result = parsePotCsv('Partner,Amount (£),Financial years\nDWP,5,Dec-11\nPolice,6,2011/12\n')
    expect(result).toMatchObject({ ok: true, valid: false })
    if (!result.ok) return
    expect(result.rows[0]!.errors).toEqual(['Financial years: Write a financial year as 2026-27 (not “Dec-11”)'])
    expect(result.rows[1]!.fields?.years).toBe('2011-12')
  })
})
