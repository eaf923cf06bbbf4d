/**
 * A room's candidate replica: a second Y.Doc that always holds exactly what the live document
 * holds, on which a peer's update is tried before the live document sees it. What the update did
 * is read from Yjs's own integration (the structs it inserted and deleted, with the parents Yjs
 * actually placed them under), never from what the update's structs claim, so no difference
 * between a model of Yjs and Yjs itself can open a hole in the rules (issue #16: an item reusing
 * another client's id with an overlapping clock is integrated where Yjs puts it, not where its
 * parent info says).
 *
 * Accepted: the same bytes are then applied to the live document (the two stay equal). Refused,
 * or failed part-way: the candidate no longer matches the live document and is rebuilt from it
 * before the next trial (`stale`).
 */
import * as Y from 'yjs'
import type { Change, TypeKind } from '../../shared/rules/types.ts'

export interface Trial {
  changes: Change[]
  /** Clients that got new clocks from this update: client → [first new clock, end]. */
  clocks: Map<number, [number, number]>
  /** Structs or deletions left waiting for parts the room does not have. */
  pending: boolean
  /** A struct could not be placed under any top-level type. */
  unplaceable: boolean
  /** The update changed something in the replica (new clocks or deletions). */
  changed: boolean
}

/** Deeper than any document the app writes; anything deeper is refused rather than walked. */
const MAX_DEPTH = 64

/**
 * Whether an inserted item sits among its own kind: every neighbour Yjs linked it to has the same
 * parent and map key. Yjs does not check this. An item that overlaps its client's clocks is linked
 * after that client's last item wherever that item is, while keeping the parent its update named;
 * when the transaction ends Yjs then merges the two, so a struct "in the canvas" rewrites a pot
 * line's amount (issue #16). Honest updates never produce such an item, so it is refused.
 */
function inPlace(item: Y.Item): boolean {
  const { left, right } = item
  if (left !== null && (left.parent !== item.parent || left.parentSub !== item.parentSub)) return false
  if (right !== null && (right.parent !== item.parent || right.parentSub !== item.parentSub)) return false
  return true
}

/** Which kind of Yjs type a parent or nested type is (subclasses first: XmlText is a Text). */
function kindOf(type: unknown): TypeKind {
  if (type instanceof Y.XmlText) return 'xmlText'
  if (type instanceof Y.XmlElement) return 'xmlElement'
  if (type instanceof Y.XmlFragment) return 'xmlFragment'
  if (type instanceof Y.Text) return 'text'
  if (type instanceof Y.Map) return 'map'
  if (type instanceof Y.Array) return 'array'
  return 'other'
}

export class Candidate {
  private doc: Y.Doc | null = null
  /** Built on the first trial, not at load: a room nobody edits never pays for a second copy. */
  private stale = true
  private trial: Trial | null = null
  private rootNames = new Map<Y.AbstractType<unknown>, string>()

  constructor(private readonly live: Y.Doc) {}

  /** The replica as the last trial left it, for the rules to read. */
  get after(): Y.Doc {
    if (!this.doc) throw new Error('no trial yet')
    return this.doc
  }

  /** Marks the replica as no longer equal to the live document (rebuilt before the next trial). */
  invalidate(): void {
    this.stale = true
  }

  /** Brings a change the live document took without a trial (server, facilitator relay, other instances). */
  mirror(update: Uint8Array): void {
    if (this.stale || !this.doc) return
    try {
      Y.applyUpdate(this.doc, update)
    } catch {
      this.stale = true
    }
  }

