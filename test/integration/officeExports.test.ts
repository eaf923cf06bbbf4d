/**
 * The Word agreement and the Excel workbook through the real server (issue #19, point 3), for the
 * live workshop and a snapshot, read as their readers would: the workbook opened with exceljs
 * (money as numbers formatted in pounds, labels rather than codes, dates as dates, totals as
 * formulas whose cached results are the sums, the summary and ledger sheets), the document
 * unzipped and its XML read (clause headings in order and numbered by Word, bold as bold, real
 * list numbering, the sign-off table with a repeating header and a row per organisation, the
 * receipts with the published key).
 */
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { inviteResponseSchema } from '../../shared/api.ts'
import { addPotLine, DEFAULT_LINE, readPotLines } from '../../shared/pot.ts'
import {
  addClause,
  clauseBody,
  participatingOrganisations,
  proposeClause,
  readClauses,
  settleClause,
  statePosition,
} from '../../shared/protocol.ts'
import { type Receipt, readReceipts, signingKeyResponseSchema } from '../../shared/receipts.ts'
import type { RichBlock } from '../../shared/richText.ts'
import { recordMember } from '../../shared/schema.ts'
import { writeRichBody } from '../helpers/richBody.ts'
import { connect, createRoom, sleep, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const ts = useTestServer()

const TITLE = 'Café Zoë: pooled budget'
/** The title as a file name has it (a colon is not allowed on Windows). */
const FILE_TITLE = 'Café Zoë pooled budget'
const swindon = { userId: 's', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }
const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'DWP' }
const FORMULA_PARTNER = '=HYPERLINK("https://evil.example","x")'

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const POOLING: RichBlock[] = [
  {
    type: 'paragraph',
    runs: [
      { text: 'Bold commitment.', bold: true },
      { text: ' Partners pool ' },
      { text: 'their budgets', italic: true },
      { text: ' as in ' },
      { text: 'the guidance', link: 'https://www.gov.uk/guidance' },
      { text: '.' },
    ],
  },
  {
    type: 'list',
    ordered: true,
    items: [
      [{ type: 'paragraph', runs: [{ text: 'First step' }] }],
      [{ type: 'paragraph', runs: [{ text: 'Second step' }] }],
    ],
  },
  { type: 'list', ordered: false, items: [[{ type: 'paragraph', runs: [{ text: 'A loose point' }] }]] },
]

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

async function boundToken(roomId: string, facilitatorToken: string, role: string, organisation: string) {
  const response = await fetch(`${ts.server.origin}/api/rooms/${roomId}/invites`, {
    method: 'POST',
    headers: { ...bearer(facilitatorToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, organisation, expiresInHours: 1 }),
  })
  return inviteResponseSchema.parse(await response.json()).token
}

/** What the server's document holds, by its JSON export. */
async function serverExport(roomId: string, token: string) {
  const response = await fetch(`${ts.server.origin}/api/rooms/${roomId}/export?format=json`, { headers: bearer(token) })
  return (await response.json()) as { pot: { lines: unknown[] }; receipts: unknown[]; ledger: unknown[] }
}

