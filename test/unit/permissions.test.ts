/**
 * Who may write where: the coarse rules the interface asks (shared/permissions.ts `mayWrite`); what
 * an update did, as the server reads it by trying it on a candidate replica
 * (server/sync/candidate.ts: the changes with their real paths, and items Yjs cannot place among
 * their own kind); the section rules that judge those changes (shared/rules/sectionRules.ts
 * `judgeChanges`); and tombstones of refused updates (server/sync/tombstone.ts).
 */
import { createSectionUndo } from '../../shared/sectionUndo.ts'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mayWrite, type LockableSection } from '../../shared/permissions.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody, proposeClause, statePosition } from '../../shared/protocol.ts'
import { judgeChanges } from '../../shared/rules/sectionRules.ts'
import type { Refusal } from '../../shared/rules/types.ts'
import {
  getCanvasArray,
  getLedgerArray,
  getMetaMap,
  getPotMap,
  getProtocolMap,
  getSettingsMap,
  openCanvas,
} from '../../shared/schema.ts'
import { readLocks, setLock, setTakingPart } from '../../shared/workshopSettings.ts'
import { Shadow } from '../../server/sync/shadow.ts'
import { applyAndRead } from '../../server/sync/updateEffects.ts'
import { cloneDoc } from '../helpers/serverLedger.ts'
import { tombstoneUpdate } from '../../server/sync/tombstone.ts'
import { craftUpdate } from '../helpers/craftUpdate.ts'
import { acceptUpdate, authorOf } from '../helpers/serverLedger.ts'

const none = new Set<LockableSection>()
const actor = { userId: 'f', name: 'Sam Okafor', organisation: 'Communities and Local Government (CLG)' }

