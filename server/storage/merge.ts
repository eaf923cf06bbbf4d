/**
 * Compaction's merge. With several instances serving one room, the instance compacting may not
 * yet have applied rows another instance appended (they reach it through the bus a moment
 * later), so a compacted row is built from the caller's state and every row actually stored:
 * no stored update is ever dropped. Applying rows the state already holds is cheap (Yjs skips
 * known structs), and compaction runs once per COMPACT_ROWS rows.
 */
import * as Y from 'yjs'

export function mergeWithStored(state: Uint8Array, stored: Iterable<Uint8Array>): Uint8Array {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      Y.applyUpdate(doc, state)
      for (const row of stored) Y.applyUpdate(doc, row)
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