  /** Applies `update` to the replica and reports what Yjs did with it. Throws if it fails part-way. */
  try(update: Uint8Array): Trial {
    const doc = this.stale || !this.doc ? this.rebuild() : this.doc
    this.trial = { changes: [], clocks: new Map(), pending: false, unplaceable: false, changed: false }
    // Parts already waiting (relayed from another instance ahead of what they need) are not this
    // update's doing: only what it adds to them counts.
    const waitingStructs = doc.store.pendingStructs?.update ?? null
    const waitingDs = doc.store.pendingDs
    try {
      Y.applyUpdate(doc, update)
    } catch (error) {
      this.stale = true
      throw error
    }
    const trial = this.trial
    this.trial = null
    const store = doc.store
    const structs = store.pendingStructs?.update ?? null
    trial.pending = (structs !== null && structs !== waitingStructs) || (store.pendingDs !== null && store.pendingDs !== waitingDs)
    return trial
  }

  destroy(): void {
    this.doc?.destroy()
    this.doc = null
  }

  private rebuild(): Y.Doc {
    if (this.doc) {
      this.doc.off('afterTransaction', this.capture)
      this.doc.destroy()
    }
    this.rootNames = new Map()
    const doc = new Y.Doc({ gc: this.live.gc })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.live))
    doc.on('afterTransaction', this.capture)
    this.doc = doc
    this.stale = false
    return doc
  }

  /** Runs at the end of the trial's transaction, before Yjs collects deleted content. */
  private readonly capture = (transaction: Y.Transaction): void => {
    const trial = this.trial
    if (!trial) return
    const store = transaction.doc.store
    for (const [client, end] of transaction.afterState) {
      const start = transaction.beforeState.get(client) ?? 0
      if (end <= start) continue
      trial.clocks.set(client, [start, end])
      const structs = store.clients.get(client)!
      for (let i = Y.findIndexSS(structs, start); i < structs.length && structs[i]!.id.clock < end; i++) {
        const struct = structs[i]!
        if (!(struct instanceof Y.Item)) continue
        if (!inPlace(struct)) trial.unplaceable = true
        // Inserted already deleted (a client's step 2 carries what it made and removed while
        // offline, without content): there and gone, it changes nothing.
        else if (!struct.deleted) this.record(trial, struct, false)
      }
    }
    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      trial.changed = true
      if (struct instanceof Y.Item) this.record(trial, struct, true)
    })
    if (trial.clocks.size > 0) trial.changed = true
  }

  private record(trial: Trial, item: Y.Item, deleted: boolean): void {
    const placed = this.place(item)
    if (!placed) {
      trial.unplaceable = true
      return
    }
    const content = item.content
    let kind: Change['content'] = 'other'
    let values: readonly unknown[] = []
    let typeKind: TypeKind | undefined
    let name: string | undefined
    if (content instanceof Y.ContentAny) {
      kind = 'json'
      values = content.arr
    } else if (content instanceof Y.ContentType) {
      kind = 'type'
      typeKind = kindOf(content.type)
      if (content.type instanceof Y.XmlElement) name = content.type.nodeName
    } else if (content instanceof Y.ContentString) kind = 'text'
    else if (content instanceof Y.ContentFormat) {
      kind = 'format'
      name = content.key
      values = [content.value]
    }
    trial.changes.push({ root: placed.root, path: placed.path, deleted, content: kind, values, typeKind, name, parentKind: kindOf(item.parent) })
  }

  /** The top-level type an integrated item lives under, and the keys down to it. */
  private place(item: Y.Item): { root: string; path: (string | null)[] } | null {
    const path: (string | null)[] = [item.parentSub]
    let parent: unknown = item.parent
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      if (!(parent instanceof Y.AbstractType)) return null
      const holder: Y.Item | null = parent._item
      if (holder === null) {
        const root = this.rootName(parent)
        return root === null ? null : { root, path: path.reverse() }
      }
      path.push(holder.parentSub)
      parent = holder.parent
    }
    return null
  }

  private rootName(type: Y.AbstractType<unknown>): string | null {
    let name = this.rootNames.get(type)
    if (name === undefined) {
      try {
        name = Y.findRootTypeKey(type)
      } catch {
        return null
      }
      this.rootNames.set(type, name)
    }
    return name
  }
}
