/**
 * node --import tsx test/bench/writePolicyBench.ts [--no-append]
 *
 * The cost of the server's write policy (server/sync/writePolicy.ts) per participant update, next
 * to the cost of applying the same update, in a realistic room: 200 pot lines, 50 clauses, their
 * ledger. Each update is checked, then applied, as the room does. Appends to docs/benchmarks.md.
 */
import * as Y from 'yjs'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { WritePolicy } from '../../server/sync/writePolicy.ts'
import { publishReport } from './report.ts'

const actor = { userId: 'bench', name: 'Bench', organisation: 'Bench' }
const RUNS = 5000

const server = new Y.Doc({ gc: true })
const lines: string[] = []
const clauses: string[] = []
for (let i = 0; i < 200; i++) lines.push(addPotLine(server, { ...DEFAULT_LINE, partner: ORGANISATIONS[i % ORGANISATIONS.length]!, stream: `Stream ${i % 11}`, amount: (i + 1) * 1_000_00 }, actor, i))
for (let i = 0; i < 50; i++) clauses.push(addClause(server, `Clause ${i}`, ['Partners pool funding for families with complex needs.', 'Decisions by consensus.'], actor, i))
const client = new Y.Doc()
Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
const policy = new WritePolicy(server)

interface Row {
  label: string
  check: number[]
  apply: number[]
}

/** Makes RUNS updates with `edit` on the client; checks and applies each on the server, timing both. */
function measure(label: string, edit: (i: number) => void): Row {
  const row: Row = { label, check: [], apply: [] }
  let update: Uint8Array | null = null
  const capture = (u: Uint8Array) => (update = u)
  client.on('update', capture)
  for (let i = 0; i < RUNS + 200; i++) {
    update = null
    edit(i)
    const u = update as Uint8Array | null
    if (!u) throw new Error(`${label}: no update`)
    const t0 = performance.now()
    const verdict = policy.check('participant', u)
    const t1 = performance.now()
    if (!verdict.ok) throw new Error(`${label}: refused: ${verdict.reason}`)
    Y.applyUpdate(server, u)
    const t2 = performance.now()
    if (i >= 200) {
      // the first 200 warm the JIT
      row.check.push(t1 - t0)
      row.apply.push(t2 - t1)
    }
  }
  client.off('update', capture)
  return row
}

const rows = [
  measure('map overwrite (the fan-out benchmark’s edit)', (i) => client.getMap('bench').set('c1', `@@${i}@@`)),
  measure('pot line amount, with its ledger entry', (i) => updatePotLine(client, lines[i % lines.length]!, { amount: 5_000_00 + i }, actor, i)),
  measure('one character typed into a clause body', (i) => {
    const paragraph = clauseBody(client, clauses[i % clauses.length]!)!.get(0) as Y.XmlElement
    const text = paragraph.get(0) as Y.XmlText
    text.insert(Math.floor(text.length / 2), 'x')
  }),
  measure('new pot line (nested map, 9 fields) with ledger entry', (i) => lines.push(addPotLine(client, { ...DEFAULT_LINE, partner: 'Kent County Council', stream: `New ${i}` }, actor, i))),
]

const us = (ms: number) => (ms * 1000).toFixed(1)
const stat = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * p)]!
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const table = rows
  .map((r) => `| ${r.label} | ${us(stat(r.check, 0.5))} | ${us(stat(r.check, 0.99))} | ${us(mean(r.check))} | ${us(mean(r.apply))} | ${Math.round((mean(r.check) / mean(r.apply)) * 100)} % |`)
  .join('\n')
const report = `\n## Write policy per participant update (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version})\n\nRoom with 200 pot lines and 50 clauses; ${RUNS} updates each, checked then applied on the server document (\`test/bench/writePolicyBench.ts\`). Facilitators' updates are not checked.\n\n| update | check median µs | check p99 µs | check mean µs | apply mean µs | check / apply |\n|---|---|---|---|---|---|\n${table}\n`
publishReport(report)
