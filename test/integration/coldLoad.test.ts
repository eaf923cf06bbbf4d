/**
 * Cold load (issue #21): a room stored as one row (compacted when the server stops) is served to
 * clients that have nothing as the stored bytes themselves, with no whole-document encode, and the
 * room's cached encoding is never served once the document has changed: after an edit, after
 * another client's update, after another instance's update.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freshSchema, TEST_REDIS_URL, type TestSchema } from '../helpers/multiInstance.ts'
import { getRecord, hasRecord, putRecord, putRecords, recordCount } from '../helpers/records.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'

const RECORDS = 10_000

const servers: ServerProcess[] = []
const clients: TestClient[] = []

function open(...args: Parameters<typeof connect>): TestClient {
  const client = connect(...args)
  clients.push(client)
  return client
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
})

async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<ServerProcess> {
  const server = await startServer(options)
  servers.push(server)
  return server
}

function rowCount(dataDir: string, roomId: string): number {
  const db = new Database(path.join(dataDir, 'commonpot.sqlite'), { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM updates WHERE room_id = ?').get(roomId) as { n: number }).n
  } finally {
    db.close()
  }
}

function storedBytes(dataDir: string, roomId: string): number {
  const db = new Database(path.join(dataDir, 'commonpot.sqlite'), { readonly: true })
  try {
    return (db.prepare('SELECT sum(length(data)) AS n FROM updates WHERE room_id = ?').get(roomId) as { n: number }).n
  } finally {
    db.close()
  }
}

/** Whole-document encodes the server has made (commonpot_state_encodes_total). */
async function stateEncodes(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('commonpot_state_encodes_total '))
  return line ? Number(line.split(' ')[1]) : Number.NaN
}

/** A new client's record count at its first "synced", which of `names` it had then, and the client. */
async function atFirstSync(server: ServerProcess, roomId: string, token: string, names: readonly string[] = []) {
  let count = -1
  const present = new Set<string>()
  const client = open(server, roomId, token, {
    onFirstSync: (doc) => {
      count = recordCount(doc)
      for (const name of names) if (hasRecord(doc, name)) present.add(name)
    },
  })
  await client.firstSync
  return { count, present, client }
}

const records = (from: number, to: number): [string, Record<string, unknown>][] =>
  Array.from({ length: to - from }, (_, i) => [`r${from + i}`, { x: (from + i) * 10, y: 0, type: 'geo' }])

/** Fills a room with RECORDS board records, 100 per transaction, seen by a second client. */
async function fill(server: ServerProcess, roomId: string, token: string): Promise<void> {
  const writer = open(server, roomId, token)
  await writer.firstSync
  for (let i = 0; i < RECORDS; i += 100) {
    putRecords(writer.doc, records(i, i + 100))
    await new Promise((r) => setImmediate(r))
  }
  const witness = open(server, roomId, token)
  await waitFor(() => recordCount(witness.doc) === RECORDS, 60_000, `witness to see ${RECORDS} records`)
  writer.destroy()
  witness.destroy()
}

