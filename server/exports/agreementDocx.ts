/**
 * The agreement as a Word document, for partners' legal teams: the protocol's clauses with their
 * formatted text (from the clause body's tree, shared/richText.ts, never from its Markdown), each
 * clause's status and sign-off table, and the signed receipts with the key to check them against.
 * Built with the `docx` package from the same `WorkshopExport` every other export reads.
 */
import { createHash } from 'node:crypto'
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  type ILevelsOptions,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { WorkshopExport } from '../../shared/export.ts'
import {
  CLAUSE_STATUS_LABELS,
  POSITION_LABELS,
  positionBasisText,
  positionCounts,
  type StatedPosition,
} from '../../shared/protocol.ts'
import { fromBase64url, type Receipt, SIGNING_KEY_PATH } from '../../shared/receipts.ts'
import { receiptHeading, receiptPositions } from '../../shared/receiptsExport.ts'
import type { RichBlock, RichRun } from '../../shared/richText.ts'
import type { ExportedClause } from '../../shared/sections/protocol/exports.ts'
import { isKnownTime, londonLongTime } from './london.ts'
import { type ExportSource, sourceDescription } from './source.ts'

/** The server's published signing key, as the agreement prints it. */
export interface PublishedKey {
  keyId: string
  /** Raw Ed25519 public key, base64url. */
  publicKey: string
  /** Where it is published: `<origin>/api/signing-key`. */
  url: string
}

export interface AgreementInput {
  data: WorkshopExport
  source: ExportSource
  key: PublishedKey
  /** When the file is made (ms). */
  now: number
}

const FONT = 'Arial'
const MONO = 'Courier New'
/** A4 less 2.54 cm margins each side, in twentieths of a point. */
const TEXT_WIDTH = 11906 - 2 * 1440
const HEADER_FILL = 'E7E6E6'

const CLAUSES = 'clauses'
const BULLETS = 'bullets'
const ORDERED = 'ordered'

/** Indent of a list level: each level a further 0.5", the marker hanging in the first 0.25". */
const listIndent = (level: number) => ({ left: 720 * (level + 1), hanging: 360 })

const BULLET_CHARS = ['\u2022', '\u25e6', '\u25aa']
const ORDERED_FORMATS = [
  { format: LevelFormat.DECIMAL, text: (l: number) => `%${l + 1}.` },
  { format: LevelFormat.LOWER_LETTER, text: (l: number) => `(%${l + 1})` },
  { format: LevelFormat.LOWER_ROMAN, text: (l: number) => `(%${l + 1})` },
]

const bulletLevels: ILevelsOptions[] = Array.from({ length: 6 }, (_, level) => ({
  level,
  format: LevelFormat.BULLET,
  text: BULLET_CHARS[level % BULLET_CHARS.length]!,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: listIndent(level) } },
}))

const orderedLevels: ILevelsOptions[] = Array.from({ length: 6 }, (_, level) => {
  const { format, text } = ORDERED_FORMATS[level % ORDERED_FORMATS.length]!
  return {
    level,
    format,
    text: text(level),
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: listIndent(level) } },
  }
})

/**
 * Clause headings are numbered by Word (a list on the Heading 2 paragraphs), so the numbers show in
 * the navigation pane and stay right if a partner's lawyer inserts a clause in their copy; in the
 * file as made they are 1…n in the protocol's order, as in every other export.
 */
const clauseLevels: ILevelsOptions[] = [
  {
    level: 0,
    format: LevelFormat.DECIMAL,
    text: '%1.',
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 567, hanging: 567 } } },
  },
]

/** Hands out list instances: each list in the document is numbered on its own, from 1. */
class ListInstances {
  private next = 0
  take(): number {
    this.next += 1
    return this.next
  }
}

/** Text runs of a rich run: hard breaks become Word line breaks; a link keeps its target. */
function runsOf(runs: readonly RichRun[], extra: { bold?: boolean } = {}): ParagraphChild[] {
  return runs.flatMap((run): ParagraphChild[] => {
    const pieces = run.text.split('\n').map(
      (text, i) =>
        new TextRun({
          text,
          bold: run.bold || extra.bold ? true : undefined,
          italics: run.italic ? true : undefined,
          break: i > 0 ? 1 : undefined,
          style: run.link ? 'Hyperlink' : undefined,
        }),
    )
    return run.link ? [new ExternalHyperlink({ link: run.link, children: pieces })] : pieces
  })
}

