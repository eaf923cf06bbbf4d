/**
 * node --import tsx test/bench/diffBench.ts [--no-append]: the cost of diffWorkshops (shared/diff.ts)
 * on a room with 5,000 shapes, 500 pot lines and 50 clauses of a few paragraphs, where about 5 % of
 * each changed between the two states. Appends its figures to docs/benchmarks.md.
 */
import * as Y from 'yjs'
import { diffWorkshops, isEmptyDiff, summariseDiff } from '../../shared/diff.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { addPotLine, DEFAULT_LINE, POT_STATUSES, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { openCanvas } from '../../shared/schema.ts'
import { publishReport } from './report.ts'

const actor = { userId: 'bench', name: 'Bench', organisation: 'Bench' }
const SHAPES = 5000
const LINES = 500
const CLAUSES = 50

const words =
  'the partners will pool their budgets for families with multiple problems and report to the board each quarter on outcomes'.split(
    ' ',
  )
const paragraph = (seed: number) =>
  `${Array.from({ length: 60 }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ')}.`

const doc = new Y.Doc()
const canvas = openCanvas(doc)
doc.transact(() => {
  for (let i = 0; i < SHAPES; i++) {
    canvas.set(`shape:${i}`, {
      id: `shape:${i}`,
      typeName: 'shape',
      type: 'geo',
      x: i % 100,
      y: Math.floor(i / 100),
      rotation: 0,
      parentId: 'page:page',
      index: `a${i}`,
      isLocked: false,
      opacity: 1,
      props: { w: 100, h: 80, geo: 'rectangle', color: 'black', fill: 'none', text: `Sticky ${i}` },
      meta: {},
    })
  }
})
const lines: string[] = []
for (let i = 0; i < LINES; i++)
  lines.push(
    addPotLine(
      doc,
      {
        ...DEFAULT_LINE,
        partner: ORGANISATIONS[i % ORGANISATIONS.length]!,
        stream: `Stream ${i % 11}`,
        amount: (i + 1) * 1_000_00,
        status: POT_STATUSES[i % 4]!,
      },
      actor,
      i,
    ),
  )
const clauses: string[] = []
for (let i = 0; i < CLAUSES; i++)
  clauses.push(
    addClause(doc, `Clause ${i}`, [paragraph(i), paragraph(i + 1), paragraph(i + 2), paragraph(i + 3)], actor, i),
  )
const before = Y.encodeStateAsUpdate(doc)

// About 5 % of each changes.
doc.transact(() => {
  for (let i = 0; i < SHAPES; i += 20)
    canvas.set(`shape:${i}`, {
      ...canvas.get(`shape:${i}`)!,
      x: 500,
      props: { ...(canvas.get(`shape:${i}`)!.props as object), color: 'red' },
    })
})
for (let i = 0; i < LINES; i += 20) updatePotLine(doc, lines[i]!, { amount: (i + 1) * 2_000_00 }, actor, 1000 + i)
for (let i = 0; i < CLAUSES; i += 20) {
  const text = (clauseBody(doc, clauses[i]!)!.get(1) as Y.XmlElement).get(0) as Y.XmlText
  text.insert(40, ' and the voluntary sector ')
  text.delete(100, 12)
}
const after = Y.encodeStateAsUpdate(doc)

const first = diffWorkshops(before, after)
if (isEmptyDiff(first)) throw new Error('the bench diff should not be empty')
const counts = `${first.board.changed.length} shapes, ${first.pot.changed.length} pot lines, ${first.protocol.changed.length} clauses changed; ${summariseDiff(first).length} sentences`

const RUNS = 20
const times: number[] = []
for (let i = 0; i < 3; i++) diffWorkshops(before, after)
for (let i = 0; i < RUNS; i++) {
  const started = performance.now()
  diffWorkshops(before, after)
  times.push(performance.now() - started)
}
times.sort((a, b) => a - b)
const median = times[Math.floor(RUNS / 2)]!
const max = times[RUNS - 1]!
const self = (() => {
  const started = performance.now()
  diffWorkshops(after, after)
  return performance.now() - started
})()

const report = `
## Workshop diff (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version})

\`node --import tsx test/bench/diffBench.ts\`: \`diffWorkshops\` (shared/diff.ts) on two encoded states of a room with ${SHAPES.toLocaleString('en-GB')} shapes, ${LINES} pot lines and ${CLAUSES} clauses of 4 paragraphs (${(before.length / 1024).toFixed(0)} KB encoded), about 5 % of each changed (${counts}). Includes loading both states into fresh documents. ${RUNS} runs after 3 warm-ups.

| diff | median ms | max ms |
|---|---|---|
| before → after | ${median.toFixed(1)} | ${max.toFixed(1)} |
| a state with itself (one run) | ${self.toFixed(1)} | |
`
publishReport(report)