describe('cold load', () => {
  it('gives the first client of a cold 10,000-record room every record at its first synced, from the stored row', {
    timeout: 120_000,
  }, async () => {
    const dataDir = tempDir()
    const first = await serve({ dataDir })
    const room = await createRoom(first)
    await fill(first, room.roomId, room.tokens.participant)
    expect(rowCount(dataDir, room.roomId)).toBeGreaterThan(1)
    expect(await first.stop('SIGTERM')).toBe(0)
    // Stopping compacted the room into one row: what the next start serves as it is.
    expect(rowCount(dataDir, room.roomId)).toBe(1)

    const server = await serve({ dataDir })
    const a = await atFirstSync(server, room.roomId, room.tokens.participant)
    expect(a.count).toBe(RECORDS)
    const b = await atFirstSync(server, room.roomId, room.tokens.observer)
    expect(b.count).toBe(RECORDS)
    // Both were answered with the stored row: the document was never encoded whole.
    expect(await stateEncodes(server)).toBe(0)

    // An edit: the next client gets it, from a fresh encode (one), which later clients share.
    putRecord(a.client.doc, 'extra-0', { x: 1 })
    await waitFor(() => hasRecord(b.client.doc, 'extra-0'), 10_000, 'the edit to reach the second client')
    const c = await atFirstSync(server, room.roomId, room.tokens.observer, ['extra-0'])
    expect(c.count).toBe(RECORDS + 1)
    expect(c.present.has('extra-0')).toBe(true)
    const encodesAfterEdit = await stateEncodes(server)
    expect(encodesAfterEdit).toBeGreaterThanOrEqual(1)
    const d = await atFirstSync(server, room.roomId, room.tokens.observer)
    expect(d.count).toBe(RECORDS + 1)
    expect(await stateEncodes(server)).toBe(encodesAfterEdit)

    // Another client's update (not the one whose edit was cached around): not served stale either.
    const writerB = open(server, room.roomId, room.tokens.participant)
    await writerB.firstSync
    putRecord(writerB.doc, 'extra-1', { x: 2 })
    await waitFor(() => hasRecord(a.client.doc, 'extra-1'), 10_000, "the other client's edit to reach the first")
    const e = await atFirstSync(server, room.roomId, room.tokens.observer, ['extra-0', 'extra-1'])
    expect(e.count).toBe(RECORDS + 2)
    expect([...e.present]).toEqual(['extra-0', 'extra-1'])
  })
  it('judges the first edit in a compacted room against its stored content, however soon it comes', async () => {
    const dataDir = tempDir()
    const first = await serve({ dataDir })
    const room = await createRoom(first)
    const writer = open(first, room.roomId, room.tokens.facilitator)
    await writer.firstSync
    // About 300 KiB stored: a room large enough for its document to be built after its first answer.
    for (let i = 0; i < 4000; i += 500) putRecords(writer.doc, records(i, i + 500))
    const witness = open(first, room.roomId, room.tokens.observer)
    await waitFor(() => recordCount(witness.doc) === 4000, 20_000, 'the server to hold 4,000 records')
    expect(await first.stop('SIGTERM')).toBe(0)
    expect(rowCount(dataDir, room.roomId)).toBe(1)
    expect(storedBytes(dataDir, room.roomId)).toBeGreaterThan(128 * 1024)

    // The edit goes out at the first "synced", while the server may still be building the room's
    // document from the stored row it has just served: it must be judged against that content.
    const server = await serve({ dataDir })
    const editor = open(server, room.roomId, room.tokens.facilitator, {
      onFirstSync: (doc) => putRecord(doc, 'r5', { x: -1 }),
    })
    await editor.firstSync
    const reader = open(server, room.roomId, room.tokens.observer)
    await waitFor(() => getRecord(reader.doc, 'r5')?.x === -1, 10_000, 'the edit to reach another client')
    expect(recordCount(reader.doc)).toBe(4000)
    const metrics = await (await fetch(`${server.origin}/metrics`)).text()
    expect(metrics).toMatch(/^commonpot_writes_denied_total\{reason="unresolvable"\} 0$/m)
  })
})

describe('cold load with two instances', () => {
  let schema: TestSchema
  beforeAll(async () => {
    schema = await freshSchema('cold')
  })
  afterAll(async () => {
    await schema?.drop()
  })

  it("serves no instance's cached state stale after the other instance's update", { timeout: 60_000 }, async () => {
    const env = { DATABASE_URL: schema.url, REDIS_URL: TEST_REDIS_URL }
    const a = await serve({ env })
    const room = await createRoom(a)
    const writer = open(a, room.roomId, room.tokens.participant)
    await writer.firstSync
    putRecords(writer.doc, records(0, 200))
    const witness = open(a, room.roomId, room.tokens.observer)
    await waitFor(() => recordCount(witness.doc) === 200, 10_000, 'A to hold 200 records')
    // B loads the room and encodes it once for its first client: that encoding is now cached on B.
    const b = await serve({ env })
    const onB = await atFirstSync(b, room.roomId, room.tokens.observer)
    expect(onB.count).toBe(200)
    expect(await stateEncodes(b)).toBeLessThanOrEqual(1)
    const encodesOnB = await stateEncodes(b)
    await atFirstSync(b, room.roomId, room.tokens.observer)
    expect(await stateEncodes(b)).toBe(encodesOnB)

    // A's edit reaches B through the bus; B's next new client must have it at its first synced.
    putRecord(writer.doc, 'extra-2', { x: 3 })
    await waitFor(() => hasRecord(onB.client.doc, 'extra-2'), 10_000, "A's edit to reach a client on B")
    const late = await atFirstSync(b, room.roomId, room.tokens.observer, ['extra-2'])
    expect(late.count).toBe(201)
    expect(late.present.has('extra-2')).toBe(true)
  })
})