/** A clause body's blocks as Word paragraphs; lists nest by level, each list numbered on its own. */
function bodyParagraphs(blocks: readonly RichBlock[], lists: ListInstances, level = -1): Paragraph[] {
  // Inside a list item, a block after the first sits under the item's text, without a marker.
  const indent = level >= 0 ? { left: listIndent(level).left } : undefined
  const out: Paragraph[] = []
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
        out.push(new Paragraph({ children: runsOf(block.runs), indent }))
        break
      case 'heading':
        // Clause headings are Heading 2, so headings inside a clause come below them.
        out.push(
          new Paragraph({
            children: runsOf(block.runs),
            heading: block.level === 2 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_4,
            indent,
          }),
        )
        break
      case 'list':
        out.push(...listParagraphs(block, lists, level + 1))
        break
    }
  }
  return out
}

function listParagraphs(list: Extract<RichBlock, { type: 'list' }>, lists: ListInstances, level: number): Paragraph[] {
  const numbering = { reference: list.ordered ? ORDERED : BULLETS, level: Math.min(level, 5), instance: lists.take() }
  const out: Paragraph[] = []
  for (const item of list.items) {
    const [first, ...rest] = item
    if (first && first.type !== 'list') {
      out.push(new Paragraph({ children: runsOf(first.runs, { bold: first.type === 'heading' }), numbering }))
      out.push(...bodyParagraphs(rest, lists, level))
    } else {
      // An item that starts with a nested list (or is empty) still gets its marker.
      out.push(new Paragraph({ children: [], numbering }))
      out.push(...bodyParagraphs(item, lists, level))
    }
  }
  return out
}

const text = (
  value: string,
  options: { bold?: boolean; italics?: boolean; font?: string; size?: number; color?: string } = {},
) => new TextRun({ text: value, ...options })

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: '999999' }
const borders = { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder }

/** A cell's content: plain text, or paragraphs given as their runs. */
type CellContent = string | ParagraphChild[][]

function cell(
  content: CellContent,
  options: { header?: boolean; label?: boolean; width: number; keepNext: boolean },
): TableCell {
  const paragraphs = (typeof content === 'string' ? [[text(content, { bold: options.header })]] : content).map(
    (children) => new Paragraph({ children, keepNext: options.keepNext }),
  )
  const fill = options.header || options.label ? HEADER_FILL : undefined
  return new TableCell({
    children: paragraphs,
    width: { size: options.width, type: WidthType.DXA },
    borders,
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    shading: fill ? { type: ShadingType.CLEAR, color: 'auto', fill } : undefined,
  })
}

/**
 * A table no row of which splits across pages. With `headers`, their row repeats at the top of
 * each page the table runs onto (a repeating header row); with `keepTogether`, the whole table
 * stays on one page (every row kept with the next), and its first column is shaded as labels.
 */
function table(
  widths: readonly number[],
  rows: CellContent[][],
  options: { headers?: readonly string[]; keepTogether?: boolean },
): Table {
  const keepNext = (i: number) => options.keepTogether === true && i < rows.length - 1
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...widths],
    rows: [
      ...(options.headers
        ? [
            new TableRow({
              tableHeader: true,
              cantSplit: true,
              children: options.headers.map((h, i) => cell(h, { header: true, width: widths[i]!, keepNext: true })),
            }),
          ]
        : []),
      ...rows.map(
        (row, r) =>
          new TableRow({
            cantSplit: true,
            children: row.map((value, i) =>
              cell(value, { width: widths[i]!, keepNext: keepNext(r), label: options.keepTogether && i === 0 }),
            ),
          }),
      ),
    ],
  })
}

/** Every organisation taking part, then any other that stated a position, in that order. */
function organisationsOf(clause: ExportedClause, taking: readonly string[]): string[] {
  const others = Object.keys(clause.positions).filter((o) => !taking.includes(o))
  return [...taking, ...others.sort((a, b) => a.localeCompare(b, 'en-GB'))]
}

const SIGN_OFF_HEADERS = ['Organisation', 'Position', 'How stated', 'Date'] as const
const SIGN_OFF_WIDTHS = [2500, 1400, 3326, 1800]

function signOffRow(organisation: string, stated: StatedPosition | undefined): CellContent[] {
  if (!stated) return [organisation, 'No position stated', '—', '—']
  const how = positionBasisText(organisation, stated)
  return [
    organisation,
    POSITION_LABELS[stated.position],
    positionCounts(stated) ? how : [[text(how), text(' (does not count toward agreement)', { italics: true })]],
    isKnownTime(stated.at) ? londonLongTime(stated.at) : 'Not recorded',
  ]
}

