/**
 * Benchmark scenarios. Each is bounded in time, uses loopback only, and returns figures for the
 * report; none asserts anything (benchmarks are measured, not tested).
 */
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { getCanvasArray, openCanvas } from '../../shared/schema.ts'
import { readUsage as readPidUsage, resetPeak as resetPidPeak, selfCpuSeconds, type ProcessUsage } from './proc.ts'
import { newLatencyBook, percentile, RawClient } from './rawClient.ts'
import type { Target } from './targets.ts'

export type Figures = Record<string, string | number>

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The sync base of the n-th client: a multi-instance target spreads clients over its instances in turn. */
function syncBaseFor(target: Target, n: number): string {
  const bases = target.syncBases
  return bases && bases.length > 0 ? bases[n % bases.length]! : target.syncBase
}

function roomUrl(target: Target, room: { roomId: string; token: string }, n = 0): string {
  return `${syncBaseFor(target, n)}/${room.roomId}${room.token ? `?token=${encodeURIComponent(room.token)}` : ''}`
}

/** CPU and memory of the target's server processes, summed over its instances. */
function readUsage(target: Target): ProcessUsage {
  const total = { cpuSeconds: 0, rssBytes: 0, peakRssBytes: 0 }
  for (const pid of target.pids ?? [target.pid]) {
    const usage = readPidUsage(pid)
    total.cpuSeconds += usage.cpuSeconds
    total.rssBytes += usage.rssBytes
    total.peakRssBytes += usage.peakRssBytes
  }
  return total
}

function resetPeak(target: Target): void {
  for (const pid of target.pids ?? [target.pid]) resetPidPeak(pid)
}

async function openClients(
  target: Target,
  rooms: { roomId: string; token: string }[],
  perRoom: number,
  book = newLatencyBook(),
) {
  const clients: RawClient[] = []
  for (const room of rooms) {
    for (let i = 0; i < perRoom; i++)
      clients.push(
        target.addressing === 'message'
          ? new RawClient(syncBaseFor(target, i), book, room.roomId)
          : new RawClient(roomUrl(target, room, i), book),
      )
  }
  await Promise.all(clients.map((c) => c.synced))
  return { clients, book }
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : 'n/a')

/**
 * Every client edits `rate` times a second for `seconds`; latency is from the sender's send to each
 * other client in its room receiving it.
 */
export async function editLoad(
  target: Target,
  options: { rooms: number; clientsPerRoom: number; rate: number; seconds: number },
): Promise<Figures> {
  const rooms = await Promise.all(Array.from({ length: options.rooms }, (_, i) => target.createRoom(`bench-${i}`)))
  const { clients, book } = await openClients(target, rooms, options.clientsPerRoom)
  await sleep(300)
  resetPeak(target)
  const before = readUsage(target)
  const flushesBefore = await flushCounters(target)
  const selfBefore = selfCpuSeconds()
  const intervalMs = 1000 / options.rate
  const started = performance.now()
  // Spread first edits over one interval so that clients do not all fire in the same tick.
  const nextAt = clients.map((_, i) => started + (i / clients.length) * intervalMs)
  let sends = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now()
      if (now - started >= options.seconds * 1000) {
        clearInterval(timer)
        resolve()
        return
      }
      for (let i = 0; i < clients.length; i++) {
        while (nextAt[i]! <= now) {
          if (clients[i]!.edit()) sends++
          nextAt[i]! += intervalMs
        }
      }
    }, 2)
  })
  const expected = sends * (options.clientsPerRoom - 1)
  const drainStarted = performance.now()
  while (book.received < expected && performance.now() - drainStarted < 5000) await sleep(20)
  const after = readUsage(target)
  const elapsed = (performance.now() - started) / 1000
  const selfCpu = selfCpuSeconds() - selfBefore
  const flushesAfter = await flushCounters(target)
  for (const client of clients) client.close()
  const sorted = Float64Array.from(book.samples).sort()
  return {
    deliveries: `${book.received}/${expected}`,
    undelivered: expected - book.received,
    'p50 ms': round(percentile(Array.from(sorted), 50)),
    'p95 ms': round(percentile(Array.from(sorted), 95)),
    'p99 ms': round(percentile(Array.from(sorted), 99)),
    'max ms': round(sorted.length ? sorted[sorted.length - 1]! : NaN),
    'server CPU s': round(after.cpuSeconds - before.cpuSeconds, 2),
    'server CPU %core': round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100, 0),
    'server peak RSS MB': round(after.peakRssBytes / 1048576, 0),
    'client CPU %core': round((selfCpu / elapsed) * 100, 0),
    ...flushFigures(flushesBefore, flushesAfter, elapsed),
  }
}

