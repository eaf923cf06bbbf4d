/**
 * node --import tsx test/bench/snapshotBoundsBench.ts [--part cycles|inproc|all]
 *
 * Snapshots within bounds (issue #18). `cycles` runs the real server (dist-server/main.mjs of the
 * tree it is run from, so it measures the code before the change when copied into a checkout of
 * it) on a room of about 1 MiB and counts what 50 visits store: a browser connecting (which writes
 * its member record's `lastSeen`) and leaving; the same with a one-field edit each time; and 50
 * manual snapshots of the unchanged room. `inproc` times the pieces the change adds: the content
 * fingerprint against the encode and hash every snapshot already paid, and the retention pass on a
 * room with a month of automatic snapshots (SQLite and PostgreSQL). Prints Markdown tables.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { recordMember } from '../../shared/schema.ts'
import { putRecord } from '../helpers/records.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, testDevice, waitFor } from '../helpers/syncClient.ts'

const part = process.argv.includes('--part') ? process.argv[process.argv.indexOf('--part') + 1] : 'all'
const CYCLES = 50
const RECORDS = 256
const RECORD_TEXT = 4096

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

interface Listed {
  snapshots: { size: number; sha256: string }[]
  usage?: { bytes: number }
}

async function listed(server: ServerProcess, roomId: string, token: string): Promise<Listed> {
  return (await (
    await fetch(`${server.origin}/api/rooms/${roomId}/snapshots`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as Listed
}

function fileBytes(server: ServerProcess): number {
  let total = 0
  for (const suffix of ['', '-wal']) {
    const file = path.join(server.dataDir, `commonpot.sqlite${suffix}`)
    if (fs.existsSync(file)) total += fs.statSync(file).size
  }
  return total
}

const unloads = (server: ServerProcess) => server.logs.filter((l) => l.event === 'room.unloaded').length

/** A room of about 1 MiB (RECORDS board records of RECORD_TEXT characters), stored and unloaded. */
async function bigRoom(server: ServerProcess) {
  const room = await createRoom(server, 'Bench: a 1 MiB room')
  const writer = connect(server, room.roomId, room.tokens.participant)
  await writer.firstSync
  for (let i = 0; i < RECORDS; i++) putRecord(writer.doc, `r${i}`, { text: String(i % 10).repeat(RECORD_TEXT) })
  const witness = connect(server, room.roomId, room.tokens.observer)
  await waitFor(() => witness.doc.getArray('canvas').length === RECORDS, 30_000, 'room filled')
  const before = unloads(server)
  writer.destroy()
  witness.destroy()
  await waitFor(() => unloads(server) > before, 30_000, 'room unloaded')
  return room
}

/** One browser visit: connect, record itself (lastSeen), perhaps edit, leave; until the room unloaded. */
async function visit(server: ServerProcess, roomId: string, token: string, observer: string, edit?: number) {
  const device = testDevice('bench')
  const before = unloads(server)
  const person = connect(server, roomId, token, { userSecret: device.secret })
  const witness = connect(server, roomId, observer)
  await Promise.all([person.firstSync, witness.firstSync])
  const seen = Date.now()
  recordMember(
    person.doc,
    device.userId,
    { name: 'Bench', organisation: 'DWP', role: 'participant', keyed: true },
    seen,
  )
  if (edit !== undefined) putRecord(person.doc, 'r0', { text: String(edit % 10).repeat(RECORD_TEXT), n: edit })
  await waitFor(
    () => Y.encodeStateVector(witness.doc).toString() === Y.encodeStateVector(person.doc).toString(),
    10_000,
    'visit relayed',
  )
  person.destroy()
  witness.destroy()
  await waitFor(() => unloads(server) > before, 10_000, 'room unloaded')
}

async function cycles(): Promise<void> {
  const rows: string[] = []
  for (const scenario of ['visits', 'edits', 'manual'] as const) {
    const server = await startServer({ env: { ROOM_GRACE_MS: '50', SNAPSHOT_INTERVAL_MS: '3600000' } })
    try {
      const room = await bigRoom(server)
      const start = await listed(server, room.roomId, room.tokens.facilitator)
      const startFile = fileBytes(server)
      const started = performance.now()
      for (let i = 0; i < CYCLES; i++) {
        if (scenario === 'manual') {
          const response = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ name: `Manual ${i}` }),
          })
          if (response.status !== 201) throw new Error(`manual snapshot answered ${response.status}`)
        } else {
          await visit(
            server,
            room.roomId,
            room.tokens.participant,
            room.tokens.observer,
            scenario === 'edits' ? i : undefined,
          )
        }
      }
      const ms = performance.now() - started
      const end = await listed(server, room.roomId, room.tokens.facilitator)
      const listedBytes = end.snapshots.reduce((sum, s) => sum + s.size, 0)
      const distinct = new Set(end.snapshots.map((s) => s.sha256)).size
      rows.push(
        `| ${scenario} | ${mb(start.snapshots[0]?.size ?? 0)} | ${end.snapshots.length - start.snapshots.length} | ` +
          `${mb(listedBytes - start.snapshots.reduce((sum, s) => sum + s.size, 0))} | ` +
          `${end.usage ? mb(end.usage.bytes - (start.usage?.bytes ?? 0)) : 'n/a'} | ${distinct} | ` +
          `${mb(fileBytes(server) - startFile)} | ${(ms / CYCLES).toFixed(0)} |`,
      )
    } finally {
      await server.stop()
    }
  }
  console.log(`\n50 cycles on a room of ${RECORDS} records × ${RECORD_TEXT} characters (SQLite)\n`)
  console.log(
    '| scenario | room MiB | new snapshots | listed MiB added | stored MiB added (usage) | distinct states | file MiB added | ms per cycle |',
  )
  console.log('|---|---|---|---|---|---|---|---|')
  for (const row of rows) console.log(row)
}

