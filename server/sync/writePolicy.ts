/**
 * The server's write policy: which parts of the workshop document an update from a participant
 * would change, found WITHOUT applying it, checked against shared/permissions.ts (`mayWrite`)
 * with the room's current locks. Facilitators' updates are not checked; observers' are refused
 * before they get here (rooms/room.ts).
 *
 * Where an update writes, struct by struct (from `Y.decodeUpdate`):
 * - An Item names its parent as a root type's name (a string), as the ID of the Item that holds
 *   the parent type, or not at all: then the parent is its left neighbour's (`origin`), or failing
 *   that its right neighbour's (`rightOrigin`), as Yjs does when it integrates the item. Those
 *   items are in the room's document (`Y.getItem(doc.store, id)`) or earlier in the same update.
 *   From an integrated item, `type._item` leads up to the root type, whose name is
 *   `Y.findRootTypeKey`. The "key" is the map key (`parentSub`) of the item directly under the
 *   root: a pot line's id, a clause's id, `meta.title`; null for list content such as the ledger.
 * - A deletion range is walked over the document's structs (`Y.findIndexSS`), read-only; items
 *   already deleted are no-ops and are not counted (a client's sync step 2 after a reconnect
 *   carries the document's whole delete set).
 * - Items the document already holds are no-ops too. An item Yjs would turn into garbage (its
 *   parent, or a neighbour it is placed against, is garbage-collected) writes nothing.
 * - Anything that cannot be placed (an origin neither in the document nor in the update, a parent
 *   that is not a type, a cycle) is refused.
 *
 * A refused update is turned into a tombstone (`tombstoneUpdate`): the same client clocks as
 * garbage-collected structs with no content and no deletions. The room applies, stores and relays
 * the tombstone instead of the update. Nothing of the refused change reaches the document or
 * anyone else, and the sender's later updates, which Yjs can only integrate after every earlier
 * clock of the same client, still apply; dropping the update outright would leave the server and
 * every peer waiting for the missing clocks, and silently losing everything that person did next.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { LOCKABLE_SECTIONS, mayWrite, SECTION_KEYS, type LockableSection } from '../../shared/permissions.ts'
import type { Role } from '../../shared/roles.ts'
import { getSettingsMap } from '../../shared/schema.ts'
import { readLocks } from '../../shared/workshopSettings.ts'

/** A place in the document an update writes: a top-level key and the entry directly under it. */
export interface Touch {
  root: string
  /** The map key directly under the root (null: the root is a list, or the root map itself). */
  key: string | null
}

/** Why a write was refused; the label of `commonpot_writes_denied_total{reason}`. */
export type DeniedCode = 'observer' | 'facilitator_only' | 'locked' | 'unresolvable'

export type PolicyVerdict = { ok: true } | { ok: false; code: DeniedCode; reason: string }

export const UNRESOLVABLE_REASON = 'This change could not be matched to a part of the workshop, so it was not saved. Reload the page.'

/** Yjs will garbage-collect the struct: it writes nothing. */
const VOID = 0
/** Where the struct goes cannot be told: refuse. */
const UNKNOWN = 1
type Resolved = Touch | typeof VOID | typeof UNKNOWN

type Lookup = { inStore: true; struct: Y.AbstractStruct } | { inStore: false; struct: Y.AbstractStruct } | null

/** A structure too deep or too tangled to follow is refused rather than followed without end. */
const MAX_CHAIN = 100_000

/**
 * The places an update would write in `doc`, without applying it; null when some part of it
 * cannot be placed. Each place is listed once. Throws when the update cannot be decoded.
 */
export function touchesOf(doc: Y.Doc, update: Uint8Array): Touch[] | null {
  const { structs, ds } = Y.decodeUpdate(update)
  return new Resolver(doc, structs).touches(ds)
}

class Resolver {
  private readonly store: Y.Doc['store']
  /** The update's structs by client, in clock order. */
  private readonly byClient = new Map<number, Y.AbstractStruct[]>()
  private readonly memo = new Map<Y.AbstractStruct, Resolved>()
  private readonly typeMemo = new Map<Y.AbstractType<unknown>, Resolved>()
  private readonly rootNames = new Map<Y.AbstractType<unknown>, string>()
  private readonly found: Touch[] = []
  private readonly seen = new Set<string>()