describe('mayWrite', () => {
  it('lets observers write nothing and facilitators everything, locked or not', () => {
    const all = new Set<LockableSection>(['pot', 'protocol', 'barriers'])
    for (const [root, key] of [
      ['pot', 'line'],
      ['settings', 'locks'],
      ['meta', 'title'],
      ['members', 'me'],
    ] as const) {
      expect(mayWrite('observer', root, key, none).ok).toBe(false)
      expect(mayWrite('facilitator', root, key, all).ok).toBe(true)
    }
  })

  it('keeps settings and meta (but the canvas schema) to the facilitator', () => {
    expect(mayWrite('participant', 'settings', 'locks', none)).toEqual({
      ok: false,
      reason: 'Only the facilitator can change the workshop settings.',
    })
    expect(mayWrite('participant', 'settings', null, none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'title', none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'targetPot', none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', null, none).ok).toBe(false)
    expect(mayWrite('participant', 'meta', 'canvasSchema', none).ok).toBe(true)
  })

  it('makes a locked section read-only for participants, and only that section', () => {
    const pot = new Set<LockableSection>(['pot'])
    expect(mayWrite('participant', 'pot', 'line-1', pot)).toEqual({
      ok: false,
      reason: 'The pot is locked by the facilitator.',
    })
    expect(mayWrite('participant', 'pot', 'line-1', none).ok).toBe(true)
    expect(mayWrite('participant', 'protocol', 'c1', pot).ok).toBe(true)
    expect(mayWrite('participant', 'protocol', 'c1', new Set(['protocol'])).ok).toBe(false)
    // Votes stay open while the barriers are locked.
    expect(mayWrite('participant', 'barriers', 'b1', new Set(['barriers'])).ok).toBe(false)
    expect(mayWrite('participant', 'votes', 'v1', new Set(['barriers'])).ok).toBe(true)
    for (const root of ['ledger', 'members', 'hands', 'canvas', 'actions'])
      expect(mayWrite('participant', root, null, pot).ok).toBe(true)
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
  /** The update a new client holding exactly the server's state sends for `change` (for trials that are not kept). */
  const attempt = (change: (doc: Y.Doc) => void): Uint8Array => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    copy.on('update', (u: Uint8Array) => updates.push(u))
    change(copy)
    copy.destroy()
    return Y.mergeUpdates(updates)
  }
  return { server, client, edit, seed, sync, attempt }
}

/** The update a page holding exactly `doc`'s state sends for `change`. */
function attemptOn(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const updates: Uint8Array[] = []
  copy.on('update', (u: Uint8Array) => updates.push(u))
  change(copy)
  copy.destroy()
  return Y.mergeUpdates(updates)
}

/** What `update` did to `live`, read on a copy (the live document is not changed). */
function trial(live: Y.Doc, update: Uint8Array) {
  const copy = cloneDoc(live)
  try {
    return applyAndRead(copy, update)
  } finally {
    copy.destroy()
  }
}

/** Each change as `+root/key/…` (inserted) or `-root/key/…` (deleted); `[]` for a step into a list or text. */
const placed = (changes: readonly { root: string; path: readonly (string | null)[]; deleted: boolean }[]) =>
  changes.map((c) => `${c.deleted ? '-' : '+'}${[c.root, ...c.path.map((p) => p ?? '[]')].join('/')}`)

describe('what an update did, as Yjs integrated it (applyAndRead)', () => {
  it('names the root and the keys down to each item: a map entry and its fields, list content, meta', () => {
    const { server, attempt: edit } = pair()
    const line = trial(
      server,
      edit((d) => getPotMap(d).set('line-1', new Y.Map<unknown>([['amount', 5]]))),
    )
    expect(placed(line.changes)).toEqual(['+pot/line-1', '+pot/line-1/amount'])
    expect(line.changes.map((c) => c.content)).toEqual(['type', 'json'])
    expect(line.changes[1]!.values).toEqual([5])
    expect(line).toMatchObject({ pending: false, unplaceable: false })
    const ledger = trial(
      server,
      edit((d) => getLedgerArray(d).push([{ a: 1 }, { a: 2 }])),
    )
    expect(placed(ledger.changes)).toEqual(['+ledger/[]'])
    expect(ledger.changes[0]!.values).toEqual([{ a: 1 }, { a: 2 }])
    expect(
      placed(
        trial(
          server,
          edit((d) => getMetaMap(d).set('canvasSchema', { v: 1 })),
        ).changes,
      ),
    ).toEqual(['+meta/canvasSchema'])
  })

  it('reports the clocks each client wrote', () => {
    const { server, client, edit } = pair()
    const result = trial(
      server,
      edit((d) => getCanvasArray(d).push([{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape' } }])),
    )
    expect([...result.clocks]).toEqual([[client.clientID, [0, 1]]])
  })

  it('places a new clause, its fields and its body at the clause', () => {
    const { server, edit } = pair()
    const result = trial(
      server,
      edit((d) => void addClause(d, 'Decision making', ['Decisions by consensus.', 'Second paragraph.'], actor, 1)),
    )
    const paths = placed(result.changes)
    const id = result.changes[0]!.path[0]
    expect(paths.every((p) => p.startsWith(`+protocol/${id}`))).toBe(true)
    expect(paths).toEqual(
      expect.arrayContaining([
        `+protocol/${id}`,
        `+protocol/${id}/title`,
        `+protocol/${id}/body`,
        `+protocol/${id}/body/[]`,
        `+protocol/${id}/body/[]/[]`,
        `+protocol/${id}/body/[]/[]/[]`,
      ]),
    )
  })

  it('places typing into a clause body where Yjs puts it, though the update names no parent', () => {
    const { server, client, edit, seed } = pair()
    let id = ''
    seed((d) => {
      id = addClause(d, 'Decision making', ['Decisions by consensus.'], actor, 1)
    })
    const text = () => (clauseBody(client, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const inBody = `protocol/${id}/body/[]/[]/[]`
    // In the middle: the item names its neighbours (origins), not its parent.
    // Each update is accepted (the server takes it) before the client's next one.
    const middle = edit(() => text().insert(9, ' quickly'))
    expect((Y.decodeUpdate(middle).structs[0] as Y.Item).parent).toBeNull()
    expect(placed(trial(server, middle).changes)).toEqual([`+${inBody}`])
    Y.applyUpdate(server, middle)
    // At the very start: only a right origin.
    const start = edit(() => text().insert(0, 'All '))
    expect((Y.decodeUpdate(start).structs[0] as Y.Item).origin).toBeNull()
    expect(placed(trial(server, start).changes)).toEqual([`+${inBody}`])
    Y.applyUpdate(server, start)
    // Two insertions in one update, the second inside the first.
    const twice = edit(() =>
      client.transact(() => {
        text().insert(0, 'Now ')
        text().insert(2, 'XX')
      }),
    )
    expect(new Set(placed(trial(server, twice).changes))).toEqual(new Set([`+${inBody}`]))
    Y.applyUpdate(server, twice)
    // Formatting and deleting text the server holds.
    const boldUpdate = edit(() => text().format(0, 9, { bold: true }))
    const bold = trial(server, boldUpdate)
    expect(new Set(placed(bold.changes))).toEqual(new Set([`+${inBody}`]))
    expect(bold.changes.map((c) => c.content)).toContain('format')
    Y.applyUpdate(server, boldUpdate)
    const deleteUpdate = edit(() => text().delete(0, 3))
    const deletion = trial(server, deleteUpdate)
    expect(new Set(placed(deletion.changes))).toEqual(new Set([`-${inBody}`]))
    Y.applyUpdate(server, deleteUpdate)
    // A new paragraph after the existing one.
    const paragraph = trial(
      server,
      edit(() => clauseBody(client, id)!.insert(1, [new Y.XmlElement('paragraph')])),
    )
    expect(placed(paragraph.changes)).toEqual([`+protocol/${id}/body/[]`])
  })

  it('reports deletions of what the document holds, and nothing for deletions or items it already has', () => {
    const { server, client, edit, seed } = pair()
    seed((d) => {
      getPotMap(d).set('line-1', new Y.Map<unknown>([['amount', 1]]))
      getSettingsMap(d).set('x', 1)
    })
    const del = edit((d) => getPotMap(d).delete('line-1'))
    expect(Y.decodeUpdate(del).structs).toHaveLength(0)
    expect(placed(trial(server, del).changes)).toEqual(['-pot/line-1', '-pot/line-1/amount'])
    // Once the server holds the deletion, a reconnect's step 2 (the whole delete set) changes nothing.
    Y.applyUpdate(server, del)
    seed((d) => getSettingsMap(d).delete('x'))
    const resent = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))
    expect(Y.decodeUpdate(resent).ds.clients.size).toBeGreaterThan(0)
    expect(trial(server, resent).changes).toEqual([])
    // Nor does an update the server already holds.
    expect(trial(server, Y.encodeStateAsUpdate(client)).changes).toEqual([])
  })

  it('counts a map overwrite as a new value of the entry and the deletion of the old one', () => {
    const { server, edit } = pair()
    Y.applyUpdate(
      server,
      edit((d) => getMetaMap(d).set('title', 'A')),
    )
    const overwrite = trial(
      server,
      edit((d) => getMetaMap(d).set('title', 'B')),
    )
    expect(placed(overwrite.changes).sort()).toEqual(['+meta/title', '-meta/title'])
    expect(overwrite.changes.find((c) => !c.deleted)!.values).toEqual(['B'])
  })

  it('reports what waits for parts the room does not have as pending', () => {
    const { server, client, edit } = pair()
    client.getText('notes').insert(0, 'the server never saw this')
    expect(
      trial(
        server,
        edit((d) => d.getText('notes').insert(4, 'X')),
      ).pending,
    ).toBe(true)
    // A deletion of content nobody has.
    const other = new Y.Doc()
    other.getMap('pot').set('a', 1)
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other))
    expect(
      trial(
        server,
        edit((d) => getPotMap(d).delete('a')),
      ).pending,
    ).toBe(true)
  })

  it('marks an item reusing another client’s id at an overlapping clock as unplaceable, whatever parent it names (issue #16)', () => {
    // The facilitator's last item is the pot's lock.
    const facilitator = new Y.Doc()
    const id = addPotLine(facilitator, { ...DEFAULT_LINE, partner: 'Jobcentre Plus', amount: 5_000_000 }, actor, 1)
    updatePotLine(facilitator, id, { amount: 5_000_001 }, actor, 2)
    setLock(facilitator, 'pot', true, actor, 3)
    const server = new Y.Doc()
    Y.applyUpdate(server, Y.encodeStateAsUpdate(facilitator))
    const victim = facilitator.clientID
    const clock = Y.getState(facilitator.store, victim)
    const record = { key: 'shape:x', val: { id: 'shape:x', typeName: 'shape' } }
    for (const [parent, value] of [
      ['ledger', 1],
      ['canvas', record],
      ['pot', 1],
    ] as const) {
      const crafted = craftUpdate([{ client: victim, clock: clock - 1, parent, content: { any: ['x', value] } }])
      const result = trial(server, crafted)
      expect(result.unplaceable, parent).toBe(true)
      // What it would do to a plain replica: not what its parent info says, but rewrite the
      // facilitator's last item, the lock.
      const plain = new Y.Doc()
      Y.applyUpdate(plain, Y.encodeStateAsUpdate(server))
      Y.applyUpdate(plain, crafted)
      expect([...getLedgerArray(plain).toArray(), ...getCanvasArray(plain).toArray()], parent).toEqual([])
      expect(readLocks(plain).has('pot'), parent).toBe(false)
      expect(readLocks(server).has('pot')).toBe(true)
    }
    // An honest update from the same client continues after its clocks and is placed.
    const honest = new Y.Doc()
    Y.applyUpdate(honest, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    facilitator.on('update', (u: Uint8Array) => updates.push(u))
    setTakingPart(facilitator, 'DWP', 'department', actor, 5)
    expect(trial(server, updates[0]!)).toMatchObject({ unplaceable: false, pending: false })
  })

  it('applies the update to the document it reads, and throws on one Yjs cannot apply', () => {
    const { server, edit } = pair()
    const effects = applyAndRead(
      server,
      edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape', x: 1 })),
    )
    expect(placed(effects.changes)).toEqual(['+canvas/[]'])
    expect(openCanvas(server).get('shape:a')).toMatchObject({ x: 1 })
    expect(() => applyAndRead(server, new Uint8Array([1, 2, 3, 200, 200, 200]))).toThrow()
  })
})

describe('the shadow replica (the live document as it was before the update being judged)', () => {
  it('lags the live document, is brought level on demand, and on refusal hands back the document as it was', () => {
    const { server, edit } = pair()
    const shadow = new Shadow(server)
    shadow.begin()
    Y.applyUpdate(
      server,
      edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape', x: 1 })),
    )
    // Before the update being judged: without it.
    expect(openCanvas(shadow.before()).get('shape:a')).toBeUndefined()
    shadow.settle()
    // A change the live document takes without being judged (the server's own, another instance's).
    getLedgerArray(server).push([{ by: 'server' }])
    shadow.begin()
    Y.applyUpdate(
      server,
      edit((d) => getSettingsMap(d).set('timer', {})),
    )
    const before = shadow.before()
    expect(openCanvas(before).get('shape:a')).toMatchObject({ x: 1 })
    expect(getLedgerArray(before).toArray()).toEqual([{ by: 'server' }])
    expect(getSettingsMap(before).has('timer')).toBe(false)
    // Refused: the document as it was becomes the live one, with the server's client id.
    const restored = shadow.takeOver()
    expect(restored).not.toBe(server)
    expect(restored.clientID).toBe(server.clientID)
    expect(getSettingsMap(restored).has('timer')).toBe(false)
    expect(getSettingsMap(server).has('timer')).toBe(true)
    // It follows the restored document from then on (rebuilt from it at the next update).
    shadow.begin()
    Y.applyUpdate(
      restored,
      edit((d) => openCanvas(d).set('shape:b', { id: 'shape:b', typeName: 'shape' })),
    )
    expect(openCanvas(shadow.before()).has('shape:b')).toBe(false)
    const again = shadow.takeOver()
    expect(openCanvas(again).has('shape:b')).toBe(false)
    expect(openCanvas(again).get('shape:a')).toMatchObject({ x: 1 })
    shadow.destroy()
  })
})

const link = (role: LinkIdentity['role'], organisation: string | null = null): LinkIdentity => ({
  role,
  organisation,
  name: null,
  linkId: null,
})
const pat = { userId: 'pat', name: 'Pat Participant', organisation: 'DWP' }
const wes = { userId: 'wes', name: 'Wes Witness', organisation: 'Wiltshire Police' }
const kim = { userId: 'kim', name: 'Kim Lowe', organisation: 'Kent County Council' }

/**
 * Judges `update` against `live` as the room would: read as Yjs applies it, judged by the section
 * rules with the writer's link, bound user id (bound at its first attributed write when null) and
 * the sections locked.
 */
function judge(
  live: Y.Doc,
  update: Uint8Array,
  writer: LinkIdentity,
  options: { userId?: string | null; locked?: ReadonlySet<LockableSection> } = {},
): Refusal | null {
  const after = cloneDoc(live)
  try {
    const { changes } = applyAndRead(after, update)
    let userId = options.userId ?? null
    return judgeChanges(
      {
        before: live,
        after,
        writer: { link: writer, userId, proven: false },
        locked: options.locked ?? none,
        updateBytes: update.byteLength,
        claimUser: (id) => {
          if (userId !== null) return userId === id
          userId = id
          return true
        },
      },
      changes,
    )
  } finally {
    after.destroy()
  }
}

describe('the section rules (judgeChanges)', () => {
  it('refuses every write of an observer', () => {
    const { server, attempt: edit } = pair()
    expect(
      judge(
        server,
        edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape' })),
        link('observer'),
      ),
    ).toMatchObject({ code: 'observer' })
  })

  it('keeps settings and the title to the facilitator; anyone writes the canvas schema and an unlocked section', () => {
    const { server, attempt: edit } = pair()
    const participant = link('participant')
    expect(
      judge(
        server,
        edit((d) => getSettingsMap(d).set('timer', { state: 'idle', durationMs: 1 })),
        participant,
      ),
    ).toEqual({
      code: 'facilitator_only',
      reason: 'Only the facilitator can change the workshop settings.',
    })
    expect(
      judge(
        server,
        edit((d) => getMetaMap(d).set('title', 'Mine')),
        participant,
      ),
    ).toMatchObject({ code: 'facilitator_only' })
    expect(
      judge(
        server,
        edit((d) => getMetaMap(d).set('canvasSchema', { schemaVersion: 2 })),
        participant,
      ),
    ).toBeNull()
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, pat, 1)),
        participant,
      ),
    ).toBeNull()
    expect(
      judge(
        server,
        edit((d) => getSettingsMap(d).set('timer', { state: 'idle', durationMs: 1 })),
        link('facilitator'),
      ),
    ).toBeNull()
    expect(
      judge(
        server,
        edit((d) => getMetaMap(d).set('title', 'Renamed')),
        link('facilitator'),
      ),
    ).toBeNull()
  })

  it('makes a locked section read-only for everyone but the facilitator, and only that section', () => {
    const { server, attempt: edit, seed } = pair()
    let id = ''
    seed((d) => {
      id = addPotLine(d, { ...DEFAULT_LINE, partner: 'Police', amount: 1 }, wes, 1)
    })
    const pot = new Set<LockableSection>(['pot'])
    const inLine = edit((d) => updatePotLine(d, id, { amount: 999 }, pat, 2))
    expect(judge(server, inLine, link('participant'), { locked: pot })).toEqual({
      code: 'locked',
      reason: 'The pot is locked by the facilitator.',
    })
    expect(
      judge(
        server,
        edit((d) => getPotMap(d).delete(id)),
        link('participant'),
        { locked: pot },
      ),
    ).toMatchObject({ code: 'locked' })
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, pat, 3)),
        link('participant'),
        { locked: pot },
      ),
    ).toMatchObject({ code: 'locked' })
    expect(judge(server, inLine, link('facilitator'), { locked: pot })).toBeNull()
    expect(
      judge(
        server,
        edit((d) => void addBarrier(d, { ...DEFAULT_BARRIER, title: 'ESF', raisedBy: 'Kent' }, pat, 4)),
        link('participant'),
        { locked: pot },
      ),
    ).toBeNull()
    expect(judge(server, inLine, link('participant'), { locked: new Set(['barriers']) })).toBeNull()
  })

  it('refuses a whole update when one part of it is refused', () => {
    const { server, attempt: edit } = pair()
    const mixed = edit((d) =>
      d.transact(() => {
        addBarrier(d, { ...DEFAULT_BARRIER, title: 'ESF', raisedBy: 'Kent' }, pat, 1)
        getMetaMap(d).set('title', 'Mine')
      }),
    )
    expect(judge(server, mixed, link('participant'))).toMatchObject({ code: 'facilitator_only' })
  })

  it('refuses new top-level types, client ledger entries, and bad board records', () => {
    const { server, attempt: edit } = pair()
    const participant = link('participant')
    expect(
      judge(
        server,
        edit((d) => d.getMap('evil').set('x', 1)),
        participant,
      ),
    ).toEqual({ code: 'unknown_part', reason: 'This change writes a part the workshop does not have.' })
    expect(
      judge(
        server,
        edit((d) => getLedgerArray(d).push([{ forged: true }])),
        link('facilitator'),
      ),
    ).toEqual({ code: 'ledger', reason: 'The record of changes is written by the server alone.' })
    expect(
      judge(
        server,
        edit((d) => openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape', x: 1 })),
        participant,
      ),
    ).toBeNull()
    expect(
      judge(
        server,
        edit((d) => getCanvasArray(d).push([{ key: 'shape:b', val: { id: 'shape:c', typeName: 'shape' } }])),
        participant,
      ),
    ).toEqual({ code: 'invalid', reason: 'A board record is not valid.' })
    expect(
      judge(
        server,
        edit((d) =>
          openCanvas(d).set('shape:big', { id: 'shape:big', typeName: 'shape', text: 'x'.repeat(300 * 1024) }),
        ),
        participant,
      ),
    ).toEqual({
      code: 'invalid',
      reason: 'A board record can be at most 256 kB.',
    })
  })

  it('checks values field by field and attribution against the writer', () => {
    const { server, attempt: edit, seed } = pair()
    let id = ''
    seed((d) => {
      id = addPotLine(d, { ...DEFAULT_LINE, partner: 'Police', amount: 1 }, wes, 1)
    })
    const participant = link('participant')
    expect(
      judge(
        server,
        edit((d) => getPotMap(d).get(id)!.set('amount', -5)),
        participant,
      ),
    ).toEqual({ code: 'invalid', reason: 'A pot line’s amount: The amount cannot be negative.' })
    expect(
      judge(
        server,
        edit((d) => getPotMap(d).get(id)!.set('proposedBy', pat)),
        participant,
      ),
    ).toMatchObject({ code: 'not_yours' })
    // A line proposed in someone else's name, by a writer bound to their own id.
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, wes, 2)),
        participant,
        { userId: 'pat' },
      ),
    ).toEqual({
      code: 'not_yours',
      reason: 'You can only act in your own name.',
    })
    // The same edit by a writer not yet bound binds them to that id; the facilitator records for anyone.
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, wes, 2)),
        participant,
      ),
    ).toBeNull()
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, wes, 2)),
        link('facilitator'),
        { userId: 'fiona' },
      ),
    ).toBeNull()
    // A link bound to an organisation acts for that organisation only.
    expect(
      judge(
        server,
        edit((d) => void addPotLine(d, { ...DEFAULT_LINE, partner: 'DWP' }, pat, 2)),
        link('participant', 'Police'),
      ),
    ).toEqual({
      code: 'not_yours',
      reason: 'Your link is for Police: you can only act for Police.',
    })
  })

  it('counts a position only through the organisation’s own link, and freezes an agreed clause’s text', () => {
    const { server, client, edit, seed } = pair()
    let id = ''
    seed((d) => {
      setTakingPart(d, 'DWP', 'department', actor, 1)
      id = addClause(d, 'Pooling', ['Partners pool funding.'], actor, 1)
      proposeClause(d, id, actor, 2)
    })
    const claimed = edit((d) => statePosition(d, id, 'DWP', 'agree', '', pat, 3, 'link'))
    expect(judge(server, claimed, link('participant'))).toEqual({
      code: 'not_yours',
      reason: 'Only DWP can state DWP’s position.',
    })
    expect(judge(server, claimed, link('participant', 'Police'))).toMatchObject({ code: 'not_yours' })
    expect(judge(server, claimed, link('participant', 'DWP'))).toBeNull()
    // Accepted (it agrees the clause), the clause's text is frozen, for the facilitator too.
    Y.applyUpdate(server, claimed)
    expect(getProtocolMap(server).get(id)!.get('status')).toBe('agreed')
    const typing = edit(() => ((clauseBody(client, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'All '))
    expect(judge(server, typing, link('facilitator'))).toEqual({
      code: 'agreed',
      reason: 'This clause is agreed: its text cannot change until the facilitator reopens it.',
    })
  })
})