const FLUSH_COUNTERS = {
  flushes: 'commonpot_flushes_total',
  append: 'commonpot_flush_append_microseconds_total',
  durable: 'commonpot_flush_durable_wait_microseconds_total',
  deliver: 'commonpot_flush_deliver_microseconds_total',
  held: 'commonpot_flush_held_microseconds_total',
  compactions: 'commonpot_compactions_total',
  compact: 'commonpot_compact_microseconds_total',
} as const
type FlushCounters = Record<keyof typeof FLUSH_COUNTERS, number>

/** Our server's flush counters from /metrics (null for other targets, or several instances). */
async function flushCounters(target: Target): Promise<FlushCounters | null> {
  if (target.name !== 'commonpot') return null
  const text = await (await fetch(`${target.origin}/metrics`)).text()
  const read = (metric: string) => Number(text.match(new RegExp(`^${metric} (\\d+)$`, 'm'))?.[1] ?? NaN)
  return Object.fromEntries(Object.entries(FLUSH_COUNTERS).map(([key, metric]) => [key, read(metric)])) as FlushCounters
}

/**
 * Where our flushes spent their time over the run: how many, and per flush the append (the commit,
 * on the event loop), the wait for it to be durable (the fsync, off the loop), the sends, and the
 * oldest update's wait; and the compactions, which hold the next flush up.
 */
function flushFigures(before: FlushCounters | null, after: FlushCounters | null, seconds: number): Figures {
  if (!before || !after) return {}
  const flushes = after.flushes - before.flushes
  const perFlush = (key: 'append' | 'durable' | 'deliver' | 'held') =>
    round((after[key] - before[key]) / 1000 / flushes, 2)
  return {
    'flushes/s': round(flushes / seconds, 0),
    'flush: append ms': perFlush('append'),
    'flush: durable wait ms': perFlush('durable'),
    'flush: send ms': perFlush('deliver'),
    'flush: oldest held ms': perFlush('held'),
    compactions: after.compactions - before.compactions,
    'ms per compaction': round((after.compact - before.compact) / 1000 / (after.compactions - before.compactions), 1),
  }
}

/**
 * Durable throughput: in each of `rooms` rooms one writer sends bursts of 100 edits and waits until
 * a witness in the room has received them all, for `seconds`. On our server a relayed edit is a
 * stored edit, so edits/s is the sustained rate of durable appends; the reference relays before
 * its asynchronous LevelDB write, so its figure is relayed edits only.
 */
