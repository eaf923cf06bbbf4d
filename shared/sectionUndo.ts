/**
 * Undo and redo for one person's own changes to a section, as in Google Sheets: Yjs's
 * UndoManager over the section's maps, tracking only transactions made on this client. Every
 * change a person makes goes through the shared section functions, whose `doc.transact` has no
 * origin (null); what arrives from the server has the provider as its origin, and what the device
 * reloads from its saved copy has the persistence as its origin, so undo never reverts what someone
 * else did. Each change is its own step (no merging by time): one Ctrl+Z, one change back.
 *
 * The board and the clause text have their own undo (tldraw's, and the editor's Collaboration
 * extension), scoped the same way.
 */
import * as Y from 'yjs'
import { DOC_KEYS } from './schema.ts'
import { OUTCOMES_KEY } from './sections/outcomes/model.ts'

/** The document maps each section's undo covers (barriers with their votes). */
export const UNDO_SCOPES = {
  pot: [DOC_KEYS.pot],
  barriers: [DOC_KEYS.barriers, DOC_KEYS.votes],
  actions: [DOC_KEYS.actions],
  outcomes: [OUTCOMES_KEY],
} as const satisfies Record<string, readonly string[]>
export type UndoScope = keyof typeof UNDO_SCOPES

/**
 * A pot line's `edit.<field>` records who last wrote the field. They are left out of every undo
 * step: undoing an amount puts the amount back and leaves the undoer as its last writer (which is
 * true), rather than bringing back someone else's name, which the server rightly refuses as acting
 * in their name. Yjs's UndoManager has no such filter for what it brings back, so each step's
 * record of items inserted and deleted is trimmed as it is added.
 */
const isEditRecord = (struct: unknown): boolean =>
  struct instanceof Y.Item && typeof struct.parentSub === 'string' && struct.parentSub.startsWith('edit.')

interface ClockRange {
  clock: number
  len: number
}
type ItemIds = { clients: Map<number, ClockRange[]> }

function withoutEditRecords(doc: Y.Doc, ids: ItemIds): void {
  for (const [client, ranges] of ids.clients) {
    const kept: ClockRange[] = []
    for (const { clock, len } of ranges) {
      for (let at = clock; at < clock + len; ) {
        const struct = Y.getItem(doc.store, Y.createID(client, at))
        const end = Math.min(clock + len, struct.id.clock + struct.length)
        if (!isEditRecord(struct)) {
          const last = kept.at(-1)
          if (last && last.clock + last.len === at) last.len += end - at
          else kept.push({ clock: at, len: end - at })
        }
        at = end
      }
    }
    ids.clients.set(client, kept)
  }
}

export function createSectionUndo(doc: Y.Doc, scope: UndoScope): Y.UndoManager {
  const manager = new Y.UndoManager(
    UNDO_SCOPES[scope].map((key) => doc.getMap(key)),
    { trackedOrigins: new Set([null]), captureTimeout: 0 },
  )
  manager.on('stack-item-added', ({ stackItem }) => {
    withoutEditRecords(doc, stackItem.insertions as unknown as ItemIds)
    withoutEditRecords(doc, stackItem.deletions as unknown as ItemIds)
  })
  return manager
}