describe('undoing a removal (shared/pot.ts restoreLastRemoved) under the rules', () => {
  /** Pat removes a line Wes proposed (Kim edited it first, when `edited`), then undoes the removal. */
  function undoAfterRemoval(edited: boolean): Refusal | null {
    const server = new Y.Doc()
    const send = (author: typeof pat, change: (doc: Y.Doc) => void) =>
      acceptUpdate(server, attemptOn(server, change), authorOf(author), 1)
    let id = ''
    send(wes, (d) => {
      id = addPotLine(d, { ...DEFAULT_LINE, partner: 'Police', amount: 5 }, wes, 1)
    })
    if (edited) send(kim, (d) => updatePotLine(d, id, { amount: 9 }, kim, 2))
    const page = new Y.Doc()
    Y.applyUpdate(page, Y.encodeStateAsUpdate(server))
    const undo = createSectionUndo(page, 'pot')
    const sent: Uint8Array[] = []
    page.on('update', (u: Uint8Array) => sent.push(u))
    deletePotLine(page, id, pat, 3)
    expect(judge(server, sent[0]!, link('participant'), { userId: 'pat' })).toBeNull()
    acceptUpdate(server, sent[0]!, authorOf(pat), 3)
    expect(undo.undo()).not.toBeNull()
    return judge(server, sent[1]!, link('participant'), { userId: 'pat' })
  }

  it('lets a participant bring back a line someone else proposed that they removed', () => {
    expect(undoAfterRemoval(false)).toBeNull()
  })

  // The restored line carries the `edit.amount` record of the third person who last changed it:
  // bringing the line back as it was is not acting in their name.
  it('lets a participant bring back a line someone else last edited that they removed', () => {
    expect(undoAfterRemoval(true)).toBeNull()
  })
})

