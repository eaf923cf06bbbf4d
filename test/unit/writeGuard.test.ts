/**
 * The write guard takes a peer's update into the live document first and puts the document back
 * when it refuses it (server/sync/writeGuard.ts, shadow.ts): what the room relies on is that the
 * document it holds afterwards is exactly the one before the update, under the server's client id,
 * with whatever was waiting there for other instances' parts, and that judging goes on normally.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Peer } from '../../server/sync/peer.ts'
import { WriteGuard } from '../../server/sync/writeGuard.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { addPotLine, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { getSettingsMap, openCanvas } from '../../shared/schema.ts'

const participant: LinkIdentity = { role: 'participant', organisation: null, name: null, linkId: null }
const pat = { userId: 'pat', name: 'Pat Participant', organisation: 'DWP' }

const peerOf = (id: number, link: LinkIdentity): Peer => ({
  id,
  role: link.role,
  kid: null,
  link,
  controlledClients: new Set(),
  send: () => {},
  sendBatch: () => {},
  close: () => {},
})

/** A room's live document with a guard, and a participant's page that sends updates to it. */
function room() {
  const state = { live: new Y.Doc({ gc: true }), replacements: 0 }
  const serverClient = state.live.clientID
  const guard = new WriteGuard(state.live, (next, previous) => {
    expect(previous).toBe(state.live)
    state.live = next
    state.replacements++
  })
  const peer = peerOf(1, participant)
  guard.join(peer, null)
  const page = new Y.Doc()
  /** The update `change` makes on the page, after bringing the page up to the live document. */
  const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
    Y.applyUpdate(page, Y.encodeStateAsUpdate(state.live, Y.encodeStateVector(page)))
    let update: Uint8Array | null = null
    const capture = (u: Uint8Array) => (update = u)
    page.on('update', capture)
    change(page)
    page.off('update', capture)
    if (!update) throw new Error('the change wrote nothing')
    return update
  }
  return { state, serverClient, guard, peer, page, edit }
}

describe('the write guard (live first, put back on refusal)', () => {
  it('puts the live document back after a refused update, with the server’s id, and judges the next update against it', () => {
    const { state, serverClient, guard, peer, edit } = room()
    const id = addPotLine(state.live, { ...DEFAULT_LINE, partner: 'DWP', amount: 100 }, pat, 1)
    const drag = edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape', x: 1 }))
    expect(guard.receive(peer, drag, 2)).toMatchObject({ ok: true })
    const first = state.live

    const timer = edit((d) => getSettingsMap(d).set('timer', { state: 'running', durationMs: 1, endsAt: 2 }))
    expect(guard.receive(peer, timer, 3)).toMatchObject({ ok: false, refusal: { code: 'facilitator_only' } })
    expect(state.replacements).toBe(1)
    expect(state.live).not.toBe(first)
    expect(getSettingsMap(first).has('timer')).toBe(true) // the dropped document took it…
    expect(getSettingsMap(state.live).has('timer')).toBe(false) // …the restored one never did
    expect(openCanvas(state.live).get('shape:a')).toMatchObject({ x: 1 })
    expect(state.live.clientID).toBe(serverClient)
    // As the room does: the sender's refused clocks go in as a tombstone, so its next update applies.
    Y.applyUpdate(state.live, guard.tombstone(peer, timer)!)

    // Judged against the restored document: the pot line's amount before the edit, for the ledger.
    const raise = edit((d) => updatePotLine(d, id, { amount: 250 }, pat, 4))
    const verdict = guard.receive(peer, raise, 5)
    expect(verdict).toMatchObject({ ok: true })
    expect(verdict.ok && verdict.ledger.map((e) => [e.field, e.from, e.to])).toEqual([['amount', 100, 250]])
    expect(readPotLines(state.live)[0]!.amount).toBe(250)
    expect(state.replacements).toBe(1)
  })

  it('keeps what was waiting for another instance’s parts when it puts the document back', () => {
    const { state, guard, peer, edit } = room()
    // A first edit: the guard's shadow replica is built from the live document now.
    expect(
      guard.receive(
        peer,
        edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape' })),
        1,
      ),
    ).toMatchObject({ ok: true })
    // Another instance's two changes, the second relayed ahead of the first.
    const elsewhere = new Y.Doc()
    const relayed: Uint8Array[] = []
    elsewhere.on('update', (u: Uint8Array) => relayed.push(u))
    openCanvas(elsewhere).set('shape:first', { id: 'shape:first', typeName: 'shape' })
    openCanvas(elsewhere).set('shape:second', { id: 'shape:second', typeName: 'shape' })
    Y.applyUpdate(state.live, relayed[1]!)
    expect(state.live.store.pendingStructs).not.toBeNull()

    const timer = edit((d) => getSettingsMap(d).set('timer', {}))
    expect(guard.receive(peer, timer, 1)).toMatchObject({ ok: false })
    expect(state.replacements).toBe(1)
    // The missing part arrives: what was waiting integrates in the restored document.
    Y.applyUpdate(state.live, relayed[0]!)
    expect(openCanvas(state.live).has('shape:first') && openCanvas(state.live).has('shape:second')).toBe(true)
  })

  it('puts the document back when Yjs fails part-way through an update, and throws', () => {
    const { state, guard, peer, edit } = room()
    const drag = edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape' }))
    // The structs decode and integrate; the delete set after them is cut short.
    const cut = drag.slice(0, drag.length - 1)
    const before = Y.encodeStateVector(state.live)
    expect(() => guard.receive(peer, Uint8Array.from([...cut, 5, 200]), 1)).toThrow()
    expect(Y.encodeStateVector(state.live)).toEqual(before)
    expect(openCanvas(state.live).has('shape:a')).toBe(false)
    // And the same page's next, whole update still goes in.
    expect(guard.receive(peer, drag, 2)).toMatchObject({ ok: true })
    expect(openCanvas(state.live).has('shape:a')).toBe(true)
  })
})