async function inproc(): Promise<void> {
  const { contentFingerprint } = await import('../../server/snapshotContent.ts')
  const { sha256Hex } = await import('../../server/snapshots.ts')
  const { snapshotsToPrune } = await import('../../shared/snapshotRetention.ts')
  const { SqliteStore } = await import('../../server/storage/sqlite.ts')
  const { PostgresStore } = await import('../../server/storage/postgres.ts')
  const { freshSchema } = await import('../helpers/multiInstance.ts')
  const { tempDir } = await import('../helpers/serverProcess.ts')

  const time = (runs: number, work: () => void) => {
    work()
    const started = performance.now()
    for (let i = 0; i < runs; i++) work()
    return (performance.now() - started) / runs
  }
  console.log('\nContent fingerprint against what a snapshot already costs (mean of 10 runs, ms)\n')
  console.log('| document | encoded MiB | encodeStateAsUpdate + SHA-256 | contentFingerprint |')
  console.log('|---|---|---|---|')
  for (const records of [RECORDS, RECORDS * 8]) {
    const doc = new Y.Doc()
    for (let i = 0; i < records; i++) putRecord(doc, `r${i}`, { text: String(i % 10).repeat(RECORD_TEXT) })
    // Pot-like small values too: 5,000 member and map entries.
    for (let i = 0; i < 5000; i++) doc.getMap('meta').set(`k${i}`, { i, label: `entry ${i}` })
    const state = Y.encodeStateAsUpdate(doc)
    const encode = time(10, () => sha256Hex(Y.encodeStateAsUpdate(doc)))
    const fingerprint = time(10, () => contentFingerprint(doc))
    console.log(
      `| ${records} records of 4 kB + 5,000 map entries | ${mb(state.byteLength)} | ${encode.toFixed(1)} | ${fingerprint.toFixed(1)} |`,
    )
  }

  // A month of automatic snapshots: one as everyone leaves and 16 of 30 minutes of work a day,
  // and a manual one a day; what the first pass prunes, and a pass in steady state.
  const DAY = 24 * 3600_000
  const now = Date.now()
  const state = new Uint8Array(64).fill(7)
  const rows: string[] = []
  const pure = Array.from({ length: 30 * 18 }, (_, i) => ({
    id: `s${i}`,
    kind: (i % 18 === 0 ? 'manual' : 'auto-interval') as 'manual' | 'auto-interval',
    createdAt: now - 30 * DAY + Math.floor(i / 18) * DAY + (i % 18) * 1800_000,
  }))
  const pureMs = time(50, () => snapshotsToPrune(pure, now))
  for (const backend of ['SQLite', 'PostgreSQL'] as const) {
    let cleanup = async () => {}
    let store: import('../../server/storage/store.ts').Store
    if (backend === 'SQLite') {
      const dir = tempDir('bench-retention-')
      store = new SqliteStore(path.join(dir, 'commonpot.sqlite'))
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true })
    } else {
      const schema = await freshSchema('bench')
      store = await PostgresStore.open(schema.url, { poolSize: 2 })
      cleanup = () => schema.drop()
    }
    try {
      await store.createRoom(
        { id: 'bench-room', title: 'Bench', createdAt: 1, keys: { facilitator: 'f', participant: 'p', observer: 'o' } },
        new Uint8Array([0, 0]),
      )
      for (const s of pure) {
        const bytes = new Uint8Array(state)
        bytes[0] = Number(s.id.slice(1)) % 256
        bytes[1] = Math.floor(Number(s.id.slice(1)) / 256)
        await store.createSnapshot(
          {
            id: s.id,
            roomId: 'bench-room',
            name: s.id,
            author: 'server',
            kind: s.kind,
            createdAt: s.createdAt,
            size: bytes.byteLength,
            sha256: sha256Hex(bytes),
            contentHash: null,
          },
          bytes,
        )
      }
      const pass = async () => {
        const started = performance.now()
        const all = await store.listSnapshots('bench-room')
        const doomed = snapshotsToPrune(all, now)
        const { deleted } = await store.deleteSnapshots('bench-room', doomed)
        return { ms: performance.now() - started, listed: all.length, deleted: deleted.length }
      }
      const first = await pass()
      const steady: number[] = []
      for (let i = 0; i < 20; i++) steady.push((await pass()).ms)
      steady.sort((a, b) => a - b)
      const usageStarted = performance.now()
      for (let i = 0; i < 20; i++) await store.snapshotBytes('bench-room')
      const usageMs = (performance.now() - usageStarted) / 20
      rows.push(
        `| ${backend} | ${first.listed} | ${first.deleted} in ${first.ms.toFixed(1)} | ${steady[10]!.toFixed(2)} (${first.listed - first.deleted} listed) | ${usageMs.toFixed(2)} |`,
      )
    } finally {
      await store.close()
      await cleanup()
    }
  }
  console.log(
    `\nRetention pass on a room with a month of snapshots (pure policy alone: ${pureMs.toFixed(2)} ms for ${pure.length})\n`,
  )
  console.log('| store | snapshots | first pass: pruned in ms | steady pass median ms | usage sum ms |')
  console.log('|---|---|---|---|---|')
  for (const row of rows) console.log(row)
}

if (part === 'cycles' || part === 'all') await cycles()
if (part === 'inproc' || part === 'all') await inproc()
