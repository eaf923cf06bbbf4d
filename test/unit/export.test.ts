import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildExport, exportToMarkdown } from '../../shared/export.ts'
import { readCsv, writeCsv } from '../../shared/csv.ts'
import { csvOf } from '../../shared/exportCsv.ts'
import { addPotLine, DEFAULT_LINE, setTargetPot } from '../../shared/pot.ts'
import { initialiseWorkshop } from '../../shared/schema.ts'
import { recorded } from '../helpers/serverLedger.ts'

const actor = { userId: 'u', name: 'Amira Khan', organisation: 'DWP' }

describe('exports', () => {
  it('neutralises spreadsheet formulas and quotes what needs quoting', () => {
    const cells = [
      '=HYPERLINK("http://x")',
      '+44 20',
      '-1',
      '@SUM(A1)',
      '=1+1\nsecond line',
      'Kent, Medway',
      'plain',
      1200000,
      null,
    ]
    const csv = writeCsv(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'], [cells])
    expect(csv.startsWith('\uFEFFA,B,C,D,E,F,G,H,I\r\n')).toBe(true)
    expect(csv.split('\r\n')[1]).toBe(
      `"'=HYPERLINK(""http://x"")","'+44 20","'-1","'@SUM(A1)","'=1+1\nsecond line","Kent, Medway",plain,1200000,`,
    )
    expect(readCsv(csv)).toEqual([
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'],
      [
        `'=HYPERLINK("http://x")`,
        "'+44 20",
        "'-1",
        "'@SUM(A1)",
        "'=1+1\nsecond line",
        'Kent, Medway',
        'plain',
        '1200000',
        '',
      ],
    ])
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
      '\uFEFFPartner,Funding stream,Amount (£),Kind,What is given in kind,How it was valued,Mode,Status,Financial years,Conditions and notes,Proposed by,Proposed by (organisation),Added',
    )
    expect(csv[1]).toBe(
      `DWP,Work Programme,1200000,Cash,,,Pooled,Proposed,2011-12,"'=cmd|calc",Amira Khan,DWP,1970-01-01 01:00`,
    )
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
    expect(data.schemaVersion).toBe(1)
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
