/**
 * A section's entries are one Y.Map each under its top-level map. Shared by the domain modules:
 * reading them all in the order they were added (a peer's non-map value is skipped), and finding
 * one that an edit is about to change.
 */
import * as Y from 'yjs'

/** Every entry read by `read`, oldest first (ties by id, so every replica shows the same order). */
export function readEntriesInOrder<T extends { id: string; createdAt: number }>(
  entries: Y.Map<Y.Map<unknown>>,
  read: (id: string, map: Y.Map<unknown>) => T,
): T[] {
  const items: T[] = []
  entries.forEach((map, id) => {
    if (map instanceof Y.Map) items.push(read(id, map))
  })
  return items.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
}

/** The entry `id`, or an error a form can show when someone else removed it meanwhile. */
export function existingEntry(entries: Y.Map<Y.Map<unknown>>, id: string, what: string): Y.Map<unknown> {
  const map = entries.get(id)
  if (!(map instanceof Y.Map)) throw new Error(`This ${what} no longer exists: someone may have removed it.`)
  return map
}
