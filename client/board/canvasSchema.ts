/**
 * The tldraw schema that the records in the canvas were written with. tldraw migrates records
 * between its own versions, but only if it knows which version wrote them, so the board keeps the
 * writer's serialized schema next to the canvas. It lives in the workshop's `meta` map under
 * {@link CANVAS_SCHEMA_META_KEY}; the top-level keys stay owned by shared/schema.ts.
 */
import type * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/tldraw'
import { getMetaMap } from '../../shared/schema.ts'

/** Key inside the `meta` map. Renaming it makes every stored canvas look unversioned. */
export const CANVAS_SCHEMA_META_KEY = 'canvasSchema'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v))
}

/** Peers write this value, so anything that is not shaped like a serialized schema is ignored. */
export function parseCanvasSchema(value: unknown): SerializedSchema | null {
  if (!isPlainObject(value)) return null
  if (value.schemaVersion === 2 && isNumberRecord(value.sequences)) {
    return { schemaVersion: 2, sequences: { ...value.sequences } }
  }
  if (value.schemaVersion === 1 && typeof value.storeVersion === 'number' && isPlainObject(value.recordVersions)) {
    // Version 1 predates every tldraw this app has shipped with; tldraw itself knows how to read it.
    return value as unknown as SerializedSchema
  }
  return null
}

const parsed = new WeakMap<Y.Doc, { raw: unknown; schema: SerializedSchema | null }>()

/**
 * The schema the canvas was last written with, or null for a canvas that never recorded one.
 * The same object is returned until the stored value changes, because tldraw caches its migration
 * plans by schema object and this is read on every remote change.
 */
export function readCanvasSchema(doc: Y.Doc): SerializedSchema | null {
  const raw: unknown = getMetaMap(doc).get(CANVAS_SCHEMA_META_KEY)
  const cached = parsed.get(doc)
  if (cached && cached.raw === raw) return cached.schema
  const schema = parseCanvasSchema(raw)
  parsed.set(doc, { raw, schema })
  return schema
}

export function writeCanvasSchema(doc: Y.Doc, schema: SerializedSchema): void {
  getMetaMap(doc).set(CANVAS_SCHEMA_META_KEY, schema)
}

/** Stable comparison key: the order in which sequences were serialized must not matter. */
export function canvasSchemaKey(schema: SerializedSchema): string {
  if (schema.schemaVersion === 2) {
    const sequences = Object.entries(schema.sequences).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return JSON.stringify([2, sequences])
  }
  return JSON.stringify(schema)
}
