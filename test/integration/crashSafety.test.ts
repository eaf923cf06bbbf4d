/**
 * Crash safety: the server is killed with SIGKILL at random moments while several people edit,
 * and comes back on the same port. Whatever any client saw relayed by the server must have been
 * stored before the kill: it is in the SQLite file the dead server left behind, in every client's
 * document at its first sync after the restart, and in the document a fresh client syncs at the
 * end. Edits made while the server was down reach it too, once their writers reconnect.
 *
 * The SQLite check is the one that catches a server relaying before it stores: the documents are
 * CRDTs, so a writer resends on reconnect whatever the server lost, and the clients' documents
 * would look whole anyway (delivering before appending, with a 30 ms delay, fails it at once).
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import * as Y from 'yjs'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { pushRecord, readRecords } from '../helpers/records.ts'
import { getCanvasArray } from '../../shared/schema.ts'

const WRITERS = 4
const RESTARTS = 10
/** Each writer adds one entry this often, connected or not (people keep typing offline). */
const EDIT_EVERY_MS = 20
/** How long the server runs, once every client is back, before the next kill. */
const MIN_UPTIME_MS = 150
const MAX_UPTIME_MS = 1800

const servers: ServerProcess[] = []
const clients: TestClient[] = []

afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.stop('SIGKILL')
})

/** The entries of the room as the stopped server left them in its SQLite file. */
function storedKeys(dataDir: string, roomId: string): Set<string> {
  const db = new Database(path.join(dataDir, 'commonpot.sqlite'), { readonly: true })
  const doc = new Y.Doc()
  try {
    const rows = db.prepare('SELECT data FROM updates WHERE room_id = ? ORDER BY seq').all(roomId) as { data: Buffer }[]
    doc.transact(() => {
      for (const row of rows) Y.applyUpdate(doc, row.data)
    })
    return new Set(readRecords(doc).keys())
  } finally {
    db.close()
    doc.destroy()
  }
}

function missingFrom(have: { has(key: string): boolean }, expected: Iterable<string>): string[] {
  const missing: string[] = []
  for (const key of expected) if (!have.has(key)) missing.push(key)
  return missing
}

/** Each edit is a board record of its own (a valid write for any participant), keyed by writer and number. */
interface Writer {
  client: TestClient
  /** The records this client holds. */
  keys(): Set<string>
  written: number
  /** Keys the server had to check for at this client's first sync since the last restart. */
  expectAtSync: Set<string> | null
}

describe('crash safety', () => {
  it('loses no relayed edit across 10 SIGKILLs at random moments while 4 clients edit', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    let server = await startServer({ dataDir, port })
    servers.push(server)
    const room = await createRoom(server)

    /** Every entry some client received from the server: proof the server had it. */
    const relayed = new Set<string>()
    const syncFailures: string[] = []
    let syncChecks = 0
    const writers: Writer[] = []
    for (let i = 0; i < WRITERS; i++) {
      const client = connect(server, room.roomId, room.tokens.participant)
      clients.push(client)
      const writer: Writer = {
        client,
        keys: () => new Set(readRecords(client.doc).keys()),
        written: 0,
        expectAtSync: null,
      }
      getCanvasArray(client.doc).observe((event) => {
        // Only what came in over the socket: the server sent it, so it had stored it.
        if (event.transaction.origin !== client.provider) return
        for (const item of event.changes.added) {
          for (const entry of item.content.getContent() as { key: string }[]) relayed.add(entry.key)
        }
      })
      client.provider.on('sync', (synced: boolean) => {
        if (!synced || !writer.expectAtSync) return
        syncChecks++
        const missing = missingFrom(writer.keys(), writer.expectAtSync)
        if (missing.length > 0)
          syncFailures.push(
            `writer ${i} lacked ${missing.length} relayed entries at its first sync (${missing.slice(0, 3).join(', ')}…)`,
          )
        writer.expectAtSync = null
      })
      writers.push(writer)
    }
    await Promise.all(writers.map((w) => w.client.firstSync))

    const timers = writers.map((writer, i) =>
      setInterval(() => pushRecord(writer.client.doc, `w${i}-${writer.written++}`, { at: Date.now() }), EDIT_EVERY_MS),
    )
    const storeFailures: string[] = []
    let checkedInStore = 0
    try {
      for (let restart = 1; restart <= RESTARTS; restart++) {
        await sleep(MIN_UPTIME_MS + Math.random() * (MAX_UPTIME_MS - MIN_UPTIME_MS))
        await server.stop('SIGKILL')
        // Frames already in the sockets still arrive; the set is final once every client has seen its socket close.
        await waitFor(
          () => writers.every((w) => !w.client.provider.wsconnected),
          5000,
          'every client to notice the kill',
        )
        const relayedBeforeKill = new Set(relayed)
        const missing = missingFrom(storedKeys(dataDir, room.roomId), relayedBeforeKill)
        checkedInStore = relayedBeforeKill.size
        if (missing.length > 0)
          storeFailures.push(
            `kill ${restart}: ${missing.length} of ${relayedBeforeKill.size} relayed entries not stored`,
          )
        for (const writer of writers) writer.expectAtSync = relayedBeforeKill
        server = await startServer({ dataDir, port })
        servers.push(server)
        await waitFor(
          () => writers.every((w) => w.client.provider.synced),
          15_000,
          `every client to resync after restart ${restart}`,
        )
      }
    } finally {
      for (const timer of timers) clearInterval(timer)
    }

    const written = writers.reduce((n, w) => n + w.written, 0)
    // Edits made while the server was down travel with their writers' next sync.
    await waitFor(
      () => writers.every((w) => getCanvasArray(w.client.doc).length === written),
      15_000,
      'every client to hold every edit',
    )
    const fresh = connect(server, room.roomId, room.tokens.observer)
    clients.push(fresh)
    let foundAtSync = -1
    let missingAtSync: string[] = []
    fresh.provider.on('sync', (synced: boolean) => {
      if (!synced || foundAtSync >= 0) return
      const keys = new Set(readRecords(fresh.doc).keys())
      foundAtSync = keys.size
      missingAtSync = missingFrom(keys, relayed)
    })
    await fresh.firstSync
    console.log(
      `crash safety: edits written ${written}, edits relayed ${relayed.size}, edits found ${foundAtSync}, restarts ${RESTARTS}, relayed before the last kill and found in its SQLite file ${checkedInStore}, first-sync checks ${syncChecks}`,
    )

    expect(storeFailures).toEqual([])
    expect(syncFailures).toEqual([])
    expect(syncChecks).toBe(WRITERS * RESTARTS)
    expect(missingAtSync).toEqual([])
    expect(foundAtSync).toBe(written)
    // The test is only worth something if plenty was relayed between kills.
    expect(relayed.size).toBeGreaterThan(written / 2)
    const errors = servers.flatMap((s) => s.logs.filter((line) => line.level === 'error'))
    expect(errors).toEqual([])
  }, 90_000)
})
