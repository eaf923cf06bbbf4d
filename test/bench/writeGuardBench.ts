/**
 * node --import tsx test/bench/writeGuardBench.ts [--no-append]
 *
 * The cost of the server's write enforcement per participant update (issue #16): each update is
 * tried on the room's candidate replica (server/sync/candidate.ts `Candidate.try`), what it did is
 * judged by the section rules (shared/rules/sectionRules.ts `judgeChanges`), the server's ledger
 * entries are worked out (shared/rules/ledgerOfChanges.ts), and the accepted bytes are applied to
 * the live document, as server/sync/writeGuard.ts and server/rooms/room.ts do. The room is a large
 * one: 5,000 board shapes, 500 pot lines and 50 clauses, one of them with a 50 kB body. Prints
 * ops/s and µs per update, and appends the table to docs/benchmarks.md unless `--no-append`.
 */
import * as Y from 'yjs'
import { Candidate } from '../../server/sync/candidate.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { ledgerOfChanges } from '../../shared/rules/ledgerOfChanges.ts'
import { judgeChanges } from '../../shared/rules/sectionRules.ts'
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
  props: { w: 160, h: 90, geo: 'rectangle', color: 'black', fill: 'none', dash: 'draw', size: 'm', text: `Card ${i}`, align: 'middle', verticalAlign: 'middle' },
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
  lines.push(addPotLine(seed, { ...DEFAULT_LINE, partner: ORGANISATIONS[i % ORGANISATIONS.length]!, stream: `Stream ${i % 11}`, amount: (i + 1) * 1_000_00 }, participant, i))
}
const paragraph = 'Partners pool funding for families with complex needs, and agree together how it is spent. '
const bigBody = Array.from({ length: Math.ceil(BIG_CLAUSE_BYTES / paragraph.length / 5) }, () => paragraph.repeat(5))
const clauses: string[] = [addClause(seed, 'Pooling (long)', bigBody, facilitator, 0)]
for (let i = 1; i < CLAUSES; i++) clauses.push(addClause(seed, `Clause ${i}`, [paragraph, 'Decisions by consensus.'], facilitator, i))
const bigClauseBytes = new TextEncoder().encode(clauseBody(seed, clauses[0]!)!.toString()).length
const live = new Y.Doc({ gc: true })
Y.applyUpdate(live, Y.encodeStateAsUpdate(seed))
seed.destroy()

/** The participant's page: a copy of the room that sends its edits as updates. */
const page = new Y.Doc()
Y.applyUpdate(page, Y.encodeStateAsUpdate(live))
const pageCanvas = openCanvas(page)

const candidate = new Candidate(live)
let bound: string | null = null

interface Row {
  label: string
  runs: number
  trial: number[]
  judge: number[]
  ledger: number[]
  apply: number[]
}

/** Makes `runs` updates with `edit` on the page and takes each as the room does, timing each step. */
function measure(label: string, runs: number, warmup: number, edit: (i: number) => void): Row {
  const row: Row = { label, runs, trial: [], judge: [], ledger: [], apply: [] }
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
      const trial = candidate.try(update)
      const t1 = performance.now()
      if (trial.pending || trial.unplaceable) throw new Error(`${label}: unresolvable`)
      const refusal = judgeChanges(
        {
          before: live,
          after: candidate.after,
          writer: { link, userId: bound, proven: false },
          locked: new Set(),
          updateBytes: update.byteLength,
          claimUser: (userId) => {
            if (bound !== null) return bound === userId
            bound = userId
            return true
          },
        },
        trial.changes,
      )
      const t2 = performance.now()
      if (refusal) throw new Error(`${label}: refused: ${refusal.reason}`)
      ledgerOfChanges(live, candidate.after, trial.changes, { by: participant, link }, Date.now())
      const t3 = performance.now()
      // Accepted: the live document takes the same bytes (the candidate holds them already).
      Y.applyUpdate(live, update)
      const t4 = performance.now()
      if (i >= warmup) {
        row.trial.push(t1 - t0)
        row.judge.push(t2 - t1)
        row.ledger.push(t3 - t2)
        row.apply.push(t4 - t3)
      }
    }
  } finally {
    page.off('update', capture)
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
const total = (r: Row) => r.trial.map((t, i) => t + r.judge[i]!)

const table = rows
  .map((r) => {
    const guard = total(r)
    return `| ${r.label} | ${r.runs} | ${us(median(guard))} | ${us(p99(guard))} | ${Math.round(1000 / mean(guard)).toLocaleString('en-GB')} | ${us(mean(r.trial))} | ${us(mean(r.judge))} | ${us(mean(r.ledger))} | ${us(mean(r.apply))} |`
  })
  .join('\n')

const report =
  `\n## Write enforcement per participant update (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version})\n\n` +
  `Room with ${SHAPES.toLocaleString('en-GB')} board shapes, ${POT_LINES} pot lines and ${CLAUSES} clauses (one of ${Math.round(bigClauseBytes / 1000)} kB); each update tried on the candidate replica ` +
  `(\`Candidate.try\`) and judged (\`judgeChanges\`), its ledger entries worked out, then applied to the live document (\`test/bench/writeGuardBench.ts\`). ` +
  `"Guard" is try + judge: the time a room spends deciding an update before it reaches anyone.\n\n` +
  `| update | runs | guard median µs | guard p99 µs | guard ops/s | try mean µs | judge mean µs | ledger mean µs | apply mean µs |\n` +
  `|---|---|---|---|---|---|---|---|---|\n${table}\n`
publishReport(report)