  constructor(private readonly doc: Y.Doc, private readonly structs: Y.AbstractStruct[]) {
    this.store = doc.store
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client)
      if (list) list.push(struct)
      else this.byClient.set(struct.id.client, [struct])
    }
    for (const list of this.byClient.values()) {
      if (!isSorted(list)) list.sort((a, b) => a.id.clock - b.id.clock)
    }
  }

  touches(ds: { clients: Map<number, { clock: number; len: number }[]> }): Touch[] | null {
    for (const struct of this.structs) {
      if (!(struct instanceof Y.Item)) continue // GC and Skip structs write nothing
      if (struct.id.clock + struct.length <= Y.getState(this.store, struct.id.client)) continue // already held
      if (!this.add(this.resolveDecoded(struct))) return null
    }
    for (const [client, ranges] of ds.clients) {
      for (const range of ranges) {
        if (!this.deletion(client, range.clock, range.len)) return null
      }
    }
    return this.found
  }

  /** Records a resolved place; false when it cannot be placed. */
  private add(resolved: Resolved): boolean {
    if (resolved === VOID) return true
    if (resolved === UNKNOWN) return false
    const id = resolved.key === null ? resolved.root : `${resolved.root}\u0000${resolved.key}`
    if (!this.seen.has(id)) {
      this.seen.add(id)
      this.found.push(resolved)
    }
    return true
  }

  /** The struct holding `id`: in the document when its clock is known there, else in the update. */
  private lookup(id: Y.ID): Lookup {
    if (id.clock < Y.getState(this.store, id.client)) return { inStore: true, struct: Y.getItem(this.store, id) as Y.AbstractStruct }
    const list = this.byClient.get(id.client)
    if (!list) return null
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >>> 1
      const struct = list[mid]!
      if (id.clock < struct.id.clock) high = mid - 1
      else if (id.clock >= struct.id.clock + struct.length) low = mid + 1
      else return struct instanceof Y.Skip ? null : { inStore: false, struct }
    }
    return null
  }

  private rootName(type: Y.AbstractType<unknown>): string | null {
    let name = this.rootNames.get(type)
    if (name === undefined) {
      if (type.doc !== this.doc) return null
      try {
        name = Y.findRootTypeKey(type)
      } catch {
        return null
      }
      this.rootNames.set(type, name)
    }
    return name
  }

  /** Where an item already in the document is: up through the types that hold it to the root. */
  private resolveIntegrated(item: Y.Item): Resolved {
    const parent = item.parent
    if (!(parent instanceof Y.AbstractType)) return UNKNOWN
    if (parent._item === null) {
      const root = this.rootName(parent)
      return root === null ? UNKNOWN : { root, key: item.parentSub }
    }
    return this.resolveType(parent)
  }

  /** Where a nested type is: the place of the item directly under the root that contains it. */
  private resolveType(type: Y.AbstractType<unknown>): Resolved {
    const memoised = this.typeMemo.get(type)
    if (memoised !== undefined) return memoised
    let holder = type._item
    let resolved: Resolved = UNKNOWN
    for (let depth = 0; holder !== null && depth < MAX_CHAIN; depth++) {
      const parent = holder.parent
      if (!(parent instanceof Y.AbstractType)) break
      if (parent._item === null) {
        const root = this.rootName(parent)
        resolved = root === null ? UNKNOWN : { root, key: holder.parentSub }
        break
      }
      holder = parent._item
    }
    this.typeMemo.set(type, resolved)
    return resolved
  }

  /** The parent named by ID: the item holding the parent type. */
  private parentHolder(id: Y.ID): Resolved | Y.Item {
    const found = this.lookup(id)
    if (!found) return UNKNOWN
    const { struct } = found
    if (struct instanceof Y.GC) return VOID
    if (!(struct instanceof Y.Item)) return UNKNOWN
    if (found.inStore) {
      if (struct.content instanceof Y.ContentType) return this.resolveType(struct.content.type as Y.AbstractType<unknown>)
      // A type deleted and collected since: Yjs turns its new children into garbage.
      if (struct.content instanceof Y.ContentDeleted) return VOID
      return UNKNOWN
    }
    return struct.content instanceof Y.ContentType ? struct : UNKNOWN
  }

  /** A neighbour named by `origin` or `rightOrigin`: its parent is the item's parent. */
  private neighbour(id: Y.ID): Resolved | Y.Item {
    const found = this.lookup(id)
    if (!found) return UNKNOWN
    const { struct } = found
    if (struct instanceof Y.GC) return VOID
    if (!(struct instanceof Y.Item)) return UNKNOWN
    return found.inStore ? this.resolveIntegrated(struct) : struct
  }

  /**
   * One step of resolving an item of the update: its place, or another item of the update whose
   * place decides it (resolved first by `resolveDecoded`).
   */
  private step(item: Y.Item): Resolved | Y.Item {
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { root: parent, key: item.parentSub }
    if (parent instanceof Y.ID) return this.followed(this.parentHolder(parent))
    let left: Resolved | undefined
    let right: Resolved | undefined
    if (item.origin) {
      const found = this.followed(this.neighbour(item.origin))
      if (found instanceof Y.Item) return found
      left = found
    }
    if (item.rightOrigin) {
      const found = this.followed(this.neighbour(item.rightOrigin))
      if (found instanceof Y.Item) return found
      right = found
    }
    // As Yjs integrates: a garbage neighbour on either side makes the item garbage; otherwise
    // the parent is the left neighbour's, or the right one's.
    if (left === VOID || right === VOID) return VOID
    return left ?? right ?? UNKNOWN
  }

  /** An item of the update stands for its own (memoised) place once that is known. */
  private followed(next: Resolved | Y.Item): Resolved | Y.Item {
    if (!(next instanceof Y.Item)) return next
    const known = this.memo.get(next)
    return known === undefined ? next : known
  }

  /** Resolves an item of the update without recursion (updates can chain thousands of items). */
  private resolveDecoded(start: Y.Item): Resolved {
    const known = this.memo.get(start)
    if (known !== undefined) return known
    const stack: Y.Item[] = [start]
    const visiting = new Set<Y.Item>([start])
    while (stack.length > 0) {
      const item = stack[stack.length - 1]!
      const next = this.step(item)
      if (next instanceof Y.Item) {
        if (visiting.has(next) || stack.length >= MAX_CHAIN) {
          // A cycle or an absurd chain: refuse everything waiting on it.
          for (const waiting of stack) this.memo.set(waiting, UNKNOWN)
          return UNKNOWN
        }
        visiting.add(next)
        stack.push(next)
        continue
      }
      this.memo.set(item, next)
      visiting.delete(item)
      stack.pop()
    }
    return this.memo.get(start)!
  }

  /** A deletion range: each live item it covers in the document, read-only. */
  private deletion(client: number, clock: number, len: number): boolean {
    const end = clock + len
    const state = Y.getState(this.store, client)
    if (clock < state) {
      const structs = this.store.clients.get(client)!
      const stop = Math.min(end, state)
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!
        if (struct.id.clock >= stop) break
        if (struct.deleted || !(struct instanceof Y.Item)) continue
        if (!this.add(this.resolveIntegrated(struct))) return false
      }
    }
    // Clocks the document does not hold yet must be inserted by this same update (their
    // insertion is checked above); a deletion of content nobody has is refused.
    return clock >= end || end <= state || this.coveredByUpdate(client, Math.max(clock, state), end)
  }

  private coveredByUpdate(client: number, from: number, to: number): boolean {
    const list = this.byClient.get(client)
    if (!list) return false
    let next = from
    for (const struct of list) {
      if (struct.id.clock > next) return false
      const structEnd = struct.id.clock + struct.length
      if (structEnd <= next) continue
      if (struct instanceof Y.Skip) return false
      next = structEnd
      if (next >= to) return true
    }
    return next >= to
  }
}

