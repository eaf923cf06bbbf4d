/** The pot through the real server: concurrent edits of one line converge, totals agree. */
import { describe, expect, it } from 'vitest'
import { readLedger } from '../../shared/ledger.ts'
import { addPotLine, computePotTotals, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { connect, createRoom, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const harness = useTestServer()
const { clients } = harness

const dwp = { userId: 'a', name: 'Amira Khan', organisation: 'DWP' }
const kent = { userId: 'b', name: 'Ben Ode', organisation: 'Kent County Council' }

describe('pot over the wire', () => {
  it('converges when two people change the same line at once, with identical totals', async () => {
    const room = await createRoom(harness.server)
    const a = connect(harness.server, room.roomId, room.tokens.participant)
    const b = connect(harness.server, room.roomId, room.tokens.participant)
    clients.push(a, b)
    await Promise.all([a.firstSync, b.firstSync])

    const id = addPotLine(a.doc, { ...DEFAULT_LINE, partner: 'Kent County Council', amount: 100_000_00 }, dwp, 1)
    await waitFor(() => readPotLines(b.doc).length === 1, 5000, 'line at b')

    // Same moment: different fields, and the same field.
    updatePotLine(a.doc, id, { amount: 250_000_00, conditions: 'Subject to cabinet' }, dwp, 2)
    updatePotLine(b.doc, id, { status: 'agreed', conditions: 'Subject to members' }, kent, 2)

    const converged = () =>
      JSON.stringify(readPotLines(a.doc)) === JSON.stringify(readPotLines(b.doc)) &&
      readLedger(a.doc).length === 3 &&
      readLedger(b.doc).length === 3
    await waitFor(converged, 5000, 'convergence')
    const [line] = readPotLines(a.doc)
    expect(line).toMatchObject({ amount: 250_000_00, status: 'agreed' })
    expect(['Subject to cabinet', 'Subject to members']).toContain(line!.conditions)
    expect(computePotTotals(readPotLines(a.doc))).toEqual(computePotTotals(readPotLines(b.doc)))
    expect(computePotTotals(readPotLines(b.doc)).total).toBe(250_000_00)
  })
})

describe('GET /api/rooms/:id/export', () => {
  it('exports the pot as JSON, CSV and Markdown to any valid token, loaded or not', async () => {
    const room = await createRoom(harness.server, 'Croydon pot')
    const writer = connect(harness.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    addPotLine(
      writer.doc,
      { ...DEFAULT_LINE, partner: 'London Borough of Croydon', stream: 'Council services', amount: 75_000_000 },
      dwp,
      1,
    )
    const witness = connect(harness.server, room.roomId, room.tokens.observer)
    clients.push(witness)
    await waitFor(() => readPotLines(witness.doc).length === 1, 5000, 'line stored')
    const base = `${harness.server.origin}/api/rooms/${room.roomId}/export`
    const auth = { Authorization: `Bearer ${room.tokens.observer}` }

    const json = (await (await fetch(base, { headers: auth })).json()) as {
      meta: { title: string }
      pot: { lines: unknown[]; totals: { total: number } }
      ledger: unknown[]
    }
    expect(json.meta.title).toBe('Croydon pot')
    expect(json.pot.totals.total).toBe(75_000_000)
    expect(json.ledger).toHaveLength(1)

    const csv = await fetch(`${base}?format=csv`, { headers: auth })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(await csv.text()).toContain('London Borough of Croydon,Council services,750000,')

    // After the room unloads, the export reads the stored document.
    writer.destroy()
    witness.destroy()
    await waitFor(
      () => harness.server.logs.some((l) => l.event === 'room.unloaded' && l.room === room.roomId),
      5000,
      'unload',
    )
    const md = await fetch(`${base}?format=md&token=${room.tokens.participant}`)
    expect(await md.text()).toContain('Total: **£750,000**')
  })

  it('refuses a bad format and a missing token with JSON errors', async () => {
    const room = await createRoom(harness.server)
    const bad = await fetch(
      `${harness.server.origin}/api/rooms/${room.roomId}/export?format=pdf&token=${room.tokens.observer}`,
    )
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'format must be json, md, csv, docx or xlsx.',
    )
    expect((await fetch(`${harness.server.origin}/api/rooms/${room.roomId}/export`)).status).toBe(401)
  })
})
