/**
 * node --import tsx test/bench/officeExportsBench.ts [--no-append] [--out DIR]: how long the server
 * takes to make the Word agreement and the Excel workbook (server/exports/) for a realistic room —
 * 50 formatted clauses with six organisations' positions and their signed receipts, 500 pot lines
 * and a ledger of about 1,500 entries — and how large the files are. Appends its figures to
 * docs/benchmarks.md; with --out, also writes the two files there (to open or render them).
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { agreementDocx } from '../../server/exports/agreementDocx.ts'
import { potWorkbook } from '../../server/exports/potWorkbook.ts'
import { buildExport } from '../../shared/export.ts'
import { appendLedger, ledgerEntry } from '../../shared/ledger.ts'
import { addPotLine, DEFAULT_LINE, POT_KINDS, POT_MODES, POT_STATUSES, readPotLines } from '../../shared/pot.ts'
import { addClause, clauseBody, proposeClause, readClauses, statePosition } from '../../shared/protocol.ts'
import { receiptContentFor, receiptSigningBytes, signingKeyId, toBase64url } from '../../shared/receipts.ts'
import type { RichBlock } from '../../shared/richText.ts'
import { getReceiptsArray, initialiseWorkshop, recordMember } from '../../shared/schema.ts'
import { writeRichBody } from '../helpers/richBody.ts'
import { publishReport } from './report.ts'

const CLAUSES = 50
const LINES = 500
const ORGANISATIONS = [
  'Swindon Borough Council',
  'DWP',
  'Department for Education',
  'Wiltshire Police',
  'NHS Swindon CCG',
  'Café Zoë Community Trust',
]
const START = Date.UTC(2026, 5, 15, 9, 0)

const words =
  'the partners will pool their budgets for families with multiple problems and report to the board each quarter on outcomes'.split(
    ' ',
  )
const sentence = (seed: number, length = 40) =>
  `${Array.from({ length }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ')}.`

function clauseBlocks(i: number): RichBlock[] {
  return [
    {
      type: 'paragraph',
      runs: [
        { text: 'Commitment. ', bold: true },
        { text: sentence(i) },
        { text: ' as set out in ', italic: true },
        { text: 'the Treasury guidance', link: 'https://www.gov.uk/government/publications/managing-public-money' },
        { text: '.' },
      ],
    },
    { type: 'heading', level: 3, runs: [{ text: 'Conditions' }] },
    {
      type: 'list',
      ordered: true,
      items: [
        [{ type: 'paragraph', runs: [{ text: sentence(i + 1, 12) }] }],
        [
          { type: 'paragraph', runs: [{ text: sentence(i + 2, 12) }] },
          {
            type: 'list',
            ordered: false,
            items: [
              [{ type: 'paragraph', runs: [{ text: sentence(i + 3, 8) }] }],
              [{ type: 'paragraph', runs: [{ text: sentence(i + 4, 8) }] }],
            ],
          },
        ],
        [{ type: 'paragraph', runs: [{ text: sentence(i + 5, 12), bold: true }] }],
      ],
    },
    { type: 'paragraph', runs: [{ text: sentence(i + 6, 30) }] },
  ]
}

/** A room as a long workshop leaves it. */
function realisticRoom(): Y.Doc {
  const doc = new Y.Doc()
  initialiseWorkshop(doc, { title: 'Swindon families: agreeing the virtual pot', createdAt: START })
  const people = ORGANISATIONS.map((organisation, i) => ({ userId: `u${i}`, name: `Person ${i + 1}`, organisation }))
  people.forEach((p, i) =>
    recordMember(
      doc,
      p.userId,
      { name: p.name, organisation: p.organisation, role: i === 0 ? 'facilitator' : 'participant' },
      START,
    ),
  )
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const key = { keyId: signingKeyId(raw), publicKey: toBase64url(raw) }
  let now = START
  for (let i = 0; i < CLAUSES; i++) {
    const id = addClause(doc, `Clause on pooling ${i + 1}`, [], people[0]!, (now += 60_000))
    writeRichBody(clauseBody(doc, id)!, clauseBlocks(i))
    if (i % 10 === 9) continue // a few drafts
    proposeClause(doc, id, people[0]!, (now += 60_000))
    const agree = i % 10 < 7
    people.forEach((p, k) => {
      if (!agree && k === 1)
        statePosition(
          doc,
          id,
          p.organisation,
          'block',
          'Cannot pool this money under current rules',
          p,
          (now += 60_000),
          'link',
        )
      else statePosition(doc, id, p.organisation, 'agree', '', p, (now += 60_000), k === 5 ? 'on-behalf' : 'link')
    })
    if (readClauses(doc).find((c) => c.id === id)?.status === 'agreed') {
      const content = receiptContentFor(
        doc,
        {
          id: `r${i}`,
          kind: 'clause',
          clauseIds: [id],
          roomId: 'bench',
          issuedAt: now,
          ledgerHead: 'a'.repeat(64),
          markedBy: null,
        },
        key,
      )!
      getReceiptsArray(doc).push([
        { ...content, signature: toBase64url(sign(null, receiptSigningBytes(content), privateKey)) },
      ])
    }
  }
  for (let i = 0; i < LINES; i++) {
    addPotLine(
      doc,
      {
        ...DEFAULT_LINE,
        partner: ORGANISATIONS[i % ORGANISATIONS.length]!,
        stream: `Funding stream ${i % 11}`,
        amount: 1_000_00 * ((i % 97) + 1) + (i % 100),
        kind: POT_KINDS[i % 4 === 0 ? 1 : 0]!,
        kindDescription: i % 4 === 0 ? 'Two family workers seconded' : '',
        mode: POT_MODES[i % 2]!,
        status: POT_STATUSES[i % 5]!,
        years: '2027-28',
        conditions: i % 3 === 0 ? sentence(i, 20) : '',
      },
      people[i % people.length]!,
      (now += 60_000),
    )
  }
  const entries = readPotLines(doc).flatMap((line, i) => [
    ledgerEntry('pot', people[i % 6]!, line.createdAt, line.id, line.partner, 'created', 'amount', null, line.amount),
    ledgerEntry(
      'pot',
      people[i % 6]!,
      line.createdAt + 1,
      line.id,
      line.partner,
      'changed',
      'status',
      'proposed',
      line.status,
    ),
    ledgerEntry(
      'pot',
      people[i % 6]!,
      line.createdAt + 2,
      line.id,
      line.partner,
      'changed',
      'amount',
      line.amount - 100_00,
      line.amount,
    ),
  ])
  appendLedger(doc, entries)
  return doc
}

