/**
 * An empty document and awareness that stand in for the room while its connection is being
 * set up, so hooks that read the room can run unconditionally. Created once, on first use.
 */
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'

let room: { doc: Y.Doc; awareness: Awareness } | null = null

export function standInRoom(): { doc: Y.Doc; awareness: Awareness } {
  if (!room) {
    const doc = new Y.Doc()
    room = { doc, awareness: new Awareness(doc) }
  }
  return room
}
