/**
 * Durability: what the server relayed survives a restart, whether it is stopped politely or
 * killed; compaction keeps every edit.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'
import { pushRecord } from '../helpers/records.ts'
import { getCanvasArray } from '../../shared/schema.ts'

const servers: ServerProcess[] = []
const clients: TestClient[] = []

async function serve(dataDir: string, env: Record<string, string> = {}) {
  const server = await startServer({ dataDir, env })
  servers.push(server)
  return server
}
function open(...args: Parameters<typeof connect>) {
  const client = connect(...args)
  clients.push(client)
  return client
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
})

function rowCount(dataDir: string, roomId: string): number {
  const db = new Database(path.join(dataDir, 'commonpot.sqlite'), { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM updates WHERE room_id = ?').get(roomId) as { n: number }).n
  } finally {
    db.close()
  }
}

async function writeEdits(server: ServerProcess, roomId: string, token: string, count: number) {
  const writer = open(server, roomId, token)
  const witness = open(server, roomId, token)
  await Promise.all([writer.firstSync, witness.firstSync])
  // Each edit is one board record (a valid write for any participant), one update.
  for (let i = 0; i < count; i++) {
    pushRecord(writer.doc, i, { i })
    if (i % 100 === 99) await new Promise((r) => setImmediate(r))
  }
  // Seen by a second client: the server has relayed, so stored, every edit.
  await waitFor(() => getCanvasArray(witness.doc).length === count, 15_000, `witness to see ${count} edits`)
  return { writer, witness }
}

async function countAfterRestart(dataDir: string, roomId: string, token: string): Promise<number> {
  const server = await serve(dataDir)
  let atSync = -1
  const reader = open(server, roomId, token, { onFirstSync: (doc) => (atSync = getCanvasArray(doc).length) })
  await reader.firstSync
  return atSync
}

describe('persistence', () => {
  it('keeps 1,000 edits across a SIGTERM restart, closing sockets with 1001', async () => {
    const dataDir = tempDir()
    const server = await serve(dataDir)
    const room = await createRoom(server)
    const { writer } = await writeEdits(server, room.roomId, room.tokens.participant, 1000)
    const closeCode = new Promise<number>((resolve) =>
      writer.provider.once('connection-close', (event) => resolve(event?.code ?? -1)),
    )
    const exitCode = await server.stop('SIGTERM')
    expect(exitCode).toBe(0)
    expect(await closeCode).toBe(1001)
    expect(server.logs.some((l) => l.event === 'server.stopped')).toBe(true)
    expect(await countAfterRestart(dataDir, room.roomId, room.tokens.participant)).toBe(1000)
  })

  it('keeps 1,000 edits when killed with SIGKILL after a second client saw them', async () => {
    const dataDir = tempDir()
    const server = await serve(dataDir)
    const room = await createRoom(server)
    await writeEdits(server, room.roomId, room.tokens.participant, 1000)
    await server.stop('SIGKILL')
    expect(await countAfterRestart(dataDir, room.roomId, room.tokens.participant)).toBe(1000)
  })

  it('compacts a room past the row threshold without losing an edit', async () => {
    const dataDir = tempDir()
    const server = await serve(dataDir, { COMPACT_ROWS: '100' })
    const room = await createRoom(server)
    const { writer } = await writeEdits(server, room.roomId, room.tokens.participant, 1000)
    // Deleted content must be collected too.
    getCanvasArray(writer.doc).delete(0, 500)
    await waitFor(() => server.logs.filter((l) => l.event === 'room.compacted').length > 0, 5000, 'a compaction')
    await new Promise((r) => setTimeout(r, 200))
    expect(rowCount(dataDir, room.roomId)).toBeLessThan(100)
    await server.stop('SIGKILL')
    expect(await countAfterRestart(dataDir, room.roomId, room.tokens.participant)).toBe(500)
  })

  it('unloads an empty room after the grace period and reloads it intact', async () => {
    const dataDir = tempDir()
    const server = await serve(dataDir, { ROOM_GRACE_MS: '100' })
    const room = await createRoom(server)
    const { writer, witness } = await writeEdits(server, room.roomId, room.tokens.participant, 50)
    writer.destroy()
    witness.destroy()
    await waitFor(() => server.logs.some((l) => l.event === 'room.unloaded' && l.room === room.roomId), 5000, 'unload')
    const health = (await (await fetch(`${server.origin}/healthz`)).json()) as { rooms: number }
    expect(health.rooms).toBe(0)
    let atSync = -1
    const again = open(server, room.roomId, room.tokens.observer, {
      onFirstSync: (d) => (atSync = getCanvasArray(d).length),
    })
    await again.firstSync
    expect(atSync).toBe(50)
  })
})
