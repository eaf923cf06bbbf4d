/**
 * What the rules and the ledger both need from one update's changes: the changes grouped by
 * top-level type and by the entry directly under it, and that entry as a document holds it.
 */
import type * as Y from 'yjs'
import type { Change } from './types.ts'

/** Changes by top-level type, then by entry key (null: list content of the type itself). */
export function groupByEntry(changes: readonly Change[]): Map<string, Map<string | null, Change[]>> {
  const grouped = new Map<string, Map<string | null, Change[]>>()
  for (const change of changes) {
    let entries = grouped.get(change.root)
    if (!entries) grouped.set(change.root, (entries = new Map()))
    const key = change.path[0] ?? null
    const list = entries.get(key)
    if (list) list.push(change)
    else entries.set(key, [change])
  }
  return grouped
}

/** The value under `key` of the top-level map `root`; undefined when absent or when `root` is not a map. */
export function entryOf(doc: Y.Doc, root: string, key: string): unknown {
  try {
    return doc.getMap<unknown>(root).get(key)
  } catch {
    return undefined
  }
}