describe('concurrent writes of one field under the rules', () => {
  /**
   * Kim and Pat change the same pot line's conditions at the same moment (each page also records
   * itself as the field's last writer, `edit.conditions`). Kim's update reaches the server first;
   * the pages' client ids decide which value Yjs keeps: the higher id wins a concurrent map key.
   */
  function sameFieldAtOnce(patWins: boolean): Refusal | null {
    const server = new Y.Doc()
    let id = ''
    acceptUpdate(
      server,
      attemptOn(server, (d) => {
        id = addPotLine(d, { ...DEFAULT_LINE, partner: 'Police', amount: 5 }, wes, 1)
      }),
      authorOf(wes),
      1,
    )
    const page = (clientID: number) => {
      const doc = new Y.Doc()
      doc.clientID = clientID
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
      const sent: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => sent.push(u))
      return { doc, sent }
    }
    const kimPage = page(patWins ? 100 : 200)
    const patPage = page(patWins ? 200 : 100)
    updatePotLine(kimPage.doc, id, { conditions: 'Subject to cabinet' }, kim, 2)
    updatePotLine(patPage.doc, id, { conditions: 'Subject to members', status: 'agreed' }, pat, 2)
    expect(judge(server, kimPage.sent[0]!, link('participant'), { userId: 'kim' })).toBeNull()
    acceptUpdate(server, kimPage.sent[0]!, authorOf(kim), 2)
    return judge(server, patPage.sent[0]!, link('participant'), { userId: 'pat' })
  }

  it('accepts the later of two concurrent writes of a field when its value wins', () => {
    expect(sameFieldAtOnce(true)).toBeNull()
  })

  // Kim's `edit.conditions` wins the merge: Pat is judged on what Pat wrote, not on what won.
  it('accepts the later of two concurrent writes of a field when the other value wins', () => {
    expect(sameFieldAtOnce(false)).toBeNull()
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
    expect(trial(server, against)).toMatchObject({ changes: [], pending: false, unplaceable: false })
    // A deletion-only update has no tombstone.
    expect(tombstoneUpdate(edit((d) => getPotMap(d).delete('line')))).toBeNull()
  })

  it('cover only the clients `include` accepts, never clocks under another’s id', () => {
    const { server, client, edit } = pair()
    const other = new Y.Doc()
    getCanvasArray(other).push([{ key: 'shape:o', val: { id: 'shape:o', typeName: 'shape' } }])
    const mixed = Y.mergeUpdates([Y.encodeStateAsUpdate(other), edit((d) => getSettingsMap(d).set('timer', {}))])
    const own = tombstoneUpdate(mixed, (c) => c === client.clientID)!
    expect(Y.decodeUpdate(own).structs.map((s) => s.id.client)).toEqual([client.clientID])
    Y.applyUpdate(server, own)
    expect(Y.getState(server.store, other.clientID)).toBe(0)
    expect(Y.getState(server.store, client.clientID)).toBe(Y.getState(client.store, client.clientID))
    expect(tombstoneUpdate(mixed, () => false)).toBeNull()
  })
})
