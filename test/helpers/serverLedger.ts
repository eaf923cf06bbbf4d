/**
 * The ledger as the server writes it, for unit tests of shared code without a server. Clients no
 * longer append to the ledger: the room reads what each accepted update did to its document
 * (server/sync/updateEffects.ts), derives the entries from it (shared/rules/ledgerOfChanges.ts)
 * and appends them itself (server/rooms/room.ts `recordLedger`). These helpers run the same steps on
 * plain Y.Docs, so a test can say "the server would record this".
 */
import * as Y from 'yjs'
import { applyAndRead } from '../../server/sync/updateEffects.ts'
import { appendLedger, type Actor, type LedgerEntry, type LedgerLink } from '../../shared/ledger.ts'
import { ledgerOfChanges } from '../../shared/rules/ledgerOfChanges.ts'
import type { LedgerAuthor } from '../../shared/rules/ledgerRecorder.ts'
import type { Change } from '../../shared/rules/types.ts'

/** The origin of the ledger entries these helpers append (like the room's own changes). */
export const SERVER_ORIGIN = Symbol('test-server')

/** A copy of `doc` as it is now. */
export function cloneDoc(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** The author the server records for `by`, with a general link of `role` unless told otherwise. */
export function authorOf(by: Actor, link: Partial<LedgerLink> = {}): LedgerAuthor {
  return { by, link: { role: 'participant', organisation: null, name: null, linkId: null, ...link } }
}

/**
 * What `update` does to `live`, as the server reads it (the changes, with their real paths), and
 * the document it leaves: a copy, so `live` itself is not changed.
 */
export function tryUpdate(live: Y.Doc, update: Uint8Array): { changes: Change[]; after: Y.Doc; done(): void } {
  const after = cloneDoc(live)
  const { changes } = applyAndRead(after, update)
  return { changes, after, done: () => after.destroy() }
}

/**
 * Takes `update` into `live` as the server takes an accepted peer update: works out the ledger
 * entries from its effect, applies it, and appends the entries. Returns the entries.
 */
export function acceptUpdate(live: Y.Doc, update: Uint8Array, author: LedgerAuthor, now: number): LedgerEntry[] {
  const { changes, after, done } = tryUpdate(live, update)
  try {
    const entries = ledgerOfChanges(live, after, changes, author, now)
    Y.applyUpdate(live, update)
    if (entries.length > 0) live.transact(() => appendLedger(live, entries), SERVER_ORIGIN)
    return entries
  } finally {
    done()
  }
}

/**
 * Runs `edit` on `doc` (as a client would, through the shared domain functions) and then records
 * what the server would record for it: as if `doc` were the server's document and `edit` one
 * peer's update. Returns what `edit` returned.
 */
export function recorded<T>(doc: Y.Doc, author: LedgerAuthor | Actor, now: number, edit: (doc: Y.Doc) => T): T {
  const full: LedgerAuthor = 'by' in author ? author : authorOf(author)
  const before = cloneDoc(doc)
  const updates: Uint8Array[] = []
  const capture = (update: Uint8Array, origin: unknown) => {
    if (origin !== SERVER_ORIGIN) updates.push(update)
  }
  doc.on('update', capture)
  let result: T
  try {
    result = edit(doc)
  } finally {
    doc.off('update', capture)
  }
  if (updates.length > 0) {
    const update = Y.mergeUpdates(updates)
    const entries = acceptUpdate(before, update, full, now)
    if (entries.length > 0) doc.transact(() => appendLedger(doc, entries), SERVER_ORIGIN)
  }
  before.destroy()
  return result
}