async function eventually(done: () => Promise<boolean>, what: string): Promise<void> {
  const started = Date.now()
  while (!(await done())) {
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/**
 * A room with Swindon (facilitator) and DWP on bound links: "Pooling" (formatted) agreed by both
 * and signed; "Data sharing" proposed with Swindon's position only; three pot lines.
 */
async function workshop() {
  const room = await createRoom(ts.server, TITLE)
  const a = connect(
    ts.server,
    room.roomId,
    await boundToken(room.roomId, room.tokens.facilitator, 'facilitator', swindon.organisation),
  )
  const b = connect(
    ts.server,
    room.roomId,
    await boundToken(room.roomId, room.tokens.facilitator, 'participant', dwp.organisation),
  )
  ts.clients.push(a, b)
  await Promise.all([a.firstSync, b.firstSync])
  recordMember(a.doc, 's', { name: swindon.name, organisation: swindon.organisation, role: 'facilitator' }, 1)
  recordMember(b.doc, 'd', { name: dwp.name, organisation: dwp.organisation, role: 'participant' }, 1)
  const now = Date.now()
  const pooling = addClause(a.doc, 'Pooling', [], swindon, now)
  writeRichBody(clauseBody(a.doc, pooling)!, POOLING)
  const sharing = addClause(a.doc, 'Data sharing', ['Partners share data under the agreement.'], swindon, now)
  proposeClause(a.doc, pooling, swindon, now)
  proposeClause(a.doc, sharing, swindon, now)
  await waitFor(
    () => readClauses(b.doc).length === 2 && readClauses(b.doc).every((c) => c.status === 'proposed'),
    5000,
    'proposals at b',
  )
  await waitFor(() => participatingOrganisations(a.doc).length === 2, 5000, 'members at a')
  statePosition(b.doc, pooling, dwp.organisation, 'agree', '', dwp, now + 1000, 'link')
  await waitFor(() => readClauses(a.doc)[0]!.positions.size === 1, 5000, 'DWP position at a')
  statePosition(a.doc, pooling, swindon.organisation, 'agree', '', swindon, now + 2000, 'link')
  settleClause(a.doc, pooling, participatingOrganisations(a.doc), swindon, now + 2000)
  statePosition(a.doc, sharing, swindon.organisation, 'agree', '', swindon, now + 3000, 'link')
  await waitFor(() => readReceipts(a.doc).length === 1, 5000, 'the clause receipt at a')

  addPotLine(
    a.doc,
    {
      ...DEFAULT_LINE,
      partner: swindon.organisation,
      stream: 'Council services',
      amount: 120_000_050,
      status: 'agreed',
    },
    swindon,
    now,
  )
  addPotLine(
    a.doc,
    {
      ...DEFAULT_LINE,
      partner: dwp.organisation,
      stream: 'Work Programme',
      amount: 25_000_000,
      kind: 'in-kind',
      kindDescription: 'Two work coaches',
      mode: 'aligned',
      status: 'offered',
    },
    swindon,
    now + 1,
  )
  addPotLine(a.doc, { ...DEFAULT_LINE, partner: FORMULA_PARTNER, amount: 9_999, status: 'withdrawn' }, swindon, now + 2)
  await eventually(async () => {
    const data = await serverExport(room.roomId, room.tokens.observer)
    return data.pot.lines.length === 3 && data.receipts.length === 1 && data.ledger.length >= 3
  }, 'the pot lines and the receipt on the server')
  return { room, a, b }
}

async function get(path: string, token: string, type: string): Promise<{ bytes: Buffer; filename: string }> {
  const response = await fetch(`${ts.server.origin}${path}`, { headers: bearer(token) })
  expect(response.status, `${path}: ${response.status === 200 ? '' : await response.clone().text()}`).toBe(200)
  expect(response.headers.get('content-type')).toBe(type)
  const disposition = response.headers.get('content-disposition') ?? ''
  const filename = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '')
  return { bytes: Buffer.from(await response.arrayBuffer()), filename }
}

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const today = () => LONDON_DAY.format(new Date())

// ---- reading a .docx as Word would ------------------------------------------------------------

const decode = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

interface WordParagraph {
  xml: string
  text: string
  style: string | null
  numId: string | null
}

/** The document's paragraphs in order (those in table cells included), with their style and list. */
function paragraphsOf(xml: string): WordParagraph[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    xml: p,
    text: decode([...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')),
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null,
    numId: /<w:numId w:val="(\d+)"/.exec(p)?.[1] ?? null,
  }))
}

/** The runs whose text is `text`: their XML. */
const runsWithText = (xml: string, text: string) =>
  [...xml.matchAll(/<w:r>[\s\S]*?<\/w:r>/g)].map(([r]) => r).filter((r) => decode(r).includes(`>${text}</w:t>`))

