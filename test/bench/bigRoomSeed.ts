/**
 * Fills a workshop with a big room's content for the browser bench (bigRoomBrowser.ts): pot
 * lines, clauses, barriers and actions written from Node, and board shapes drawn through a live
 * board's editor, so that they are the records tldraw itself writes (geo, sticky notes, text,
 * arrows bound to the shapes they join, and our live cards).
 *
 * The text comes from the papers in SEEDS_DIR (default /work/shared/seeds, notes of the 2011
 * Community Budgets meetings); without them the protocol template and example pot stand in.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type * as Y from 'yjs'
import { addAction } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { addPotLine, DEFAULT_LINE, POT_MODES, POT_STATUSES } from '../../shared/pot.ts'
import { examplePotLines } from '../../shared/potExample.ts'
import { addClause } from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'

export interface Actor {
  userId: string
  name: string
  organisation: string
}

/** Sentences of the seed papers, or of the template when they are not on this machine. */
export function seedSentences(dir = process.env.SEEDS_DIR ?? '/work/shared/seeds'): string[] {
  const texts = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.txt'))
        .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    : PROTOCOL_TEMPLATE.flatMap((clause) => clause.paragraphs)
  const sentences = texts
    .join(' ')
    .replace(/\s+/g, ' ')
    .split(/(?<=[.;:])\s+/)
    .map((s) => s.replace(/^[•\s]+/, '').trim())
    .filter((s) => s.length >= 25 && s.length <= 240)
  if (sentences.length < 20) throw new Error(`too few seed sentences (${sentences.length}) in ${dir}`)
  return sentences
}

export interface SeededItems {
  lineIds: string[]
  /** How each line is labelled in the pot (lineLabel): partner · stream. */
  lineLabels: string[]
  clauseIds: string[]
  barrierIds: string[]
  actionIds: string[]
}

const YEARS = ['2026-27', '2026-27 to 2027-28', '2027-28', '2026-27 to 2028-29']

/** Writes `lines` pot lines, `clauses` clauses and a few barriers and actions, in batches of 100. */
export function seedWorkshop(
  doc: Y.Doc,
  actor: Actor,
  counts: { lines: number; clauses: number; barriers: number; actions: number },
): SeededItems {
  const sentences = seedSentences()
  const say = (i: number) => sentences[i % sentences.length]!
  const examples = examplePotLines(new Date())
  const items: SeededItems = { lineIds: [], lineLabels: [], clauseIds: [], barrierIds: [], actionIds: [] }
  const now = Date.now()
  for (let from = 0; from < counts.lines; from += 100) {
    doc.transact(() => {
      for (let i = from; i < Math.min(counts.lines, from + 100); i++) {
        const example = examples[i % examples.length]!
        const partner = ORGANISATIONS[i % ORGANISATIONS.length]!
        // Unique streams, so that every line has its own label.
        const stream = `${example.stream || 'Contribution'} ${Math.floor(i / examples.length) + 1}`
        items.lineIds.push(
          addPotLine(
            doc,
            {
              ...DEFAULT_LINE,
              partner,
              stream,
              amount: (((i * 7919) % 2_000) + 1) * 1_000_00,
              kind: i % 9 === 0 ? 'in-kind' : 'cash',
              kindDescription: i % 9 === 0 ? say(i * 3) : '',
              valuation: i % 9 === 0 ? 'Staff time at standard rates' : '',
              mode: POT_MODES[i % POT_MODES.length]!,
              status: POT_STATUSES[i % POT_STATUSES.length]!,
              years: YEARS[i % YEARS.length]!,
              conditions: say(i),
            },
            actor,
            now + i,
          ),
        )
        items.lineLabels.push(`${partner} · ${stream}`)
      }
    })
  }
  doc.transact(() => {
    for (let i = 0; i < counts.clauses; i++) {
      const template = PROTOCOL_TEMPLATE[i % PROTOCOL_TEMPLATE.length]!
      const paragraphs = [say(i * 5), `${say(i * 5 + 1)} ${say(i * 5 + 2)}`, say(i * 5 + 3)]
      items.clauseIds.push(addClause(doc, `${template.title} ${i + 1}`, paragraphs, actor, now + i))
    }
    for (let i = 0; i < counts.barriers; i++)
      items.barrierIds.push(
        addBarrier(
          doc,
          {
            ...DEFAULT_BARRIER,
            title: say(i * 11).slice(0, 100),
            raisedBy: ORGANISATIONS[i % ORGANISATIONS.length]!,
            description: say(i * 11 + 1),
          },
          actor,
          now + i,
        ),
      )
    for (let i = 0; i < counts.actions; i++)
      items.actionIds.push(
        addAction(
          doc,
          {
            what: say(i * 13).slice(0, 200),
            ownerOrganisation: ORGANISATIONS[(i * 3) % ORGANISATIONS.length]!,
            ownerPerson: `Officer ${i + 1}`,
            dueDate: '2099-03-31',
            status: 'open',
          },
          actor,
          now + i,
        ),
      )
  })
  return items
}

