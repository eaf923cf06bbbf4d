/**
 * One undo history per section for the workshop's document, kept as long as the document: started
 * when the connection opens (so that a change made before its view was first shown can still be
 * undone there) and shared by every view that shows the section.
 */
import type * as Y from 'yjs'
import { createSectionUndo, UNDO_SCOPES, type UndoScope } from '../../shared/sectionUndo.ts'

const histories = new WeakMap<Y.Doc, Map<UndoScope, Y.UndoManager>>()

export function sectionUndo(doc: Y.Doc, scope: UndoScope): Y.UndoManager {
  let byScope = histories.get(doc)
  if (!byScope) histories.set(doc, (byScope = new Map()))
  let manager = byScope.get(scope)
  if (!manager) byScope.set(scope, (manager = createSectionUndo(doc, scope)))
  return manager
}

/** Starts every section's history for `doc`. */
export function startUndoHistories(doc: Y.Doc): void {
  for (const scope of Object.keys(UNDO_SCOPES) as UndoScope[]) sectionUndo(doc, scope)
}