function clauseParagraphs(
  clause: ExportedClause,
  taking: readonly string[],
  lists: ListInstances,
): (Paragraph | Table)[] {
  const status = CLAUSE_STATUS_LABELS[clause.status]
  const out: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      numbering: { reference: CLAUSES, level: 0 },
      keepNext: true,
      children: [text(clause.title || 'Untitled clause')],
    }),
    new Paragraph({
      keepNext: true,
      children: [
        text('Status: ', { bold: true }),
        text(status),
        ...(clause.status !== 'agreed' && clause.passes
          ? [text('. Every organisation taking part agrees, by link or on its behalf.')]
          : []),
      ],
    }),
  ]
  const body = bodyParagraphs(clause.body, lists)
  out.push(...(body.length > 0 ? body : [new Paragraph({ children: [text('No text yet.', { italics: true })] })]))
  const organisations = organisationsOf(clause, taking)
  out.push(
    new Paragraph({
      heading: HeadingLevel.HEADING_4,
      keepNext: true,
      children: [text(`Sign-off: “${clause.title}”`)],
    }),
  )
  if (organisations.length === 0)
    out.push(new Paragraph({ children: [text('No organisation is taking part yet.', { italics: true })] }))
  else
    out.push(
      table(
        SIGN_OFF_WIDTHS,
        organisations.map((o) => signOffRow(o, clause.positions[o])),
        { headers: SIGN_OFF_HEADERS },
      ),
    )
  return out
}

/** The full SHA-256 of the raw public key, in groups of four: keyId is its first 16 digits. */
export function keyFingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(fromBase64url(publicKey)).digest('hex')
  return hex.match(/.{4}/g)!.join(' ')
}

const mono = (value: string, size = 18) => text(value, { font: MONO, size })
/** A hash in the receipts' value column: small enough for 64 hex digits to fit one line. */
const hash = (value: string): ParagraphChild[][] => [[mono(value, 16)]]

function receiptRows(receipt: Receipt): CellContent[][] {
  const rows: CellContent[][] = [['Signed', `${londonLongTime(receipt.issuedAt)} (Europe/London)`]]
  if (receipt.markedBy) rows.push(['Marked agreed by', receipt.markedBy])
  for (const clause of receipt.clauses) {
    const label = receipt.kind === 'protocol' ? `Wording SHA-256: “${clause.title}”` : 'Wording SHA-256'
    rows.push([label, hash(clause.textSha256)])
    if (receipt.kind === 'clause' && clause.positions.length > 0)
      rows.push(['Positions', receiptPositions(clause).map((p) => [text(p)])])
  }
  if (receipt.snapshot)
    rows.push([
      'Agreed state',
      [[text(`Snapshot ${receipt.snapshot.id}, SHA-256`)], [mono(receipt.snapshot.sha256, 16)]],
    ])
  rows.push(['Ledger head', hash(receipt.ledgerHead)])
  rows.push(['Key id', hash(receipt.keyId)])
  rows.push(['Receipt', hash(receipt.id)])
  rows.push(['Signature', hash(receipt.signature)])
  return rows
}

function keyParagraphs(receipts: readonly Receipt[], key: PublishedKey): Paragraph[] {
  const keys = new Map<string, string>([[key.keyId, key.publicKey]])
  for (const r of receipts) if (!keys.has(r.keyId)) keys.set(r.keyId, r.publicKey)
  const out = [
    new Paragraph({
      children: [
        text(
          'Each receipt is signed by the server with its Ed25519 key. Check that the key below is the one published at ',
        ),
        new ExternalHyperlink({ link: key.url, children: [text(key.url, { font: MONO, size: 18 })] }),
        text(', then check an export of the workshop with '),
        mono('npx commonpot verify <export.json>'),
        text('.'),
      ],
    }),
  ]
  for (const [keyId, publicKey] of keys) {
    const published = keyId === key.keyId
    out.push(
      new Paragraph({
        keepNext: true,
        children: [
          text(`Key id ${keyId}`, { bold: true }),
          text(published ? ' (the key this server publishes)' : ' (not the key this server publishes now)'),
        ],
      }),
      new Paragraph({ keepNext: true, children: [text('SHA-256 fingerprint: '), mono(keyFingerprint(publicKey))] }),
      new Paragraph({ children: [text('Public key: '), mono(publicKey)] }),
    )
  }
  return out
}

function receiptsParagraphs(receipts: readonly Receipt[], key: PublishedKey): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text('Sign-off receipts')] }),
    ...keyParagraphs(receipts, key),
  ]
  if (receipts.length === 0) {
    out.push(new Paragraph({ children: [text('No clause has been agreed and signed yet.', { italics: true })] }))
    return out
  }
  for (const receipt of receipts) {
    out.push(
      new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [text(receiptHeading(receipt))] }),
      // A protocol receipt lists every clause, so only a clause receipt is kept on one page.
      table([2300, TEXT_WIDTH - 2300], receiptRows(receipt), { keepTogether: receipt.kind === 'clause' }),
    )
  }
  return out
}