/** The mix of shapes on the big board, adding up to the total asked for. */
export function shapeMix(total: number, cards: number): { geo: number; note: number; text: number; arrow: number } {
  const arrow = Math.round(total * 0.2)
  const text = Math.round(total * 0.2)
  const note = Math.round(total * 0.05)
  return { geo: total - cards - arrow - text - note, note, text, arrow }
}

/** Grid spacing of the board, in page units: every shape has its own cell. */
export const CELL = { w: 320, h: 200 } as const
export const COLUMNS = 50

/**
 * Draws the board through the editor of `page` (a board already open): geo shapes first (the
 * arrows join neighbouring ones), then notes, text, cards and the arrows with their bindings.
 * Shape ids are `shape:big-<kind>-<n>`; the geo shape `shape:big-geo-0` sits at the page origin.
 */
export async function drawBigBoard(
  page: Page,
  total: number,
  items: Pick<SeededItems, 'lineIds' | 'barrierIds' | 'actionIds'>,
  cards: number,
): Promise<void> {
  const mix = shapeMix(total, cards)
  const words = seedSentences().slice(0, 400)
  // One batch per call, so that no single evaluate holds the page for long.
  type Spec = { id: string; type: string; x: number; y: number; props: Record<string, unknown> }
  const specs: Spec[] = []
  let cell = 0
  const place = () => {
    const at = { x: (cell % COLUMNS) * CELL.w, y: Math.floor(cell / COLUMNS) * CELL.h }
    cell++
    return at
  }
  const rich = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })
  for (let i = 0; i < mix.geo; i++)
    specs.push({
      id: `shape:big-geo-${i}`,
      type: 'geo',
      ...place(),
      props: {
        w: 220,
        h: 130,
        geo: ['rectangle', 'ellipse', 'diamond', 'cloud'][i % 4],
        color: ['black', 'blue', 'green', 'orange', 'violet'][i % 5],
        // Filled and hollow: a hollow shape is grabbed by its outline only.
        fill: i % 2 ? 'semi' : 'none',
        ...(i % 3 === 0 ? { richText: rich(words[i % words.length]!.slice(0, 80)) } : {}),
      },
    })
  for (let i = 0; i < mix.note; i++)
    specs.push({
      id: `shape:big-note-${i}`,
      type: 'note',
      ...place(),
      props: { richText: rich(words[(i * 7) % words.length]!.slice(0, 120)), color: 'yellow' },
    })
  for (let i = 0; i < mix.text; i++)
    specs.push({
      id: `shape:big-text-${i}`,
      type: 'text',
      ...place(),
      props: { richText: rich(words[(i * 3) % words.length]!), autoSize: false, w: 280 },
    })
  const kinds: { type: string; props: Record<string, unknown> }[] = [
    ...items.barrierIds.map((barrierId) => ({ type: 'barrier', props: { barrierId, w: 260, h: 140 } })),
    ...items.actionIds.map((actionId) => ({ type: 'action', props: { actionId, w: 260, h: 140 } })),
  ]
  const lineCards = cards - kinds.length
  for (let i = 0; i < lineCards; i++)
    kinds.push({ type: 'pot-line', props: { lineId: items.lineIds[i % items.lineIds.length]!, w: 240, h: 120 } })
  for (const [i, card] of kinds.entries()) specs.push({ id: `shape:big-card-${i}`, ...card, ...place() })

  for (let from = 0; from < specs.length; from += 250)
    await page.evaluate(
      (batch) => {
        const editor = (window as unknown as { __commonpotEditor: { createShapes(shapes: object[]): void } })
          .__commonpotEditor
        editor.createShapes(batch)
      },
      specs.slice(from, from + 250),
    )

  // Arrows from each geo shape to the one right of it, bound at both ends as a person would draw them.
  for (let from = 0; from < mix.arrow; from += 200)
    await page.evaluate(
      ({ from, count, geo, columns, cellW }) => {
        const editor = (
          window as unknown as {
            __commonpotEditor: { createShapes(shapes: object[]): void; createBindings(bindings: object[]): void }
          }
        ).__commonpotEditor
        const shapes = []
        const bindings = []
        for (let i = from; i < from + count; i++) {
          // Pairs of neighbours in the same row of the grid.
          const a = (i * 2) % (geo - 1)
          const b = (a + 1) % columns === 0 ? a - 1 : a + 1
          const x = (a % columns) * cellW + 220
          const y = Math.floor(a / columns) * 200 + 65
          const id = `shape:big-arrow-${i}`
          shapes.push({ id, type: 'arrow', x, y, props: { start: { x: 0, y: 0 }, end: { x: cellW - 220, y: 0 } } })
          for (const [terminal, to] of [
            ['start', a],
            ['end', b],
          ] as const)
            bindings.push({
              type: 'arrow',
              fromId: id,
              toId: `shape:big-geo-${to}`,
              props: {
                terminal,
                normalizedAnchor: { x: 0.5, y: 0.5 },
                isExact: false,
                isPrecise: false,
                snap: 'none',
              },
            })
        }
        editor.createShapes(shapes)
        editor.createBindings(bindings)
      },
      { from, count: Math.min(200, mix.arrow - from), geo: mix.geo, columns: COLUMNS, cellW: CELL.w },
    )
}
