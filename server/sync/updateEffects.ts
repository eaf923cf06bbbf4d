/**
 * What an update did to a document, read from Yjs's own integration: the structs it inserted and
 * deleted, with the parents Yjs actually placed them under, never what the update's structs claim.
 * So no difference between a model of Yjs and Yjs itself can open a hole in the rules (issue #16:
 * an item reusing another client's id with an overlapping clock is integrated where Yjs puts it,
 * not where its parent info says).
 */
import * as Y from 'yjs'
import type { Change, TypeKind } from '../../shared/rules/types.ts'

export interface Effects {
  changes: Change[]
  /** Clients that got new clocks from this update: client → [first new clock, end]. */
  clocks: Map<number, [number, number]>
  /** Structs or deletions left waiting for parts the document does not have. */
  pending: boolean
  /** A struct could not be placed under any top-level type, or among its own kind. */
  unplaceable: boolean
}

/** Deeper than any document the app writes; anything deeper is refused rather than walked. */
const MAX_DEPTH = 64

/** Top-level types' names, looked up once per type (Yjs finds them by scanning the document's share). */
const rootNames = new WeakMap<Y.AbstractType<unknown>, string>()

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

/**
 * Applies `update` to `doc` (as `origin`) and reports what Yjs did with it. Read at the end of the
 * update's transaction, before Yjs collects deleted content. Throws when Yjs fails part-way: the
 * document may then hold part of the update, and the caller must not keep it.
 */
export function applyAndRead(doc: Y.Doc, update: Uint8Array, origin: unknown = null): Effects {
  const effects: Effects = { changes: [], clocks: new Map(), pending: false, unplaceable: false }
  // Parts already waiting (relayed from another instance ahead of what they need) are not this
  // update's doing: only what it adds to them counts.
  const waitingStructs = doc.store.pendingStructs?.update ?? null
  const waitingDs = doc.store.pendingDs
  let read = false
  const capture = (transaction: Y.Transaction): void => {
    // Only the update's own transaction (an observer's nested change would be a second one).
    if (read) return
    read = true
    readTransaction(transaction, effects)
  }
  doc.on('afterTransaction', capture)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('afterTransaction', capture)
  }
  const store = doc.store
  const structs = store.pendingStructs?.update ?? null
  effects.pending =
    (structs !== null && structs !== waitingStructs) || (store.pendingDs !== null && store.pendingDs !== waitingDs)
  return effects
}

function readTransaction(transaction: Y.Transaction, effects: Effects): void {
  const store = transaction.doc.store
  for (const [client, end] of transaction.afterState) {
    const start = transaction.beforeState.get(client) ?? 0
    if (end <= start) continue
    effects.clocks.set(client, [start, end])
    const structs = store.clients.get(client)!
    for (let i = Y.findIndexSS(structs, start); i < structs.length && structs[i]!.id.clock < end; i++) {
      const struct = structs[i]!
      if (!(struct instanceof Y.Item)) continue
      if (!inPlace(struct)) effects.unplaceable = true
      // Inserted already deleted (a client's step 2 carries what it made and removed while
      // offline, without content): there and gone, it changes nothing.
      else if (!struct.deleted) record(effects, struct, false)
    }
  }
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (struct instanceof Y.Item) record(effects, struct, true)
  })
}

function record(effects: Effects, item: Y.Item, deleted: boolean): void {
  const placed = place(item)
  if (!placed) {
    effects.unplaceable = true
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
  effects.changes.push({
    root: placed.root,
    path: placed.path,
    deleted,
    content: kind,
    values,
    typeKind,
    name,
    parentKind: kindOf(item.parent),
  })
}

/** The top-level type an integrated item lives under, and the keys down to it. */
function place(item: Y.Item): { root: string; path: (string | null)[] } | null {
  const path: (string | null)[] = [item.parentSub]
  let parent: unknown = item.parent
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (!(parent instanceof Y.AbstractType)) return null
    const holder: Y.Item | null = parent._item
    if (holder === null) {
      const root = rootName(parent)
      return root === null ? null : { root, path: path.reverse() }
    }
    path.push(holder.parentSub)
    parent = holder.parent
  }
  return null
}

function rootName(type: Y.AbstractType<unknown>): string | null {
  let name = rootNames.get(type)
  if (name === undefined) {
    try {
      name = Y.findRootTypeKey(type)
    } catch {
      return null
    }
    rootNames.set(type, name)
  }
  return name
}