function openingParagraphs({ data, source, now }: AgreementInput): Paragraph[] {
  const { clauses, organisations } = data.protocol
  const agreed = clauses.filter((c) => c.status === 'agreed').length
  const out = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(data.meta.title || 'Workshop')] }),
    new Paragraph({ style: 'Subtitle', children: [text('Protocol agreement')] }),
    new Paragraph({ children: [text(sourceDescription(source), { bold: true })] }),
  ]
  if (source.kind === 'snapshot')
    out.push(new Paragraph({ children: [text('Snapshot SHA-256: '), mono(source.sha256)] }))
  if (source.kind === 'snapshot')
    out.push(new Paragraph({ children: [text(`Document made ${londonLongTime(now)} (Europe/London) by Commonpot.`)] }))
  out.push(
    new Paragraph({
      children: [
        text('Organisations taking part: ', { bold: true }),
        text(organisations.length > 0 ? `${organisations.join(', ')}.` : 'none yet.'),
      ],
    }),
    new Paragraph({
      children: [
        text(`${agreed} of ${clauses.length} clause${clauses.length === 1 ? '' : 's'} agreed. `),
        text(
          'A position counts toward agreement when stated through the organisation’s own link or on its behalf by the facilitator; self-declared positions are shown but do not count.',
        ),
      ],
    }),
  )
  return out
}

/** The agreement as a .docx file. */
export async function agreementDocx(input: AgreementInput): Promise<Buffer> {
  const { data, key } = input
  const lists = new ListInstances()
  const protocol: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('Protocol')], keepNext: true }),
  ]
  if (data.protocol.clauses.length === 0)
    protocol.push(new Paragraph({ children: [text('The protocol has no clauses yet.', { italics: true })] }))
  for (const clause of data.protocol.clauses)
    protocol.push(...clauseParagraphs(clause, data.protocol.organisations, lists))

  const title = data.meta.title || 'Workshop'
  const document = new Document({
    title: `${title}: protocol agreement`,
    subject: sourceDescription(input.source),
    description: 'The protocol agreed in a Commonpot workshop, with its sign-off and signed receipts.',
    creator: 'Commonpot',
    lastModifiedBy: 'Commonpot',
    keywords: 'Commonpot, protocol, agreement',
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 22, language: { value: 'en-GB' } },
          paragraph: { spacing: { after: 120 } },
        },
        title: { run: { font: FONT, size: 44, bold: true, color: '1F3864' } },
        heading1: {
          run: { font: FONT, size: 32, bold: true, color: '1F3864' },
          paragraph: { spacing: { before: 360, after: 120 } },
        },
        heading2: {
          run: { font: FONT, size: 26, bold: true, color: '1F3864' },
          paragraph: { spacing: { before: 300, after: 120 } },
        },
        heading3: { run: { font: FONT, size: 24, bold: true }, paragraph: { spacing: { before: 200, after: 80 } } },
        heading4: { run: { font: FONT, size: 22, bold: true }, paragraph: { spacing: { before: 200, after: 80 } } },
        hyperlink: { run: { color: '0563C1', underline: {} } },
      },
      paragraphStyles: [
        {
          id: 'Subtitle',
          name: 'Subtitle',
          basedOn: 'Normal',
          next: 'Normal',
          run: { font: FONT, size: 28, color: '44546A' },
          paragraph: { spacing: { after: 240 } },
        },
      ],
    },
    numbering: {
      config: [
        { reference: CLAUSES, levels: clauseLevels },
        { reference: BULLETS, levels: bulletLevels },
        { reference: ORDERED, levels: orderedLevels },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 },
          },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [text(`${title}: protocol agreement`, { size: 16, color: '595959' })],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    size: 16,
                    color: '595959',
                    children: [
                      `${sourceDescription(input.source)} · Page `,
                      PageNumber.CURRENT,
                      ' of ',
                      PageNumber.TOTAL_PAGES,
                    ],
                  }),
                ],
              }),
            ],
          }),
        },
        children: [...openingParagraphs(input), ...protocol, ...receiptsParagraphs(data.receipts ?? [], key)],
      },
    ],
  })
  return Packer.toBuffer(document)
}

/** Where the key is published, for a server reached at `origin` (PUBLIC_URL when set). */
export const signingKeyUrl = (origin: string): string => `${origin}${SIGNING_KEY_PATH}`