/** Each table's rows, each row's cells' text, and whether the row is a repeating header. */
function tablesOf(xml: string): { header: boolean; cells: string[] }[][] {
  return [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map(([table]) =>
    [...table.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map(([row]) => ({
      header: row.includes('<w:tblHeader/>'),
      cells: [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map(([c]) =>
        paragraphsOf(c)
          .map((p) => p.text)
          .join('\n'),
      ),
    })),
  )
}

/** The list format (decimal, bullet…) of level 0 of the list `numId`, through numbering.xml. */
function listFormat(numbering: string, numId: string): string | undefined {
  const num = new RegExp(`<w:num w:numId="${numId}"[^>]*>[\\s\\S]*?<w:abstractNumId w:val="(\\d+)"`).exec(numbering)
  if (!num) return undefined
  const abstract = new RegExp(`<w:abstractNum [^>]*w:abstractNumId="${num[1]}"[^>]*>[\\s\\S]*?</w:abstractNum>`).exec(
    numbering,
  )
  if (!abstract) return undefined
  return /<w:lvl w:ilvl="0"[^>]*>[\s\S]*?<w:numFmt w:val="([^"]+)"/.exec(abstract[0])?.[1]
}

async function readDocx(bytes: Buffer) {
  const zip = await JSZip.loadAsync(bytes)
  const read = async (name: string) => {
    const file = zip.file(name)
    if (!file) throw new Error(`${name} is missing from the .docx`)
    return file.async('string')
  }
  return {
    document: await read('word/document.xml'),
    numbering: await read('word/numbering.xml'),
    rels: await read('word/_rels/document.xml.rels'),
    core: await read('docProps/core.xml'),
    footer: (
      await Promise.all(
        Object.keys(zip.files)
          .filter((n) => /^word\/footer\d*\.xml$/.test(n))
          .map(read),
      )
    ).join(''),
  }
}

async function expectAgreement(
  bytes: Buffer,
  receipt: Receipt,
  source: { snapshot?: { name: string; sha256: string } },
) {
  const key = signingKeyResponseSchema.parse(await (await fetch(`${ts.server.origin}/api/signing-key`)).json())
  const { document, numbering, rels, core, footer } = await readDocx(bytes)
  const paragraphs = paragraphsOf(document)
  const all = paragraphs.map((p) => p.text).join('\n')

  expect(decode(core)).toContain(`<dc:title>${TITLE}: protocol agreement</dc:title>`)
  expect(core).toContain('<dc:creator>Commonpot</dc:creator>')
  expect(paragraphs.find((p) => p.style === 'Title')?.text).toBe(TITLE)
  if (source.snapshot) {
    expect(all).toContain(`Snapshot “${source.snapshot.name}”, taken `)
    expect(all).toContain(source.snapshot.sha256)
  } else expect(all).toMatch(/Live workshop as at \d{1,2} \w+ \d{4}/)
  expect(footer).toContain('PAGE')

  // Clause headings in the protocol's order, numbered by one Word list (decimal), not typed.
  const clauses = paragraphs.filter((p) => p.style === 'Heading2' && p.numId !== null)
  expect(clauses.map((p) => p.text)).toEqual(['Pooling', 'Data sharing'])
  expect(new Set(clauses.map((p) => p.numId)).size).toBe(1)
  expect(listFormat(numbering, clauses[0]!.numId!)).toBe('decimal')
  expect(all).toContain('Status: Agreed')

  // Formatted text: the bold run is bold, the italic italic, the link a hyperlink; no Markdown.
  const bold = runsWithText(document, 'Bold commitment.')
  expect(bold.length).toBe(1)
  expect(bold[0]).toMatch(/<w:b\/>/)
  expect(runsWithText(document, 'their budgets')[0]).toMatch(/<w:i\/>/)
  expect(runsWithText(document, ' Partners pool ')[0]).not.toMatch(/<w:b\/>/)
  const link = /<w:hyperlink [^>]*r:id="([^"]+)"[^>]*>(?:(?!<\/w:hyperlink>)[\s\S])*?>the guidance</.exec(document)
  expect(link, 'a hyperlink around “the guidance”').not.toBeNull()
  expect(rels).toMatch(
    new RegExp(
      `Id="${link![1]}"[^>]*Target="https://www.gov.uk/guidance"|Target="https://www.gov.uk/guidance"[^>]*Id="${link![1]}"`,
    ),
  )
  expect(all).not.toContain('**')

  // Lists are Word lists: the steps a decimal list, the loose point a bullet list, no typed markers.
  const first = paragraphs.find((p) => p.text === 'First step')!
  const second = paragraphs.find((p) => p.text === 'Second step')!
  const loose = paragraphs.find((p) => p.text === 'A loose point')!
  expect(first.numId).not.toBeNull()
  expect(second.numId).toBe(first.numId)
  expect(listFormat(numbering, first.numId!)).toBe('decimal')
  expect(listFormat(numbering, loose.numId!)).toBe('bullet')
  expect(first.numId).not.toBe(clauses[0]!.numId)

  // The sign-off tables: a repeating header row, then one row per organisation taking part.
  const signOff = tablesOf(document).filter((t) => t[0]?.cells.join('|') === 'Organisation|Position|How stated|Date')
  expect(signOff.length).toBe(2)
  for (const table of signOff) {
    expect(table[0]!.header).toBe(true)
    expect(table.slice(1).every((row) => !row.header)).toBe(true)
    expect(table.slice(1).map((row) => row.cells[0])).toEqual(['DWP', 'Swindon Borough Council'])
  }
  expect(signOff[0]![1]!.cells.slice(0, 3)).toEqual(['DWP', 'Agree', 'stated through DWP’s link by Amira Khan'])
  expect(signOff[0]![1]!.cells[3]).toMatch(/^\d{1,2} \w+ \d{4}/)
  expect(signOff[1]![1]!.cells.slice(0, 3)).toEqual(['DWP', 'No position stated', '—'])
  expect(signOff[1]![2]!.cells.slice(0, 2)).toEqual(['Swindon Borough Council', 'Agree'])

  // The receipt: its wording hash, ledger head and key, and where the key is published.
  expect(all).toContain('Clause agreed: “Pooling”')
  for (const value of [receipt.clauses[0]!.textSha256, receipt.ledgerHead, receipt.signature, receipt.id])
    expect(all).toContain(value)
  expect(all).toContain(`Key id ${key.keyId} (the key this server publishes)`)
  expect(all).toContain(key.publicKey)
  expect(all).toContain(`${ts.server.origin}/api/signing-key`)
  const fingerprint = /SHA-256 fingerprint: ([0-9a-f ]+)/.exec(all)?.[1]?.replace(/ /g, '')
  expect(fingerprint?.slice(0, 16)).toBe(key.keyId)
  expect(fingerprint).toHaveLength(64)
}

