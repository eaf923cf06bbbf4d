import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildExport, exportToMarkdown } from '../../shared/export.ts'
import { csvCell, csvOf } from '../../shared/exportCsv.ts'
import { addPotLine, DEFAULT_LINE, setTargetPot } from '../../shared/pot.ts'
import { initialiseWorkshop } from '../../shared/schema.ts'
import { recorded } from '../helpers/serverLedger.ts'

const actor = { userId: 'u', name: 'Amira Khan', organisation: 'DWP' }

describe('exports', () => {
  it('neutralises spreadsheet formulas and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+44 20')).toBe(`"'+44 20"`)
    expect(csvCell('-1')).toBe(`"'-1"`)
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`)
    expect(csvCell('Kent, Medway')).toBe('"Kent, Medway"')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(1200000)).toBe('1200000')
  })

  it('writes the pot as CSV in pounds, one row a line', () => {
    const doc = new Y.Doc()
    addPotLine(
      doc,
      {
        ...DEFAULT_LINE,
        years: '2011-12',
        partner: 'DWP',
        stream: 'Work Programme',
        amount: 120_000_000,
        conditions: '=cmd|calc',
      },
      actor,
      1,
    )
    const csv = csvOf(buildExport(doc), 'pot').split('\r\n')
    expect(csv[0]).toBe(
      'partner,stream,amount_pounds,kind,kind_description,valuation,mode,status,years,conditions,proposed_by,proposed_by_organisation',
    )
    expect(csv[1]).toBe(`DWP,Work Programme,1200000.00,cash,,,pooled,proposed,2011-12,"'=cmd|calc",Amira Khan,DWP`)
  })

  it('builds a JSON export and a Markdown summary with totals and target', () => {
    const doc = new Y.Doc()
    initialiseWorkshop(doc, { title: 'Essex | pot', createdAt: 5 })
    // The ledger entries are the server's (as it records these two edits).
    recorded(doc, actor, 1, (d) =>
      addPotLine(
        d,
        { ...DEFAULT_LINE, years: '2011-12', partner: 'Police', amount: 25_000_000, status: 'agreed' },
        actor,
        1,
      ),
    )
    recorded(doc, actor, 2, (d) => setTargetPot(d, 100_000_000, actor, 2))
    const data = buildExport(doc)
    expect(data.meta).toEqual({ title: 'Essex | pot', createdAt: 5, targetPot: 100_000_000 })
    expect(data.pot.totals).toMatchObject({ total: 25_000_000, byPartner: { Police: 25_000_000 } })
    expect(data.ledger.map((e) => [e.area, e.action, e.field])).toEqual([
      ['pot', 'created', 'amount'],
      ['pot', 'changed', 'targetPot'],
    ])
    const markdown = exportToMarkdown(data)
    expect(markdown).toContain('# Essex \\| pot')
    expect(markdown).toContain('Total: **£250,000** of a target of £1,000,000')
    expect(markdown).toContain('| Police |  | £250,000 | Cash | Pooled | Agreed | 2011-12 |  |')
  })
})
