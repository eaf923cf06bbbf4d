/**
 * npm run bench:cold-load [-- --runs 7] [--records 10000] [--no-append]
 *
 * The cold-10k-records scenario of `npm run bench`, repeated: one room is filled once with tldraw
 * records through a real WebsocketProvider, then the server is restarted (SIGTERM, same data
 * directory) `runs` times and each time a new real WebsocketProvider connects. Reports, for each
 * run and as median and range: ms to the first "synced", the records held at that moment, and the
 * server's and this client's CPU time from connecting to "synced" (less sensitive than wall time
 * to other work on a shared machine). The server bundle is SERVER_BUNDLE when set (to measure a
 * build of other code side by side), else dist-server/main.mjs. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
 */
import os from 'node:os'
import * as Y from 'yjs'
import { readUsage, selfCpuSeconds } from './proc.ts'
import { publishReport } from './report.ts'
import { fillWithRecords, providerFor, whenSynced } from './scenarios.ts'
import { removeBenchDirs, startOurs, type Target } from './targets.ts'

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const RUNS = argNumber('runs', 7)
const RECORDS = argNumber('records', 10_000)

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function once(target: Target, room: { roomId: string; token: string }) {
  const doc = new Y.Doc()
  const cpuBefore = readUsage(target.pid).cpuSeconds
  const clientBefore = selfCpuSeconds()
  const started = performance.now()
  // The step 2 is applied in one transaction: when it began (the state has arrived whole) and how
  // long the client took to decode and integrate it.
  let receivedAt = Number.NaN
  let applyStarted = 0
  let applyMs = 0
  doc.on('beforeTransaction', () => {
    applyStarted = performance.now()
    if (Number.isNaN(receivedAt)) receivedAt = applyStarted - started
  })
  doc.on('afterTransaction', () => {
    applyMs += performance.now() - applyStarted
  })
  const provider = providerFor(target, room, doc)
  await whenSynced(provider)
  const ms = performance.now() - started
  const cpuMs = (readUsage(target.pid).cpuSeconds - cpuBefore) * 1000
  const clientCpuMs = (selfCpuSeconds() - clientBefore) * 1000
  const records = doc.getArray('canvas').length
  provider.destroy()
  doc.destroy()
  return { ms, cpuMs, clientCpuMs, records, receivedAt, applyMs }
}

async function main() {
  let target = await startOurs()
  const runs: {
    ms: number
    cpuMs: number
    clientCpuMs: number
    records: number
    receivedAt: number
    applyMs: number
    load: number
  }[] = []
  try {
    const room = await target.createRoom('cold-load')
    await fillWithRecords(target, room, RECORDS)
    for (let i = 0; i < RUNS; i++) {
      await target.stop('SIGTERM')
      target = await startOurs(target.dataDir)
      // Let the fresh process finish starting up before the clock starts.
      await new Promise((r) => setTimeout(r, 300))
      runs.push({ ...(await once(target, room)), load: os.loadavg()[0]! })
      process.stderr.write(`run ${i + 1}: ${runs.at(-1)!.ms.toFixed(1)} ms\n`)
    }
  } finally {
    await target.stop('SIGTERM')
    removeBenchDirs()
  }
  const f = (n: number) => n.toFixed(1)
  const ms = runs.map((r) => r.ms)
  const cpu = runs.map((r) => r.cpuMs)
  const client = runs.map((r) => r.clientCpuMs)
  const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`
  const lines = [
    `\n### Cold load of ${RECORDS.toLocaleString('en-GB')} records, ${RUNS} restarts (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n`,
    `Node ${process.version}, ${os.cpus().length} cores; load average during the runs ${Math.min(...runs.map((r) => r.load)).toFixed(1)}–${Math.max(...runs.map((r) => r.load)).toFixed(1)}.\n`,
    '| run | ms to first "synced" | records at "synced" | ms until the state had arrived | client ms applying it | server CPU ms | client CPU ms |',
    '|---|---|---|---|---|---|---|',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${f(r.ms)} | ${r.records} | ${f(r.receivedAt)} | ${f(r.applyMs)} | ${r.cpuMs.toFixed(0)} | ${r.clientCpuMs.toFixed(0)} |`,
    ),
    `| **median (range)** | **${f(median(ms))}** (${f(Math.min(...ms))}–${f(Math.max(...ms))}) | | **${f(median(runs.map((r) => r.receivedAt)))}** | **${f(median(runs.map((r) => r.applyMs)))}** | **${median(cpu).toFixed(0)}** (${range(cpu)}) | **${median(client).toFixed(0)}** (${range(client)}) |`,
    '',
  ]
  publishReport(lines.join('\n'))
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
