/**
 * The ledger the server writes is a hash chain anyone invited can check: GET /api/rooms/:id/ledger
 * and the JSON export carry every entry with its links, and the chain holds across edits by
 * different people, a restart of the room from the store, and a snapshot restore.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addBarrier, DEFAULT_BARRIER, setBarrierStatus } from '../../shared/barriers.ts'
import { type LedgerEntry, readLedger } from '../../shared/ledger.ts'
import { GENESIS, verifyLedger } from '../../shared/ledgerChain.ts'
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { facilitatorActor, participantActor, rulesRoom } from '../helpers/rulesRoom.ts'
import { type ServerProcess, startServer } from '../helpers/serverProcess.ts'
import { type TestClient, waitFor } from '../helpers/syncClient.ts'

let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

interface LedgerAnswer {
  entries: LedgerEntry[]
  verification: ReturnType<typeof verifyLedger>
}

describe('GET /api/rooms/:id/ledger', () => {
  it('returns the chained record of everyone’s changes, checked, to any token of the room', async () => {
    const room = await rulesRoom(server, clients)
    const line = addPotLine(
      room.participant.doc,
      { ...DEFAULT_LINE, partner: 'DWP', stream: 'Work Programme', amount: 5_000_000 },
      participantActor,
      1,
    )
    updatePotLine(room.participant.doc, line, { amount: 6_000_000 }, participantActor, 2)
    const barrier = addBarrier(
      room.facilitator.doc,
      { ...DEFAULT_BARRIER, title: 'Benefit rules block the key worker offer', raisedBy: 'Swindon' },
      facilitatorActor,
      3,
    )
    setBarrierStatus(room.facilitator.doc, barrier, 'with-department', facilitatorActor, 4)
    await waitFor(() => readLedger(room.witness.doc).length >= 4, 5000, 'four entries at the witness')

    const url = `${server.origin}/api/rooms/${room.roomId}/ledger`
    const response = await fetch(url, { headers: { Authorization: `Bearer ${room.tokens.observer}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const answer = (await response.json()) as LedgerAnswer
    expect(answer.entries.map((e) => [e.area, e.action, e.field, e.to])).toEqual([
      ['pot', 'created', 'amount', 5_000_000],
      ['pot', 'changed', 'amount', 6_000_000],
      ['barriers', 'created', 'status', 'raised'],
      ['barriers', 'changed', 'status', 'with-department'],
    ])
    expect(answer.entries[0]!.prev).toBe(GENESIS)
    expect(answer.verification).toEqual({
      ok: true,
      entries: 4,
      chained: 4,
      unchained: 0,
      head: answer.entries[3]!.hash,
      breaks: [],
    })
    // The JSON export carries the same chain, so it can be checked offline.
    const exported = (await (
      await fetch(`${server.origin}/api/rooms/${room.roomId}/export?format=json&token=${room.tokens.participant}`)
    ).json()) as { ledger: LedgerEntry[] }
    expect(exported.ledger).toEqual(answer.entries)
    expect(verifyLedger(exported.ledger).ok).toBe(true)

    expect((await fetch(url)).status).toBe(401)
  })

  it('keeps one chain across a snapshot restore', async () => {
    const room = await rulesRoom(server, clients)
    addPotLine(room.facilitator.doc, { ...DEFAULT_LINE, partner: 'DWP', amount: 100 }, facilitatorActor, 1)
    await waitFor(() => readLedger(room.witness.doc).length === 1, 5000, 'entry at the witness')
    const auth = { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' }
    const snapshot = (await (
      await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'Before the police line', author: { name: facilitatorActor.name } }),
      })
    ).json()) as { id: string }
    addPotLine(room.facilitator.doc, { ...DEFAULT_LINE, partner: 'Wiltshire Police', amount: 200 }, facilitatorActor, 2)
    await waitFor(() => readLedger(room.witness.doc).length === 2, 5000, 'second entry')
    const restored = await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots/${snapshot.id}/restore`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ author: { name: facilitatorActor.name } }),
    })
    expect(restored.status).toBe(200)
    await waitFor(() => readLedger(room.witness.doc).some((e) => e.action === 'restored'), 5000, 'restore recorded')
    const answer = (await (
      await fetch(`${server.origin}/api/rooms/${room.roomId}/ledger`, { headers: auth })
    ).json()) as LedgerAnswer
    expect(answer.entries.slice(0, 2).map((e) => e.action)).toEqual(['created', 'created'])
    expect(answer.entries.at(-1)!.action).toBe('restored')
    expect(answer.verification.ok).toBe(true)
    expect(answer.verification.chained).toBe(answer.entries.length)
  })
})
