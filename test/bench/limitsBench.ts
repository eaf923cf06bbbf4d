/**
 * node --import tsx test/bench/limitsBench.ts [--no-append]: the per-message cost of the limits on
 * the sync hot path (sync/limits.ts, sync/inboundGate.ts): one InboundGate.offer (which charges
 * ConnectionRate.admit) per incoming frame, and a slot taken and released per connection. Appends
 * its figures to docs/benchmarks.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import { InboundGate } from '../../server/sync/inboundGate.ts'
import { ConnectionRate, ConnectionSlots } from '../../server/sync/limits.ts'

const N = 5_000_000
const limits = { messagesPerSecond: 1e12, messageBurst: 1e12, bytesPerSecond: 1e15, byteBurst: 1e15 }

function nsPer(run: () => void, n: number): number {
  run() // warm up
  const started = process.hrtime.bigint()
  run()
  return Number(process.hrtime.bigint() - started) / n
}

const rate = new ConnectionRate(limits)
const admitNs = nsPer(() => {
  for (let i = 0; i < N; i++) rate.admit(64)
}, N)

let delivered = 0
const gate = new InboundGate({
  rate: new ConnectionRate(limits),
  maxPendingFrames: 65_536,
  maxPendingBytes: 1e15,
  supersedable: (frame) => frame[0] === 1,
  deliver: () => {
    delivered++
  },
  pause: () => {},
  resume: () => {},
  throttled: () => {},
  overflow: () => {},
})
const frame = new Uint8Array(64)
const gateNs = nsPer(() => {
  for (let i = 0; i < N; i++) gate.offer(frame)
}, N)
if (delivered !== 2 * N) throw new Error('the open gate held frames back')

const slots = new ConnectionSlots({ perIp: 1e9, perRoom: 1e9 })
const SLOTS = 1_000_000
const slotNs = nsPer(() => {
  for (let i = 0; i < SLOTS; i++) {
    const slot = slots.take(`10.0.${i & 255}.${(i >> 8) & 255}`, `room-${i & 1023}`)
    if (slot.ok) slot.release()
  }
}, SLOTS)

const table = [
  '| operation | ns each |',
  '|---|---|',
  `| \`ConnectionRate.admit\` (two token buckets, once per incoming frame) | ${admitNs.toFixed(0)} |`,
  `| \`InboundGate.offer\` while open (admit and pass on, once per incoming frame) | ${gateNs.toFixed(0)} |`,
  `| \`ConnectionSlots.take\` + \`release\` (once per connection) | ${slotNs.toFixed(0)} |`,
].join('\n')
console.log(table)

if (!process.argv.includes('--no-append')) {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ')
  const section = `\n## Limits on the sync path (${when} UTC, Node ${process.version})\n\n\`node --import tsx test/bench/limitsBench.ts\`: ${N.toLocaleString('en-GB')} admits and offers, ${SLOTS.toLocaleString('en-GB')} slot cycles.\n\n${table}\n`
  fs.appendFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'benchmarks.md'), section)
}