// ---- reading an .xlsx as Excel would ----------------------------------------------------------

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  return workbook
}

type Formula = { formula: string; result: number }
const isFormula = (value: unknown): value is Formula =>
  typeof value === 'object' && value !== null && 'formula' in value && 'result' in value

/** The row of `sheet` whose first cell is `label`. */
function rowLabelled(sheet: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined
  sheet.eachRow((row) => {
    if (row.getCell(1).value === label) found = row
  })
  if (!found) throw new Error(`${sheet.name} has no row “${label}”`)
  return found
}

function expectWorkbook(workbook: ExcelJS.Workbook, lineCount: number) {
  expect(workbook.creator).toBe('Commonpot')
  expect(workbook.title).toBe(`${TITLE}: virtual pot`)
  expect(workbook.worksheets.map((s) => s.name)).toEqual([
    'Pot lines',
    'By partner',
    'By mode',
    'By status',
    'Ledger',
    'About',
  ])
  const lines = workbook.getWorksheet('Pot lines')!
  const header = lines.getRow(1).values as unknown[]
  expect(header.slice(1, 7)).toEqual(['Partner', 'Funding stream', 'Amount', 'Kind', 'Mode', 'Status'])
  expect(header.at(-1)).toBe('Added')
  expect(lines.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
  expect(lines.autoFilter).toBeTruthy()

  const rows = Array.from({ length: lineCount }, (_, i) => lines.getRow(i + 2))
  const byPartner = new Map(rows.map((row) => [row.getCell(1).value, row]))
  const swindonRow = byPartner.get(swindon.organisation)!
  const dwpRow = byPartner.get(dwp.organisation)!
  const formulaRow = byPartner.get(FORMULA_PARTNER)!
  // Money: numbers in pounds, formatted £; the partner's formula is text, never a formula.
  expect(swindonRow.getCell(3).value).toBe(1_200_000.5)
  expect(swindonRow.getCell(3).numFmt).toBe('£#,##0.00')
  expect(dwpRow.getCell(3).value).toBe(250_000)
  expect(formulaRow.getCell(1).type).toBe(ExcelJS.ValueType.String)
  // Labels, not codes.
  expect([dwpRow.getCell(4).value, dwpRow.getCell(5).value, dwpRow.getCell(6).value]).toEqual([
    'In kind',
    'Aligned',
    'Offered',
  ])
  expect(formulaRow.getCell(6).value).toBe('Withdrawn')
  // A real date, London's wall clock, with a date format.
  const added = swindonRow.getCell(header.length - 1)
  expect(added.value).toBeInstanceOf(Date)
  expect(added.numFmt).toMatch(/dd\/mm\/yyyy/)

  // Totals: formulas over the lines, their cached results the sums (withdrawn out of the pot).
  const amounts = rows.map((row) => row.getCell(3).value as number)
  const sum = amounts.reduce((a, b) => a + b, 0)
  const last = lineCount + 1
  const all = rowLabelled(lines, 'Total of all lines').getCell(3).value
  expect(isFormula(all) && all.formula).toBe(`SUM(C2:C${last})`)
  expect((all as Formula).result).toBeCloseTo(sum, 2)
  const pot = rowLabelled(lines, 'Total in the pot (withdrawn lines excluded)').getCell(3)
  expect(isFormula(pot.value) && pot.value.formula).toBe(`SUMIF(F2:F${last},"<>Withdrawn",C2:C${last})`)
  expect((pot.value as Formula).result).toBeCloseTo(sum - 99.99, 2)
  expect(pot.numFmt).toBe('£#,##0.00')

  // By partner: each partner's summary a formula over the lines, cached right.
  const partners = workbook.getWorksheet('By partner')!
  const dwpSummary = rowLabelled(partners, dwp.organisation).getCell(3).value
  expect(isFormula(dwpSummary) && dwpSummary.formula).toContain("'Pot lines'!")
  expect((dwpSummary as Formula).result).toBe(250_000)
  // The partner with only a withdrawn line: matched exactly (its name looks like a formula), its
  // money under Withdrawn. (exceljs reads a cached 0 back as no result, so a non-zero is checked.)
  const withdrawnOnly = rowLabelled(partners, FORMULA_PARTNER)
  expect(withdrawnOnly.getCell(1).type).toBe(ExcelJS.ValueType.String)
  expect(partners.getRow(1).getCell(8).value).toBe('Withdrawn')
  expect((withdrawnOnly.getCell(8).value as Formula).result).toBe(99.99)
  // By mode and by status.
  const modes = workbook.getWorksheet('By mode')!
  expect((rowLabelled(modes, 'Aligned').getCell(3).value as Formula).result).toBe(250_000)
  expect((rowLabelled(modes, 'Pooled').getCell(3).value as Formula).result).toBeCloseTo(sum - 99.99 - 250_000, 2)
  const statuses = workbook.getWorksheet('By status')!
  expect((rowLabelled(statuses, 'Withdrawn').getCell(3).value as Formula).result).toBe(99.99)
  expect(rowLabelled(statuses, 'Withdrawn').getCell(4).value).toBe('No')

  // The ledger: every recorded change, with London times as dates and labels for codes.
  const ledger = workbook.getWorksheet('Ledger')!
  expect(ledger.getRow(1).getCell(1).value).toBe('When')
  expect(ledger.rowCount).toBeGreaterThan(lineCount)
  expect(ledger.getRow(2).getCell(1).value).toBeInstanceOf(Date)
  const sections = new Set<unknown>()
  ledger.eachRow((row, n) => {
    if (n > 1) sections.add(row.getCell(5).value)
  })
  expect(sections).toContain('Pot')
  expect(sections).toContain('Protocol')
}

describe('Word and Excel exports', () => {
  it('serve the agreement as .docx and the pot as .xlsx, live and from a snapshot', async () => {
    const { room, a } = await workshop()
    const [receipt] = readReceipts(a.doc) as [Receipt]
    const snapshot = await fetch(`${ts.server.origin}/api/rooms/${room.roomId}/snapshots`, {
      method: 'POST',
      headers: { ...bearer(room.tokens.facilitator), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Before lunch' }),
    })
    expect(snapshot.status).toBe(201)
    const meta = (await snapshot.json()) as { id: string; sha256: string; createdAt: number }
    // The room moves on after the snapshot: one more line, live only.
    addPotLine(a.doc, { ...DEFAULT_LINE, partner: 'Wiltshire Police', amount: 1_000_000 }, swindon, Date.now())
    await waitFor(() => readPotLines(a.doc).length === 4, 5000, 'the fourth line')
    await eventually(
      async () => (await serverExport(room.roomId, room.tokens.observer)).pot.lines.length === 4,
      'the fourth line on the server',
    )

    const live = `/api/rooms/${room.roomId}/export`
    const frozen = `/api/rooms/${room.roomId}/snapshots/${meta.id}`
    const token = room.tokens.observer

    const liveDocx = await get(`${live}?format=docx`, token, DOCX_TYPE)
    expect(liveDocx.filename).toBe(`${FILE_TITLE}-agreement-${today()}.docx`)
    await expectAgreement(liveDocx.bytes, receipt, {})

    const snapshotDocx = await get(`${frozen}?format=docx`, token, DOCX_TYPE)
    expect(snapshotDocx.filename).toBe(
      `${FILE_TITLE}-snapshot Before lunch agreement-${LONDON_DAY.format(new Date(meta.createdAt))}.docx`,
    )
    await expectAgreement(snapshotDocx.bytes, receipt, { snapshot: { name: 'Before lunch', sha256: meta.sha256 } })

    const liveXlsx = await get(`${live}?format=xlsx`, token, XLSX_TYPE)
    expect(liveXlsx.filename).toBe(`${FILE_TITLE}-pot-${today()}.xlsx`)
    const liveBook = await readXlsx(liveXlsx.bytes)
    expectWorkbook(liveBook, 4)
    expect(liveBook.getWorksheet('About')!.getRow(2).getCell(2).value).toMatch(/^Live workshop as at /)

    const snapshotXlsx = await get(`${frozen}?format=xlsx`, token, XLSX_TYPE)
    expect(snapshotXlsx.filename).toMatch(/^Café Zoë pooled budget-snapshot Before lunch pot-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const snapshotBook = await readXlsx(snapshotXlsx.bytes)
    // The snapshot's three lines, not the live four.
    expectWorkbook(snapshotBook, 3)
    expect(rowLabelled(snapshotBook.getWorksheet('About')!, 'Snapshot SHA-256').getCell(2).value).toBe(meta.sha256)
  })

  it('lists the new formats when another is asked for', async () => {
    const room = await createRoom(ts.server, 'Formats')
    const response = await fetch(`${ts.server.origin}/api/rooms/${room.roomId}/export?format=pdf`, {
      headers: bearer(room.tokens.observer),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: { code: 'bad_format', message: 'format must be json, md, csv, docx or xlsx.' },
    })
  })
})
