/**
 * npm run bench:pot: the cost of reading the pot and recomputing its totals, which the Pot view
 * does once per animation frame whenever the pot changes. Appends to docs/benchmarks.md.
 */
import * as Y from 'yjs'
import {
  addPotLine,
  computePotTotals,
  DEFAULT_LINE,
  POT_MODES,
  POT_STATUSES,
  readPotLines,
  updatePotLine,
} from '../../shared/pot.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import { readLedger } from '../../shared/ledger.ts'
import { publishReport } from './report.ts'

const actor = { userId: 'bench', name: 'Bench', organisation: 'Bench' }

function measure(label: string, runs: number, fn: () => void): string {
  for (let i = 0; i < 5; i++) fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    fn()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return `| ${label} | ${times[Math.floor(runs / 2)]!.toFixed(2)} | ${times[Math.floor(runs * 0.95)]!.toFixed(2)} |`
}

const rows: string[] = []
for (const count of [200, 2000]) {
  const doc = new Y.Doc()
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    ids.push(
      addPotLine(
        doc,
        {
          ...DEFAULT_LINE,
          partner: ORGANISATIONS[i % ORGANISATIONS.length]!,
          stream: `Stream ${i % 11}`,
          amount: (i + 1) * 1_000_00,
          mode: POT_MODES[i % 2]!,
          status: POT_STATUSES[i % 5]!,
        },
        actor,
        i,
      ),
    )
  }
  rows.push(measure(`${count} lines: read lines + totals`, 50, () => computePotTotals(readPotLines(doc))))
  const lines = readPotLines(doc)
  rows.push(measure(`${count} lines: totals only`, 200, () => computePotTotals(lines)))
  rows.push(measure(`${count} lines: read the ledger (${readLedger(doc).length} entries)`, 50, () => readLedger(doc)))
  let n = 0
  rows.push(
    measure(`${count} lines: one edit (amount, with ledger entry)`, 200, () =>
      updatePotLine(doc, ids[n++ % count]!, { amount: 5_000_00 + n }, actor, n),
    ),
  )
}

const report = `\n## Pot (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version})\n\n| operation | median ms | p95 ms |\n|---|---|---|\n${rows.join('\n')}\n`
publishReport(report)
