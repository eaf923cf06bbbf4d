/**
 * node --import tsx test/bench/writeGuardBench.ts [--no-append]
 *
 * The cost of the server's write enforcement per participant update (issue #16): each update is
 * taken by the room's write guard (server/sync/writeGuard.ts `receive`: applied to the live
 * document, what it did read from Yjs's integration, judged by the section rules, the ledger
 * entries worked out, the shadow replica kept ready), against Yjs's own cost of applying the same
 * update to a copy of the room with nothing else (the floor any server pays). The room is a large
 * one: 5,000 board shapes, 500 pot lines and 50 clauses, one of them with a 50 kB body. Prints
 * ops/s and µs per update, and appends the table to docs/benchmarks.md unless `--no-append`.
 */
import * as Y from 'yjs'
import type { Peer } from '../../server/sync/peer.ts'
import { WriteGuard } from '../../server/sync/writeGuard.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { openCanvas, type CanvasRecord } from '../../shared/schema.ts'
import { publishReport } from './report.ts'

const SHAPES = 5_000
const POT_LINES = 500
const CLAUSES = 50
const BIG_CLAUSE_BYTES = 50_000
const PASTE = 1_000

const participant = { userId: 'bench-participant', name: 'Pat Bench', organisation: 'DWP' }
const facilitator = { userId: 'bench-facilitator', name: 'Fiona Bench', organisation: 'Swindon Borough Council' }
const link: LinkIdentity = { role: 'participant', organisation: null, name: null, linkId: null }

const shape = (i: number, x: number, y: number): CanvasRecord => ({
  id: `shape:s${i}`,
  typeName: 'shape',
  type: 'geo',
  x,
  y,
  rotation: 0,
  index: `a${i.toString(36)}`,
  parentId: 'page:page',
  isLocked: false,
  opacity: 1,
  meta: {},
  props: {
    w: 160,
    h: 90,
    geo: 'rectangle',
    color: 'black',
    fill: 'none',
    dash: 'draw',
    size: 'm',
    text: `Card ${i}`,
    align: 'middle',
    verticalAlign: 'middle',
  },
})

// ---- the room ---------------------------------------------------------------------------------

// Built on a seed document: the server's live document has no YKeyValue observing its canvas.
const seed = new Y.Doc()
const canvas = openCanvas(seed)
seed.transact(() => {
  for (let i = 0; i < SHAPES; i++) canvas.set(`shape:s${i}`, shape(i, (i % 100) * 200, Math.floor(i / 100) * 120))
})
const lines: string[] = []
for (let i = 0; i < POT_LINES; i++) {
  lines.push(
    addPotLine(
      seed,
      {
        ...DEFAULT_LINE,
        partner: ORGANISATIONS[i % ORGANISATIONS.length]!,
        stream: `Stream ${i % 11}`,
        amount: (i + 1) * 1_000_00,
      },
      participant,
      i,
    ),
  )
}
const paragraph = 'Partners pool funding for families with complex needs, and agree together how it is spent. '
const bigBody = Array.from({ length: Math.ceil(BIG_CLAUSE_BYTES / paragraph.length / 5) }, () => paragraph.repeat(5))
const clauses: string[] = [addClause(seed, 'Pooling (long)', bigBody, facilitator, 0)]
for (let i = 1; i < CLAUSES; i++)
  clauses.push(addClause(seed, `Clause ${i}`, [paragraph, 'Decisions by consensus.'], facilitator, i))
const bigClauseBytes = new TextEncoder().encode(clauseBody(seed, clauses[0]!)!.toString()).length
const live = new Y.Doc({ gc: true })
Y.applyUpdate(live, Y.encodeStateAsUpdate(seed))
seed.destroy()

/** The participant's page: a copy of the room that sends its edits as updates. */
const page = new Y.Doc()
Y.applyUpdate(page, Y.encodeStateAsUpdate(live))
const pageCanvas = openCanvas(page)

/**
 * Yjs alone: the same room, taking the same updates with nothing judged, but encoding each
 * transaction's update as the room does to store and relay it.
 */
const plain = new Y.Doc({ gc: true })
Y.applyUpdate(plain, Y.encodeStateAsUpdate(live))
plain.on('update', () => {})

let current = live
const guard = new WriteGuard(live, (next) => {
  current = next
})
// The room's own listener: every transaction's update is encoded to be stored and relayed.
live.on('update', () => {})

const participantPeer = (id: number): Peer => ({
  id,
  role: 'participant',
  kid: null,
  link,
  controlledClients: new Set(),
  send: () => {},
  sendBatch: () => {},
  close: () => {},
})
const peer = participantPeer(1)
guard.join(peer, null)

interface Row {
  label: string
  runs: number
  guard: number[]
  plain: number[]
}

