/**
 * How many local changes to a workshop have not reached the server, kept on this device so that
 * an offline reload still says how much is waiting. Storage failures (private browsing, a full
 * quota) lose the count, never the changes: those live in the document cache.
 */

/** The part of Web Storage the counter needs; any Storage will do. */
export type CounterStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** Past this the badge's number stops being useful; it also bounds a tampered value. */
export const MAX_UNSYNCED = 1_000_000

export const unsyncedKey = (roomId: string): string => `commonpot.unsynced.${roomId}`

/** The stored count: 0 for nothing, garbage or anything negative. */
export function readUnsynced(storage: CounterStorage, roomId: string): number {
  let raw: string | null
  try {
    raw = storage.getItem(unsyncedKey(roomId))
  } catch {
    return 0
  }
  if (raw === null || !/^\d{1,7}$/.test(raw)) return 0
  return Math.min(Number(raw), MAX_UNSYNCED)
}

/**
 * Adds `by` to the stored count and returns the new total. It reads the stored value first, so
 * that changes made in two tabs of the same workshop add up rather than overwrite each other.
 */
export function addUnsynced(storage: CounterStorage, roomId: string, by = 1): number {
  const next = Math.min(readUnsynced(storage, roomId) + Math.max(0, Math.floor(by)), MAX_UNSYNCED)
  try {
    storage.setItem(unsyncedKey(roomId), String(next))
  } catch {
    // the count is lost for the next reload; this page still shows it
  }
  return next
}

/** Forgets the count: the server has everything this device had. */
export function clearUnsynced(storage: CounterStorage, roomId: string): void {
  try {
    storage.removeItem(unsyncedKey(roomId))
  } catch {
    // nothing stored, nothing to forget
  }
}