async function measure(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(runs / 2)]!, p95: times[Math.min(runs - 1, Math.floor(runs * 0.95))]! }
}

const doc = realisticRoom()
const data = buildExport(doc)
const now = Date.now()
const source = { kind: 'live' as const, at: now }
const key = {
  keyId: data.receipts[0]!.keyId,
  publicKey: data.receipts[0]!.publicKey,
  url: 'https://commonpot.example.org/api/signing-key',
}
const docx = await agreementDocx({ data, source, key, now })
const xlsx = await potWorkbook({ data, source, now })
const out = process.argv.indexOf('--out')
if (out > 0) {
  const dir = process.argv[out + 1]!
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'agreement.docx'), docx)
  fs.writeFileSync(path.join(dir, 'pot.xlsx'), xlsx)
}
const exportTime = await measure(10, async () => buildExport(doc))
const docxTime = await measure(10, () => agreementDocx({ data, source, key, now }))
const xlsxTime = await measure(10, () => potWorkbook({ data, source, now }))
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
const rows = [
  `| build the export (JSON) from the document | ${exportTime.median.toFixed(0)} | ${exportTime.p95.toFixed(0)} | |`,
  `| Word agreement (.docx) | ${docxTime.median.toFixed(0)} | ${docxTime.p95.toFixed(0)} | ${kib(docx.length)} |`,
  `| Excel workbook (.xlsx) | ${xlsxTime.median.toFixed(0)} | ${xlsxTime.p95.toFixed(0)} | ${kib(xlsx.length)} |`,
]
const report = `\n## Word and Excel exports (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, shared 2-core machine)\n\n${CLAUSES} formatted clauses (six organisations' positions, ${data.receipts.length} signed receipts), ${data.pot.lines.length} pot lines, ${data.ledger.length} ledger entries; 10 runs after 2 warm-ups, in one process (exceljs loaded before timing); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores when it ended (other work on the machine slows every figure).\n\n| operation | median ms | p95 ms | file size |\n|---|---|---|---|\n${rows.join('\n')}\n`
publishReport(report)