function isSorted(list: Y.AbstractStruct[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]!.id.clock < list[i - 1]!.id.clock) return false
  return true
}

/** Checks an update from `role` against the document and the sections locked now. */
export function checkUpdate(doc: Y.Doc, role: Role, update: Uint8Array, locked: ReadonlySet<LockableSection>): PolicyVerdict {
  if (role === 'observer') return { ok: false, code: 'observer', reason: 'Observers can look but not change anything.' }
  if (role === 'facilitator') return { ok: true }
  const touches = touchesOf(doc, update)
  if (touches === null) return { ok: false, code: 'unresolvable', reason: UNRESOLVABLE_REASON }
  for (const { root, key } of touches) {
    const verdict = mayWrite(role, root, key, locked)
    if (!verdict.ok) {
      const lockedSection = LOCKABLE_SECTIONS.some((s) => locked.has(s) && SECTION_KEYS[s].includes(root))
      return { ok: false, code: lockedSection ? 'locked' : 'facilitator_only', reason: verdict.reason }
    }
  }
  return { ok: true }
}

/**
 * One room's policy: `checkUpdate` with the room's locks, read from the document once and again
 * only after the settings change.
 */
export class WritePolicy {
  private locked: ReadonlySet<LockableSection> | null = null
  private readonly settings: Y.Map<unknown>

