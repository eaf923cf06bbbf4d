import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/schema.ts'

const LISTS: ReadonlySet<string> = new Set([DOC_KEYS.canvas, DOC_KEYS.ledger])

/** Every part of a workshop document as JSON, read from a copy so the document itself is untouched. */
export function workshopJson(doc: Y.Doc): Record<string, unknown> {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const out: Record<string, unknown> = {}
  for (const key of Object.values(DOC_KEYS))
    out[key] = LISTS.has(key) ? copy.getArray(key).toJSON() : copy.getMap(key).toJSON()
  copy.destroy()
  return out
}
