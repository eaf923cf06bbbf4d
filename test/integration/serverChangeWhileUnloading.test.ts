/**
 * A change the server makes itself (here a snapshot restore) while the room is being unloaded.
 * The unload waits on the store (its compaction); a restore that reached the room in that time
 * used to be applied to a document about to be dropped: the request never got an answer and the
 * restore was never stored (found by the REST fuzzing, which restores in a room nobody is
 * connected to). The store here lets the test hold its snapshot and compaction writes, to put the
 * two in exactly that order.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { addBarrier, DEFAULT_BARRIER, readBarriers } from '../../shared/barriers.ts'
import { recordMember } from '../../shared/schema.ts'
import { readConfig } from '../../server/config.ts'
import { setLogLevel } from '../../server/log.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import { SqliteStore } from '../../server/storage/sqlite.ts'
import { TEST_SECRET, tempDir } from '../helpers/serverProcess.ts'
import { facilitatorActor } from '../helpers/rulesRoom.ts'
import { connect, createRoom, sleep, waitFor, type TestClient } from '../helpers/syncClient.ts'

/** A write the test can hold: while held, each call waits for release(). */
class Gate {
  calls = 0
  private held: { promise: Promise<void>; release: () => void } | null = null
  hold(): void {
    let release!: () => void
    this.held = { promise: new Promise<void>((resolve) => (release = resolve)), release }
  }
  release(): void {
    this.held?.release()
    this.held = null
  }
  async pass(): Promise<void> {
    this.calls++
    if (this.held) await this.held.promise
  }
}

class GatedStore extends SqliteStore {
  readonly snapshotWrites = new Gate()
  readonly compactions = new Gate()
  /** While set, storing a room's updates fails, as a full or failing disk would. */
  failAppends = false
  appends = 0
  override async appendUpdates(...args: Parameters<SqliteStore['appendUpdates']>) {
    this.appends++
    if (this.failAppends) throw new Error('SQLITE_FULL: database or disk is full')
    return super.appendUpdates(...args)
  }
  override async createSnapshot(...args: Parameters<SqliteStore['createSnapshot']>) {
    await this.snapshotWrites.pass()
    return super.createSnapshot(...args)
  }
  override async compact(...args: Parameters<SqliteStore['compact']>) {
    await this.compactions.pass()
    return super.compact(...args)
  }
}

const GRACE_MS = 300
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serverOn(dir: string): Promise<{ server: RunningServer; store: GatedStore; origin: string }> {
  const store = new GatedStore(path.join(dir, 'commonpot.sqlite'))
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    SECRET: TEST_SECRET,
    LOG_LEVEL: 'error',
    ROOM_GRACE_MS: String(GRACE_MS),
  })
  setLogLevel(config.logLevel)
  const server = await startServer(config, { store })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await server.close()
  }
  cleanups.push(close)
  return { server: { ...server, close }, store, origin: `http://127.0.0.1:${server.port}` }
}

const barrierTitles = (client: TestClient) => readBarriers(client.doc).map((b) => b.title)
const raiseBarrier = (client: TestClient, title: string) =>
  addBarrier(client.doc, { ...DEFAULT_BARRIER, title, raisedBy: 'Swindon' }, facilitatorActor, Date.now())

/** A server on a gated store in a temp directory, a workshop on it, and its facilitator connected and recorded as a member. */
async function workshopOnGatedStore() {
  const dir = tempDir('unload-race-')
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  const { server, store, origin } = await serverOn(dir)
  const where = { origin, wsOrigin: origin.replace('http', 'ws') }
  const room = await createRoom(where)
  const post = (route: string, body: unknown) =>
    fetch(`${origin}/api/rooms/${room.roomId}${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
  const facilitator = connect(where, room.roomId, room.tokens.facilitator)
  cleanups.push(() => facilitator.destroy())
  await facilitator.firstSync
  const { name, organisation } = facilitatorActor
  recordMember(facilitator.doc, facilitatorActor.userId, { name, organisation, role: 'facilitator' }, Date.now())
  return { dir, server, store, where, room, post, facilitator }
}

describe('a restore that reaches a room while it is being unloaded', () => {
  it('keeps the room loaded until the restore is stored, answers it, and the restore is there after a restart', async () => {
    const { dir, server, store, where, room, post, facilitator } = await workshopOnGatedStore()
    // A room with a snapshot to go back to, a change since, and several stored rows (so its
    // unload compacts them).
    raiseBarrier(facilitator, 'ESF match funding')
    await sleep(100)
    const taken = await post('/snapshots', { name: 'One barrier' })
    expect(taken.status).toBe(201)
    const { id: snapshotId } = (await taken.json()) as { id: string }
    raiseBarrier(facilitator, 'Troubled Families data')
    await sleep(100)
    facilitator.destroy()

    // The restore takes its "before" snapshot (held), while the room's grace period runs out and
    // its unload queues behind that snapshot.
    store.snapshotWrites.hold()
    const restore = post(`/snapshots/${snapshotId}/restore`, { author: { name: 'Fiona' } })
    let answered = false
    void restore.then(() => {
      answered = true
    })
    await waitFor(() => store.snapshotWrites.calls === 2, 5000, "the restore's snapshot to reach the store")
    await sleep(GRACE_MS + 200)
    // The unload then waits on its compaction; meanwhile the restore reaches the room.
    store.compactions.hold()
    store.snapshotWrites.release()
    await waitFor(() => store.compactions.calls === 1, 5000, "the unload's compaction to reach the store")
    // The order this test is about: the unload had begun, on a room with nothing unstored, and the
    // restore was still under way (its change not yet stored).
    expect(answered).toBe(false)
    const appendsDuringUnload = store.appends
    await sleep(100)
    store.compactions.release()

    const answer = await restore
    expect(answer.status).toBe(200)
    expect(store.appends).toBeGreaterThan(appendsDuringUnload)
    const reader = connect(where, room.roomId, room.tokens.observer)
    cleanups.push(() => reader.destroy())
    await reader.firstSync
    expect(barrierTitles(reader)).toEqual(['ESF match funding'])
    reader.destroy()

    // Stored, not only in memory: a server started afresh on the same data has the restore.
    await server.close()
    const again = await serverOn(dir)
    const later = connect({ wsOrigin: again.origin.replace('http', 'ws') }, room.roomId, room.tokens.observer)
    cleanups.push(() => later.destroy())
    await later.firstSync
    expect(barrierTitles(later)).toEqual(['ESF match funding'])
  })

  it('answers 503, with nothing restored, when the room is dropped because its storage failed', async () => {
    const { store, where, room, post, facilitator } = await workshopOnGatedStore()
    await sleep(100)
    const taken = await post('/snapshots', { name: 'No barriers yet' })
    expect(taken.status).toBe(201)
    const { id: snapshotId } = (await taken.json()) as { id: string }
    raiseBarrier(facilitator, 'ESF match funding')
    await sleep(100)

    store.failAppends = true
    const answer = await post(`/snapshots/${snapshotId}/restore`, { author: { name: 'Fiona' } })
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).toBe('5')
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('not_stored')

    // Storage back: the room as it was stored, the restore not in it.
    store.failAppends = false
    const reader = connect(where, room.roomId, room.tokens.observer)
    cleanups.push(() => reader.destroy())
    await reader.firstSync
    await waitFor(() => barrierTitles(reader).length === 1, 5000, 'the room as stored')
    expect(barrierTitles(reader)).toEqual(['ESF match funding'])
  })
})
