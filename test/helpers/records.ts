/**
 * Free-form writes that the server's rules accept from any participant, for tests that need
 * "some edit" rather than a particular part of the workshop: board records in the canvas
 * (`YKeyValue` over `getCanvasArray`; the key equals `val.id`, `val.typeName` is a string, each
 * record at most 256 kB of JSON, see shared/rules/sectionRules.ts). The server refuses any other
 * top-level type (`doc.getMap('check')` and the like).
 *
 * Reading never builds a `YKeyValue` (whose constructor removes duplicate keys, i.e. writes):
 * `readRecords` takes the last entry of each key, as `YKeyValue` does.
 */
import type * as Y from 'yjs'
import type { YKeyValue } from 'y-utility/y-keyvalue'
import { clauseBody } from '../../shared/protocol.ts'
import { getCanvasArray, openCanvas, type CanvasRecord } from '../../shared/schema.ts'

/** The record id a test name maps to. */
export const recordId = (name: string | number): string => `shape:${name}`

const stores = new WeakMap<Y.Doc, YKeyValue<CanvasRecord>>()

/** One `YKeyValue` per document (each one observes the array and tidies duplicates). */
export function canvasOf(doc: Y.Doc): YKeyValue<CanvasRecord> {
  let store = stores.get(doc)
  if (!store) stores.set(doc, (store = openCanvas(doc)))
  return store
}

/** Writes (or overwrites) the record `name` with `fields`: one update. */
export function putRecord(doc: Y.Doc, name: string | number, fields: Record<string, unknown> = {}): void {
  const id = recordId(name)
  canvasOf(doc).set(id, { ...fields, id, typeName: 'shape' })
}

/** Writes many records in one transaction (one update). */
export function putRecords(
  doc: Y.Doc,
  entries: Iterable<[name: string | number, fields: Record<string, unknown>]>,
): void {
  doc.transact(() => {
    for (const [name, fields] of entries) putRecord(doc, name, fields)
  })
}

export function deleteRecord(doc: Y.Doc, name: string | number): void {
  canvasOf(doc).delete(recordId(name))
}

/**
 * Appends a record entry to the canvas array as a raw push: the cheapest valid write (no search
 * for an older entry of the key), for tests that count many small edits.
 */
export function pushRecord(doc: Y.Doc, name: string | number, fields: Record<string, unknown> = {}): void {
  const id = recordId(name)
  getCanvasArray(doc).push([{ key: id, val: { ...fields, id, typeName: 'shape' } }])
}

/** The records as a reader sees them: the last entry of each key. */
export function readRecords(doc: Y.Doc): Map<string, CanvasRecord> {
  const records = new Map<string, CanvasRecord>()
  for (const entry of getCanvasArray(doc).toArray()) {
    if (entry && typeof entry === 'object' && typeof entry.key === 'string') records.set(entry.key, entry.val)
  }
  return records
}

export function getRecord(doc: Y.Doc, name: string | number): CanvasRecord | undefined {
  return readRecords(doc).get(recordId(name))
}

export function hasRecord(doc: Y.Doc, name: string | number): boolean {
  const id = recordId(name)
  return getCanvasArray(doc)
    .toArray()
    .some((entry) => entry?.key === id)
}

/** How many distinct records the canvas holds. */
export function recordCount(doc: Y.Doc): number {
  return readRecords(doc).size
}

/** The records' contents by key, comparable across documents (the array's order aside). */
export function recordsJson(doc: Y.Doc): Record<string, CanvasRecord> {
  return Object.fromEntries([...readRecords(doc)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * The text of a clause's paragraph (the clause added with shared/protocol.ts `addClause`, which
 * only the facilitator may do): where concurrent typing tests type, as the editor does.
 */
export function clauseText(doc: Y.Doc, clauseId: string, paragraph = 0): Y.XmlText {
  const body = clauseBody(doc, clauseId)
  if (!body) throw new Error(`no clause ${clauseId} in this document`)
  return (body.get(paragraph) as Y.XmlElement).get(0) as Y.XmlText
}
