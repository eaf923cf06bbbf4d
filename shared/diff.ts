/**
 * A semantic diff of two states of a workshop document: what changed in each negotiated section
 * (shared/sections/<name>/diff.ts: a line's amount, a clause's wording, an organisation's
 * position) and on the board, in the domain's own terms rather than as Yjs operations. Pure and
 * isomorphic; used for "what changed since…" reports.
 *
 * Items are matched by id. Fields are compared as read by the domain readers (so a value a peer
 * wrote badly is compared as the reader shows it). Not compared: who last edited a field, comment
 * threads, links between items, votes, settings, members, the ledger and meta.
 */
import * as Y from 'yjs'
import { getCanvasArray, type CanvasRecord } from './schema.ts'
import { deepEqual, plural } from './sections/diffKit.ts'
import { sections, type SectionDiffs } from './sections/registry.ts'
import type { AnySection, SectionDiffer } from './sections/types.ts'

export interface ShapeSummary {
  id: string
  /** The tldraw shape type (geo, text, note, arrow…), '' when missing. */
  type: string
}

export interface ShapeChange extends ShapeSummary {
  /** Top-level record keys whose value changed (x, y, rotation, parentId, props, meta…), sorted. */
  keys: string[]
  /** When `props` changed: the prop names that changed, sorted. */
  props: string[]
}

export interface BoardDiff {
  added: ShapeSummary[]
  removed: ShapeSummary[]
  changed: ShapeChange[]
}

export type WorkshopDiff = SectionDiffs & { board: BoardDiff }

const COMPARED = sections().filter((section) => section.diff !== null) as (AnySection & {
  diff: SectionDiffer<unknown>
})[]

/** Diffs two encoded states (`Y.encodeStateAsUpdate`), each loaded into a fresh Y.Doc that is destroyed afterwards. */
export function diffWorkshops(before: Uint8Array, after: Uint8Array): WorkshopDiff {
  const a = new Y.Doc()
  const b = new Y.Doc()
  try {
    Y.applyUpdate(a, before)
    Y.applyUpdate(b, after)
    return diffDocs(a, b)
  } finally {
    a.destroy()
    b.destroy()
  }
}

/** Diffs two documents without changing either. */
export function diffDocs(before: Y.Doc, after: Y.Doc): WorkshopDiff {
  const parts = Object.fromEntries(COMPARED.map((section) => [section.key, section.diff.compare(before, after)]))
  return { ...(parts as SectionDiffs), board: diffBoard(before, after) }
}

const sectionDiff = (diff: WorkshopDiff, key: string): unknown => (diff as unknown as Record<string, unknown>)[key]

export function isEmptyDiff(diff: WorkshopDiff): boolean {
  const { board } = diff
  return (
    COMPARED.every((section) => section.diff.isEmpty(sectionDiff(diff, section.key))) &&
    board.added.length === 0 &&
    board.removed.length === 0 &&
    board.changed.length === 0
  )
}

/** The diff as human sentences, one per change, for a Markdown report. Empty for an empty diff. */
export function summariseDiff(diff: WorkshopDiff): string[] {
  const out = COMPARED.flatMap((section) => section.diff.summarise(sectionDiff(diff, section.key)))
  const { board } = diff
  if (board.added.length) out.push(`Board: ${plural(board.added.length, 'shape', 'shapes')} added.`)
  if (board.removed.length) out.push(`Board: ${plural(board.removed.length, 'shape', 'shapes')} removed.`)
  if (board.changed.length) out.push(`Board: ${plural(board.changed.length, 'shape', 'shapes')} changed.`)
  return out
}

// ---------------------------------------------------------------------------------------------
// Board

/**
 * The canvas's shape records, read from the raw array with YKeyValue's rule (the rightmost entry
 * of a key wins) rather than through YKeyValue, whose constructor would clean up duplicates in
 * (that is, write to) the document.
 */
function readShapes(doc: Y.Doc): Map<string, CanvasRecord> {
  const latest = new Map<string, CanvasRecord>()
  for (const entry of getCanvasArray(doc).toArray()) {
    if (entry && typeof entry.key === 'string') latest.set(entry.key, entry.val)
  }
  const shapes = new Map<string, CanvasRecord>()
  for (const [key, record] of latest) {
    if (record && typeof record === 'object' && record.typeName === 'shape') shapes.set(key, record)
  }
  return shapes
}

const shapeType = (record: CanvasRecord): string => (typeof record.type === 'string' ? record.type : '')
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function diffBoard(before: Y.Doc, after: Y.Doc): BoardDiff {
  const a = readShapes(before)
  const b = readShapes(after)
  const added: ShapeSummary[] = []
  const changed: ShapeChange[] = []
  for (const [id, now] of b) {
    const old = a.get(id)
    if (!old) {
      added.push({ id, type: shapeType(now) })
      continue
    }
    if (old === now || deepEqual(old, now)) continue
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])]
      .filter((key) => !deepEqual(old[key], now[key]))
      .sort()
    let props: string[] = []
    if (keys.includes('props')) {
      const pa = isRecord(old.props) ? old.props : {}
      const pb = isRecord(now.props) ? now.props : {}
      props = [...new Set([...Object.keys(pa), ...Object.keys(pb)])]
        .filter((key) => !deepEqual(pa[key], pb[key]))
        .sort()
    }
    changed.push({ id, type: shapeType(now), keys, props })
  }
  const removed: ShapeSummary[] = []
  for (const [id, old] of a) if (!b.has(id)) removed.push({ id, type: shapeType(old) })
  const byId = (x: ShapeSummary, y: ShapeSummary) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
  return { added: added.sort(byId), removed: removed.sort(byId), changed: changed.sort(byId) }
}
