/**
 * Who may write where: the rules (shared/permissions.ts `mayWrite`) and the server's reading of an
 * update without applying it (server/sync/writePolicy.ts): which top-level key and entry each
 * struct and each deletion touches, through origins, nested types and the delete set.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mayWrite, type LockableSection } from '../../shared/permissions.ts'
import { addClause, clauseBody } from '../../shared/protocol.ts'
import { getPotMap, getSettingsMap } from '../../shared/schema.ts'
import { setLock } from '../../shared/workshopSettings.ts'
import { checkUpdate, tombstoneUpdate, touchesOf, WritePolicy } from '../../server/sync/writePolicy.ts'

const none = new Set<LockableSection>()
const actor = { userId: 'f', name: 'Sam Okafor', organisation: 'Communities and Local Government (CLG)' }

describe('mayWrite', () => {
  it('lets observers write nothing and facilitators everything, locked or not', () => {
    const all = new Set<LockableSection>(['pot', 'protocol', 'barriers'])
    for (const [root, key] of [['pot', 'line'], ['settings', 'locks'], ['meta', 'title'], ['members', 'me']] as const) {
      expect(mayWrite('observer', root, key, none).ok).toBe(false)
      expect(mayWrite('facilitator', root, key, all).ok).toBe(true)
    }
  })

  it('keeps settings and meta (but the canvas schema) to the facilitator', () => {
    expect(mayWrite('participant', 'settings', 'locks', none)).toEqual({ ok: false, reason: 'Only the facilitator can change the workshop settings.' })
    expect(mayWrite('participant', 'settings', null, none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'title', none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'targetPot', none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', null, none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'canvasSchema', none).ok).toBe(true)
  })

  it('makes a locked section read-only for participants, and only that section', () => {
    const pot = new Set<LockableSection>(['pot'])
    expect(mayWrite('participant', 'pot', 'line-1', pot)).toEqual({ ok: false, reason: 'The facilitator has locked the pot.' })
    expect(mayWrite('participant', 'pot', 'line-1', none).ok).toBe(true)
    expect(mayWrite('participant', 'protocol', 'c1', pot).ok).toBe(true)
    expect(mayWrite('participant', 'protocol', 'c1', new Set(['protocol'])).ok).toBe(false)
    // Votes stay open while the barriers are locked.
    expect(mayWrite('participant', 'barriers', 'b1', new Set(['barriers'])).ok).toBe(false)
    expect(mayWrite('participant', 'votes', 'v1', new Set(['barriers'])).ok).toBe(true)
    for (const root of ['ledger', 'members', 'hands', 'canvas', 'actions']) expect(mayWrite('participant', root, null, pot).ok).toBe(true)
  })
})

/** A server document and a client synced to it; `edit` returns the update the client sends. */
function pair() {
  const server = new Y.Doc()
  const client = new Y.Doc()
  const sync = () => {
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)))
  }
  const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
    const updates: Uint8Array[] = []
    const capture = (u: Uint8Array) => updates.push(u)
    client.on('update', capture)
    change(client)
    client.off('update', capture)
    expect(updates).toHaveLength(1)
    return updates[0]!
  }
  /** The server writes (as the facilitator would) and the client receives it. */
  const seed = (change: (doc: Y.Doc) => void) => {
    change(server)
    sync()
  }
  return { server, client, edit, seed, sync }
}

const sorted = (touches: { root: string; key: string | null }[] | null) =>
  touches && [...touches].sort((a, b) => `${a.root}/${a.key}`.localeCompare(`${b.root}/${b.key}`))

