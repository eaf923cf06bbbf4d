/**
 * A clause body's structure, read once from the document (TipTap / y-prosemirror XML) into a
 * plain tree that every medium renders from: the print page and compare views (React), the
 * Markdown export, the Word document. Nothing downstream parses Markdown back.
 *
 * The editor's schema allows paragraphs, headings (2–3), bullet and ordered lists, hard breaks,
 * bold, italic and links (http, https, mailto). A peer can write any XML by hand, so anything else
 * is read as plain text in a paragraph rather than dropped, and a link with another scheme keeps
 * its text but loses its target.
 */
import * as Y from 'yjs'
import { z } from 'zod'

export interface RichRun {
  text: string
  bold?: true
  italic?: true
  /** Only http, https or mailto targets. */
  link?: string
}

export type RichBlock =
  | { type: 'paragraph'; runs: RichRun[] }
  | { type: 'heading'; level: 2 | 3; runs: RichRun[] }
  | { type: 'list'; ordered: boolean; items: RichBlock[][] }

/** The shape as it travels in the JSON export (validated where a client reads it). */
export const richRunSchema: z.ZodType<RichRun> = z.object({
  text: z.string(),
  bold: z.literal(true).optional(),
  italic: z.literal(true).optional(),
  link: z.string().optional(),
})
export const richBlockSchema: z.ZodType<RichBlock> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('paragraph'), runs: z.array(richRunSchema) }),
    z.object({
      type: z.literal('heading'),
      level: z.union([z.literal(2), z.literal(3)]),
      runs: z.array(richRunSchema),
    }),
    z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(richBlockSchema)) }),
  ]),
)

const SAFE_LINK = /^(https?:|mailto:)/i

interface DeltaOp {
  insert?: unknown
  attributes?: Record<string, unknown>
}

function runsOfText(text: Y.XmlText): RichRun[] {
  const runs: RichRun[] = []
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string' || op.insert === '') continue
    const marks = op.attributes ?? {}
    const run: RichRun = { text: op.insert }
    if (marks.bold) run.bold = true
    if (marks.italic) run.italic = true
    const link = marks.link as { href?: unknown } | undefined
    if (link && typeof link.href === 'string' && SAFE_LINK.test(link.href)) run.link = link.href
    runs.push(run)
  }
  return runs
}

/** The inline content of a block: its text runs, hard breaks as line breaks, nested elements flattened. */
function runsOf(node: Y.XmlElement | Y.XmlFragment): RichRun[] {
  const runs: RichRun[] = []
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) runs.push(...runsOfText(child))
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') runs.push({ text: '\n' })
      else runs.push(...runsOf(child))
    }
  }
  return mergeRuns(runs)
}

const sameMarks = (a: RichRun, b: RichRun) => a.bold === b.bold && a.italic === b.italic && a.link === b.link

/** Adjacent runs with the same marks as one, so renderers emit no empty splits. */
function mergeRuns(runs: RichRun[]): RichRun[] {
  const out: RichRun[] = []
  for (const run of runs) {
    const last = out.at(-1)
    if (last && sameMarks(last, run)) last.text += run.text
    else out.push({ ...run })
  }
  return out
}

function blocksOf(node: Y.XmlElement | Y.XmlFragment): RichBlock[] {
  const out: RichBlock[] = []
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      const runs = runsOfText(child)
      if (runs.length > 0) out.push({ type: 'paragraph', runs })
      continue
    }
    if (!(child instanceof Y.XmlElement)) continue
    switch (child.nodeName) {
      case 'heading':
        out.push({ type: 'heading', level: Number(child.getAttribute('level')) === 3 ? 3 : 2, runs: runsOf(child) })
        break
      case 'bulletList':
      case 'orderedList':
        out.push({
          type: 'list',
          ordered: child.nodeName === 'orderedList',
          items: child
            .toArray()
            .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement)
            .map((item) => blocksOf(item)),
        })
        break
      case 'listItem':
        out.push(...blocksOf(child))
        break
      default:
        out.push({ type: 'paragraph', runs: runsOf(child) })
    }
  }
  return out
}

/** The clause body as a tree of blocks. */
export function readRichText(body: Y.XmlFragment): RichBlock[] {
  return blocksOf(body)
}
