/**
 * The Word and Excel builders (server/exports/) on their own: London wall-clock dates in summer,
 * an empty workshop (no clauses, no lines, no receipts) still gives files that open with every
 * range valid, and nested lists keep their levels.
 */
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { agreementDocx } from '../../server/exports/agreementDocx.ts'
import { londonWallClock } from '../../server/exports/london.ts'
import { potWorkbook } from '../../server/exports/potWorkbook.ts'
import { sourceFileName } from '../../server/exports/source.ts'
import { buildExport } from '../../shared/export.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { initialiseWorkshop } from '../../shared/schema.ts'
import { writeRichBody } from '../helpers/richBody.ts'

const key = {
  keyId: '0123456789abcdef',
  publicKey: 'A'.repeat(43),
  url: 'https://commonpot.example.org/api/signing-key',
}
const actor = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }

function emptyWorkshop(): Y.Doc {
  const doc = new Y.Doc()
  initialiseWorkshop(doc, { title: 'Empty', createdAt: 1 })
  return doc
}

describe('London wall clock for spreadsheet dates', () => {
  it('writes summer times an hour ahead of UTC and winter times as UTC', () => {
    expect(londonWallClock(Date.UTC(2026, 6, 1, 13, 5, 7, 250)).toISOString()).toBe('2026-07-01T14:05:07.250Z')
    expect(londonWallClock(Date.UTC(2026, 11, 1, 13, 5)).toISOString()).toBe('2026-12-01T13:05:00.000Z')
    // Just after the clocks go forward (01:00 UTC, last Sunday of March).
    expect(londonWallClock(Date.UTC(2026, 2, 29, 1, 30)).toISOString()).toBe('2026-03-29T02:30:00.000Z')
  })
})

describe('file names', () => {
  it('name the snapshot and its own date', () => {
    const source = {
      kind: 'snapshot' as const,
      id: 'x',
      name: 'Before lunch',
      sha256: 'f'.repeat(64),
      createdAt: Date.UTC(2026, 6, 1, 23, 30),
    }
    // 23:30 UTC on 1 July is 00:30 on 2 July in London.
    expect(sourceFileName('Pooling: Swindon', 'pot', source, 'xlsx')).toBe(
      'Pooling Swindon-snapshot Before lunch pot-2026-07-02.xlsx',
    )
    expect(sourceFileName('Pooling', 'agreement', { kind: 'live', at: Date.UTC(2026, 0, 5) }, 'docx')).toBe(
      'Pooling-agreement-2026-01-05.docx',
    )
  })
})

describe('an empty workshop', () => {
  it('gives a workbook with zero totals and valid ranges', async () => {
    const data = buildExport(emptyWorkshop())
    const bytes = await potWorkbook({ data, source: { kind: 'live', at: Date.now() }, now: Date.now() })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer)
    const lines = workbook.getWorksheet('Pot lines')!
    const formulas: string[] = []
    for (const sheet of workbook.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.formula) formulas.push(cell.formula)
        }),
      )
    expect(formulas.length).toBeGreaterThan(0)
    // No range runs backwards (C2:C1) or into the header.
    for (const formula of formulas)
      for (const [, from, to] of formula.matchAll(/\$?[A-Z]+\$?(\d+):\$?[A-Z]+\$?(\d+)/g))
        expect(Number(from), formula).toBeLessThanOrEqual(Number(to))
    expect(lines.getCell('C5').formula).toBe('SUM(C2:C2)')
  })

  it('gives an agreement that says there is nothing yet', async () => {
    const data = buildExport(emptyWorkshop())
    const bytes = await agreementDocx({ data, source: { kind: 'live', at: Date.now() }, key, now: Date.now() })
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')
    expect(xml).toContain('The protocol has no clauses yet.')
    expect(xml).toContain('No clause has been agreed and signed yet.')
  })
})

describe('clause text in Word', () => {
  it('keeps nested lists at their level, each list numbered on its own', async () => {
    const doc = emptyWorkshop()
    const id = addClause(doc, 'Nested', [], actor, 1)
    writeRichBody(clauseBody(doc, id)!, [
      {
        type: 'list',
        ordered: true,
        items: [
          [
            { type: 'paragraph', runs: [{ text: 'Outer one' }] },
            { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'Inner one' }] }]] },
          ],
          [{ type: 'paragraph', runs: [{ text: 'Outer two' }] }],
        ],
      },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'Another list' }] }]] },
    ])
    const data = buildExport(doc)
    const bytes = await agreementDocx({ data, source: { kind: 'live', at: 1 }, key, now: 1 })
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')
    const list = (text: string) => {
      const p = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([m]) => m).find((m) => m.includes(`>${text}<`))!
      return { level: /<w:ilvl w:val="(\d)"/.exec(p)?.[1], id: /<w:numId w:val="(\d+)"/.exec(p)?.[1] }
    }
    expect(list('Outer one').level).toBe('0')
    expect(list('Inner one').level).toBe('1')
    expect(list('Outer two')).toEqual(list('Outer one'))
    // A second list starts again from 1: a list of its own.
    expect(list('Another list').id).not.toBe(list('Outer one').id)
  })
})