describe('where an update writes (touchesOf)', () => {
  it('names the root and the entry of a root map, and list roots without a key', () => {
    const { server, edit } = pair()
    expect(touchesOf(server, edit((d) => d.getMap('pot').set('line-1', 5)))).toEqual([{ root: 'pot', key: 'line-1' }])
    expect(touchesOf(server, edit((d) => d.getArray('ledger').push([{ a: 1 }])))).toEqual([{ root: 'ledger', key: null }])
    expect(touchesOf(server, edit((d) => d.getMap('meta').set('canvasSchema', { v: 1 })))).toEqual([{ root: 'meta', key: 'canvasSchema' }])
  })

  it('places a new nested type and its children at the entry that holds them', () => {
    const { server, edit } = pair()
    const update = edit((d) => {
      addClause(d, 'Decision making', ['Decisions by consensus.', 'Second paragraph.'], actor, 1)
    })
    const touches = sorted(touchesOf(server, update))!
    expect(touches.map((t) => t.root)).toEqual(['ledger', 'protocol'])
    expect(touches[1]!.key).toMatch(/\w+/)
  })

  it('places items that name no parent through their origin in the document (typing into a clause body)', () => {
    const { server, client, edit, seed } = pair()
    let id = ''
    seed((d) => {
      id = addClause(d, 'Decision making', ['Decisions by consensus.'], actor, 1)
    })
    const text = () => (clauseBody(client, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    // In the middle: the item's origin (and right origin) are in the server's document.
    const middle = edit(() => text().insert(9, ' quickly'))
    const decoded = Y.decodeUpdate(middle).structs[0] as Y.Item
    expect(decoded.parent).toBeNull()
    expect(decoded.origin).not.toBeNull()
    expect(touchesOf(server, middle)).toEqual([{ root: 'protocol', key: id }])
    // At the very start: only a right origin.
    const start = edit(() => text().insert(0, 'All '))
    expect((Y.decodeUpdate(start).structs[0] as Y.Item).origin).toBeNull()
    expect(touchesOf(server, start)).toEqual([{ root: 'protocol', key: id }])
    // Formatting and deleting inside the body, once the server holds the typing.
    Y.applyUpdate(server, middle)
    Y.applyUpdate(server, start)
    expect(touchesOf(server, edit(() => text().format(0, 9, { bold: true })))).toEqual([{ root: 'protocol', key: id }])
    expect(touchesOf(server, edit(() => text().delete(0, 3)))).toEqual([{ root: 'protocol', key: id }])
    // A new paragraph after the existing one: its origin is the paragraph in the document.
    expect(touchesOf(server, edit(() => clauseBody(client, id)!.insert(1, [new Y.XmlElement('paragraph')])))).toEqual([{ root: 'protocol', key: id }])
  })

  it('follows origins to items earlier in the same update', () => {
    const { server, edit, seed } = pair()
    seed((d) => d.getText('notes').insert(0, 'hello'))
    const update = edit((d) =>
      d.transact(() => {
        d.getText('notes').insert(5, ' world')
        d.getText('notes').insert(8, 'XX') // inside the text inserted just above
        d.getArray('ledger').push([1])
        d.getArray('ledger').push([2])
      }),
    )
    expect(sorted(touchesOf(server, update))).toEqual([
      { root: 'ledger', key: null },
      { root: 'notes', key: null },
    ])
  })

  it('places deletions by walking the document, ignoring what is deleted already', () => {
    const { server, client, edit, seed } = pair()
    seed((d) => {
      getPotMap(d).set('line-1', new Y.Map())
      d.getMap('settings').set('x', 1)
    })
    const del = edit((d) => getPotMap(d).delete('line-1'))
    expect(Y.decodeUpdate(del).structs).toHaveLength(0)
    expect(touchesOf(server, del)).toEqual([{ root: 'pot', key: 'line-1' }])
    // Once the server holds the deletion, sending it again (as a reconnect's step 2 does with the
    // whole delete set) touches nothing.
    Y.applyUpdate(server, del)
    seed((d) => d.getMap('settings').delete('x')) // the facilitator deletes in settings
    const resent = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))
    expect(Y.decodeUpdate(resent).ds.clients.size).toBeGreaterThan(0)
    expect(touchesOf(server, resent)).toEqual([])
  })

  it('counts a map overwrite as a write of that entry, and a re-sent known item as nothing', () => {
    const { server, edit } = pair()
    const first = edit((d) => d.getMap('meta').set('title', 'A'))
    Y.applyUpdate(server, first)
    expect(touchesOf(server, first)).toEqual([])
    expect(touchesOf(server, edit((d) => d.getMap('meta').set('title', 'B')))).toEqual([{ root: 'meta', key: 'title' }])
  })

  it('cannot place an item whose origin neither the document nor the update holds', () => {
    const { server, client, edit } = pair()
    client.getText('notes').insert(0, 'the server never saw this')
    const update = edit((d) => d.getText('notes').insert(4, 'X'))
    expect(touchesOf(server, update)).toBeNull()
    // Nor a deletion of content nobody has.
    const other = new Y.Doc()
    other.getMap('pot').set('a', 1)
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other))
    expect(touchesOf(server, edit((d) => d.getMap('pot').delete('a')))).toBeNull()
  })
})

