/**
 * This device's copy of a workshop's document, in IndexedDB (one database per room,
 * `commonpot:<roomId>`), so that a reload without a network shows the workshop as it was last
 * seen here, including changes not yet sent. y-indexeddb stores every update of the document as
 * it happens, whoever made it, and applies the stored ones when the page opens.
 */
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import { forgetRoomInfo } from '../offline/roomInfoCache.ts'
import { clearUnsynced } from './unsyncedCounter.ts'

export const cacheDatabaseName = (roomId: string): string => `commonpot:${roomId}`

export interface DocumentCache {
  /** The origin of the updates the cache applies to the document: they are not changes made here. */
  readonly origin: unknown
  /**
   * Settles once the saved copy is in the document: true when there was one. False too when
   * IndexedDB cannot be used here (some private modes), so the page waits for the server instead.
   */
  readonly loaded: Promise<boolean>
  /** Stops saving and deletes the saved copy (the page goes on with the document in memory). */
  discard(): Promise<void>
  destroy(): void
}

function hasContent(doc: Y.Doc): boolean {
  return doc.store.clients.size > 0
}

export function openDocumentCache(roomId: string, doc: Y.Doc): DocumentCache {
  if (typeof indexedDB === 'undefined') {
    return { origin: null, loaded: Promise.resolve(false), discard: async () => undefined, destroy: () => undefined }
  }
  const persistence = new IndexeddbPersistence(cacheDatabaseName(roomId), doc)
  const loaded = new Promise<boolean>((resolve) => {
    persistence.once('synced', () => resolve(hasContent(doc)))
    persistence._db.catch(() => resolve(false))
  })
  let destroyed: Promise<void> | null = null
  const destroy = () => (destroyed ??= persistence.destroy().catch(() => undefined))
  return {
    origin: persistence,
    loaded,
    async discard() {
      await destroy()
      await clearDocument(cacheDatabaseName(roomId)).catch(() => undefined)
    },
    destroy() {
      void destroy()
    },
  }
}

/**
 * Forgets everything this device kept of a workshop that no longer exists: the document copy,
 * the count of changes waiting and the room's details. Only for a room whose page is not open
 * (an open page discards through its own cache, whose database connection would block this).
 */
export async function forgetWorkshop(roomId: string): Promise<void> {
  clearUnsynced(localStorage, roomId)
  forgetRoomInfo(localStorage, roomId)
  if (typeof indexedDB !== 'undefined') await clearDocument(cacheDatabaseName(roomId)).catch(() => undefined)
}