  constructor(private readonly doc: Y.Doc) {
    this.settings = getSettingsMap(doc)
    this.settings.observeDeep(this.invalidate)
  }

  check(role: Role, update: Uint8Array): PolicyVerdict {
    if (role === 'facilitator') return { ok: true }
    return checkUpdate(this.doc, role, update, this.lockedSections())
  }

  lockedSections(): ReadonlySet<LockableSection> {
    if (this.locked === null) {
      try {
        this.locked = new Set(readLocks(this.doc).keys())
      } catch {
        // Settings this server cannot read: fail closed until the facilitator repairs them.
        this.locked = new Set(LOCKABLE_SECTIONS)
      }
    }
    return this.locked
  }

  destroy(): void {
    this.settings.unobserveDeep(this.invalidate)
  }

  private readonly invalidate = (): void => {
    this.locked = null
  }
}

/**
 * The tombstone of a refused update: its structs' clocks as garbage-collected structs (content
 * dropped, gaps kept as skips), and no deletions; null when the update has no structs. Encoded in
 * the v1 update format by hand: a GC struct is info byte 0 and a length, a skip info byte 10.
 */
export function tombstoneUpdate(update: Uint8Array): Uint8Array | null {
  const { structs } = Y.decodeUpdate(update)
  const byClient = new Map<number, { clock: number; len: number; skip: boolean }[]>()
  for (const struct of structs) {
    const run = { clock: struct.id.clock, len: struct.length, skip: struct instanceof Y.Skip }
    const list = byClient.get(struct.id.client)
    if (list) list.push(run)
    else byClient.set(struct.id.client, [run])
  }
  if (byClient.size === 0) return null
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, byClient.size)
  for (const [client, runs] of [...byClient].sort((a, b) => b[0] - a[0])) {
    runs.sort((a, b) => a.clock - b.clock)
    // Merge neighbouring runs; a gap between two becomes a skip.
    const merged: { len: number; skip: boolean }[] = []
    let clock = runs[0]!.clock
    for (const run of runs) {
      if (run.clock + run.len <= clock) continue // overlaps what is written already
      const start = Math.max(run.clock, clock)
      if (start > clock) pushRun(merged, start - clock, true)
      pushRun(merged, run.clock + run.len - start, run.skip)
      clock = run.clock + run.len
    }
    encoding.writeVarUint(encoder, merged.length)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, runs[0]!.clock)
    for (const run of merged) {
      encoding.writeUint8(encoder, run.skip ? 10 : 0)
      encoding.writeVarUint(encoder, run.len)
    }
  }
  encoding.writeVarUint(encoder, 0) // an empty delete set
  return encoding.toUint8Array(encoder)
}

function pushRun(runs: { len: number; skip: boolean }[], len: number, skip: boolean): void {
  const last = runs[runs.length - 1]
  if (last && last.skip === skip) last.len += len
  else runs.push({ len, skip })
}