describe('checkUpdate and the room policy', () => {
  it('refuses a participant writing settings or the title, allows the canvas schema and unlocked sections', () => {
    const { server, edit } = pair()
    expect(checkUpdate(server, 'participant', edit((d) => getSettingsMap(d).set('timer', {})), none)).toMatchObject({ ok: false, code: 'facilitator_only' })
    expect(checkUpdate(server, 'participant', edit((d) => d.getMap('meta').set('title', 'Mine')), none)).toMatchObject({ ok: false, code: 'facilitator_only' })
    expect(checkUpdate(server, 'participant', edit((d) => d.getMap('meta').set('canvasSchema', 1)), none)).toEqual({ ok: true })
    expect(checkUpdate(server, 'participant', edit((d) => getPotMap(d).set('l', new Y.Map())), none)).toEqual({ ok: true })
    expect(checkUpdate(server, 'participant', edit((d) => getPotMap(d).set('m', new Y.Map())), new Set(['pot']))).toEqual({
      ok: false,
      code: 'locked',
      reason: 'The facilitator has locked the pot.',
    })
    expect(checkUpdate(server, 'facilitator', edit((d) => getSettingsMap(d).set('timer', {})), new Set(['pot']))).toEqual({ ok: true })
    expect(checkUpdate(server, 'observer', edit((d) => d.getMap('check').set('x', 1)), none)).toMatchObject({ ok: false, code: 'observer' })
  })

  it('refuses a whole update when one part of it is refused', () => {
    const { server, edit } = pair()
    const mixed = edit((d) =>
      d.transact(() => {
        d.getMap('barriers').set('b', 1)
        d.getMap('meta').set('title', 'Mine')
      }),
    )
    expect(checkUpdate(server, 'participant', mixed, none).ok).toBe(false)
  })

  it('reads the locks from the room document and follows their changes', () => {
    const { server, edit } = pair()
    const policy = new WritePolicy(server)
    const potEdit = edit((d) => getPotMap(d).set('l', new Y.Map()))
    expect(policy.check('participant', potEdit)).toEqual({ ok: true })
    setLock(server, 'pot', true, actor, 1)
    expect(policy.check('participant', potEdit)).toMatchObject({ ok: false, code: 'locked' })
    setLock(server, 'pot', false, actor, 2)
    expect(policy.check('participant', potEdit)).toEqual({ ok: true })
    policy.destroy()
  })
})

describe('tombstones of refused updates', () => {
  it('keep the sender’s clocks without any of its content, so that its next updates still apply', () => {
    const { server, client, edit, seed } = pair()
    seed((d) => d.getText('notes').insert(0, 'hello'))
    const refused = edit((d) =>
      d.transact(() => {
        d.getMap('settings').set('locks', 'mine')
        d.getText('notes').delete(0, 1)
        d.getText('notes').insert(2, 'XYZ')
      }),
    )
    const tombstone = tombstoneUpdate(refused)!
    Y.applyUpdate(server, tombstone)
    expect(server.getMap('settings').toJSON()).toEqual({})
    expect(server.getText('notes').toString()).toBe('hello')
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client))

    // The next update of the same client applies (it would wait forever for the missing clocks).
    const next = edit((d) => d.getMap('pot').set('line', 1))
    Y.applyUpdate(server, next)
    expect(server.getMap('pot').toJSON()).toEqual({ line: 1 })
    expect(server.store.pendingStructs).toBeNull()

    // An item placed against refused content becomes garbage everywhere, so it writes nothing.
    const against = edit((d) => d.getText('notes').insert(3, '!'))
    expect(touchesOf(server, against)).toEqual([])
    // A deletion-only update has no tombstone.
    expect(tombstoneUpdate(edit((d) => getPotMap(d).delete('line')))).toBeNull()
  })
})