/** Makes `runs` updates with `edit` on the page and takes each as the room does, timing each. */
function measure(label: string, runs: number, warmup: number, edit: (i: number) => void): Row {
  const row: Row = { label, runs, guard: [], plain: [] }
  const sent: Uint8Array[] = []
  const capture = (u: Uint8Array) => sent.push(u)
  page.on('update', capture)
  try {
    for (let i = 0; i < runs + warmup; i++) {
      sent.length = 0
      edit(i)
      if (sent.length !== 1) throw new Error(`${label}: ${sent.length} updates`)
      const update = sent[0]!
      const t0 = performance.now()
      const verdict = guard.receive(peer, update, Date.now())
      const t1 = performance.now()
      if (!verdict.ok) throw new Error(`${label}: refused: ${verdict.refusal.reason}`)
      Y.applyUpdate(plain, update)
      const t2 = performance.now()
      if (i >= warmup) {
        row.guard.push(t1 - t0)
        row.plain.push(t2 - t1)
      }
    }
  } finally {
    page.off('update', capture)
  }
  if (current !== live) throw new Error(`${label}: the live document was put back`)
  return row
}

/**
 * The fan-out bench's room (`npm run bench`, fanout-200): 200 participants, each dragging its own
 * board record, in turn, so that the room's documents know 200 client ids.
 */
function measureFanOut(writers: number, rounds: number): Row {
  const room = new Y.Doc({ gc: true })
  const roomPlain = new Y.Doc({ gc: true })
  roomPlain.on('update', () => {})
  const roomGuard = new WriteGuard(room, () => {
    throw new Error('fan-out: the live document was put back')
  })
  room.on('update', () => {})
  const pages = Array.from({ length: writers }, (_, i) => {
    const doc = new Y.Doc()
    const peer = participantPeer(100 + i)
    roomGuard.join(peer, null)
    return { doc, canvas: openCanvas(doc), peer }
  })
  const row: Row = {
    label: `board: ${writers} participants each dragging its own record (the fan-out room)`,
    runs: 0,
    guard: [],
    plain: [],
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, page] of pages.entries()) {
      let update: Uint8Array | null = null
      page.doc.once('update', (u: Uint8Array) => (update = u))
      const id = `shape:c${i}`
      page.canvas.set(id, { id, typeName: 'shape', x: round, marker: `@@${i}:${round}@@` })
      const t0 = performance.now()
      const verdict = roomGuard.receive(page.peer, update!, Date.now())
      const t1 = performance.now()
      if (!verdict.ok) throw new Error(`fan-out: refused: ${verdict.refusal.reason}`)
      Y.applyUpdate(roomPlain, update!)
      const t2 = performance.now()
      if (round >= 5) {
        row.guard.push(t1 - t0)
        row.plain.push(t2 - t1)
        row.runs++
      }
    }
  }
  return row
}

let pasted = 0
const rows = [
  measure('board: one shape dragged (record rewritten)', 2_000, 200, (i) => {
    const n = i % SHAPES
    pageCanvas.set(`shape:s${n}`, shape(n, (n % 100) * 200 + (i % 40), Math.floor(n / 100) * 120 + (i % 25)))
  }),
  measure(`protocol: one character typed into a ${Math.round(bigClauseBytes / 1000)} kB clause`, 2_000, 200, (i) => {
    const body = clauseBody(page, clauses[0]!)!
    const text = (body.get(Math.floor(body.length / 2)) as Y.XmlElement).get(0) as Y.XmlText
    text.insert(Math.floor(text.length / 2), String.fromCharCode(97 + (i % 26)))
  }),
  measure('pot: a line’s amount changed (with its ledger entry)', 2_000, 200, (i) => {
    updatePotLine(page, lines[i % lines.length]!, { amount: 5_000_00 + i }, participant, i)
  }),
  measureFanOut(200, 55),
  measure(`board: ${PASTE.toLocaleString('en-GB')} shapes pasted at once`, 20, 3, () => {
    page.transact(() => {
      for (let k = 0; k < PASTE; k++) {
        const n = SHAPES + pasted++
        pageCanvas.set(`shape:s${n}`, shape(n, (n % 100) * 200, 50_000 + Math.floor(n / 100) * 120))
      }
    })
  }),
]

const us = (ms: number) => (ms * 1000).toFixed(1)
const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!
const p99 = (values: number[]) => sorted(values)[Math.min(values.length - 1, Math.floor(values.length * 0.99))]!
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

const table = rows
  .map((r) => {
    const extra = mean(r.guard) - mean(r.plain)
    return `| ${r.label} | ${r.runs} | ${us(median(r.guard))} | ${us(p99(r.guard))} | ${Math.round(1000 / mean(r.guard)).toLocaleString('en-GB')} | ${us(mean(r.plain))} | ${us(extra)} |`
  })
  .join('\n')

const report =
  `\n## Write enforcement per participant update (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version})\n\n` +
  `Room with ${SHAPES.toLocaleString('en-GB')} board shapes, ${POT_LINES} pot lines and ${CLAUSES} clauses (one of ${Math.round(bigClauseBytes / 1000)} kB); each update taken by the write guard ` +
  `(\`WriteGuard.receive\`: applied to the live document, read, judged, its ledger entries worked out, the shadow replica kept) and, for comparison, applied by Yjs alone to a copy of the room (\`test/bench/writeGuardBench.ts\`). ` +
  `"Over Yjs" is what enforcement adds to the integration every server pays.\n\n` +
  `| update | runs | guard median µs | guard p99 µs | guard ops/s | Yjs alone mean µs | over Yjs mean µs |\n` +
  `|---|---|---|---|---|---|---|\n${table}\n`
publishReport(report)