export async function durableThroughput(target: Target, options: { rooms: number; seconds: number }): Promise<Figures> {
  const rooms = await Promise.all(Array.from({ length: options.rooms }, (_, i) => target.createRoom(`persist-${i}`)))
  const pairs = await Promise.all(
    rooms.map(async (room) => {
      const { clients, book } = await openClients(target, [room], 2)
      return { writer: clients[0]!, witness: clients[1]!, book }
    }),
  )
  const metricsBefore = await appendedUpdates(target)
  const before = readUsage(target)
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  let edits = 0
  await Promise.all(
    pairs.map(async ({ writer, book }) => {
      let sent = 0
      while (performance.now() < deadline) {
        for (let i = 0; i < 100; i++) if (writer.edit()) sent++
        const waitUntil = performance.now() + 10_000
        while (book.received < sent && performance.now() < waitUntil) await sleep(1)
      }
      edits += book.received
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const after = readUsage(target)
  const metricsAfter = await appendedUpdates(target)
  for (const { writer, witness } of pairs) {
    writer.close()
    witness.close()
  }
  return {
    'edits relayed/s': Math.round(edits / elapsed),
    'updates stored/s':
      metricsAfter === null || metricsBefore === null ? 'n/a' : Math.round((metricsAfter - metricsBefore) / elapsed),
    'server CPU %core': round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100, 0),
  }
}

/** Our server's count of appended updates, from /metrics (null for the reference). */
async function appendedUpdates(target: Target): Promise<number | null> {
  if (target.name !== 'commonpot') return null
  const text = await (await fetch(`${target.origin}/metrics`)).text()
  const match = text.match(/^commonpot_updates_appended_total (\d+)$/m)
  return match ? Number(match[1]) : null
}

/** A real WebsocketProvider in this process; resolves with its provider once "synced". */
export function providerFor(
  target: Target,
  room: { roomId: string; token: string },
  doc: Y.Doc,
  base = target.syncBase,
): WebsocketProvider {
  return new WebsocketProvider(base, room.roomId, doc, {
    params: room.token ? { token: room.token } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
}

/**
 * Closes a provider and its document: destroying the document also stops the awareness's 3 s
 * timer, which provider.destroy() leaves running (it kept `npm run bench` from exiting).
 */
export function closeProvider(provider: WebsocketProvider): void {
  provider.destroy()
  provider.doc.destroy()
}

export function whenSynced(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
}

/** Waits until a second client sees `count` entries in the array `key`: the server holds them. */
async function untilServerHolds(
  target: Target,
  room: { roomId: string; token: string },
  key: string,
  count: number,
): Promise<void> {
  const doc = new Y.Doc()
  const witness = providerFor(target, room, doc)
  const started = Date.now()
  while (doc.getArray(key).length < count && Date.now() - started < 60_000) await sleep(20)
  closeProvider(witness)
}

/**
 * Fills a room with `edits` separate updates (one small board record pushed each: the canvas is a
 * part any participant may write), then waits until the server holds them.
 */
export async function fillWithEdits(
  target: Target,
  room: { roomId: string; token: string },
  edits: number,
): Promise<void> {
  const doc = new Y.Doc()
  const provider = providerFor(target, room, doc)
  await whenSynced(provider)
  const list = getCanvasArray(doc)
  for (let i = 0; i < edits; i++) {
    const id = `shape:e${i}`
    list.push([{ key: id, val: { id, typeName: 'shape', i } }])
    if (i % 500 === 499) await sleep(1)
  }
  await untilServerHolds(target, room, 'canvas', edits)
  closeProvider(provider)
}

/** Writes `count` tldraw-like shape records into the canvas, 100 per transaction. */
export async function fillWithRecords(
  target: Target,
  room: { roomId: string; token: string },
  count: number,
): Promise<void> {
  const doc = new Y.Doc()
  const provider = providerFor(target, room, doc)
  await whenSynced(provider)
  const canvas = openCanvas(doc)
  for (let i = 0; i < count; i += 100) {
    doc.transact(() => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        const id = `shape:bench${j}`
        canvas.set(id, {
          id,
          typeName: 'shape',
          type: 'geo',
          x: (j % 100) * 120,
          y: Math.floor(j / 100) * 120,
          rotation: 0,
          index: `a${j.toString(36)}`,
          parentId: 'page:page',
          isLocked: false,
          opacity: 1,
          meta: {},
          props: {
            geo: 'rectangle',
            w: 100,
            h: 80,
            color: 'black',
            fill: 'none',
            dash: 'draw',
            size: 'm',
            richText: { type: 'doc', content: [] },
          },
        })
      }
    })
    await sleep(1)
  }
  await untilServerHolds(target, room, 'canvas', count)
  closeProvider(provider)
}

/**
 * Time from opening a connection to the first "synced" and to the complete content, and what the
 * document held at that first "synced" (a server that answers before loading reports too few).
 */
export async function timeToSynced(
  target: Target,
  room: { roomId: string; token: string },
  count: (doc: Y.Doc) => number,
): Promise<Figures> {
  const doc = new Y.Doc()
  const started = performance.now()
  // On a multi-instance target, the last instance: not the one the room was filled through.
  const provider = providerFor(target, room, doc, target.syncBases?.at(-1) ?? target.syncBase)
  await whenSynced(provider)
  const syncedAt = performance.now() - started
  const atSynced = count(doc)
  // The expected total is what a second, late reader sees once everything has arrived.
  let previous = -1
  let completeAt = syncedAt
  const deadline = performance.now() + 15_000
  while (performance.now() < deadline) {
    const now = count(doc)
    if (now !== previous) {
      previous = now
      completeAt = performance.now() - started
    } else if (performance.now() - started - completeAt > 1000) break
    await sleep(5)
  }
  closeProvider(provider)
  return {
    'ms to synced': round(syncedAt, 1),
    'items at synced': atSynced,
    'ms to full content': round(completeAt, 1),
    items: previous,
  }
}

/** Loads `count` rooms (one client each connects, syncs and leaves) and reports the RSS they add. */
export async function idleRooms(target: Target, count: number): Promise<Figures> {
  const rooms = await Promise.all(Array.from({ length: count }, (_, i) => target.createRoom(`idle-${i}`)))
  await sleep(500)
  const baseline = readUsage(target).rssBytes
  for (let i = 0; i < rooms.length; i += 50) {
    const { clients } = await openClients(target, rooms.slice(i, i + 50), 1)
    for (const client of clients) client.close()
  }
  await sleep(2000)
  const loaded = readUsage(target).rssBytes
  return {
    rooms: count,
    'RSS before MB': round(baseline / 1048576, 0),
    'RSS after MB': round(loaded / 1048576, 0),
    'KB per room': round((loaded - baseline) / count / 1024, 1),
  }
}
