/**
 * Undo and redo in a section's view: Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z and Ctrl+Y while the view is
 * shown, except where the keys already mean something (typing in a field, where the browser undoes
 * the typing; the board and the clause text, which have their own history).
 */
import { useCallback, useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { UndoScope } from '../../shared/sectionUndo.ts'
import { sectionUndo } from './sectionUndo.ts'

export interface SectionUndo {
  canUndo: boolean
  canRedo: boolean
  undo(): void
  redo(): void
  /** The newest step, to check that a "deleted" notice's Undo still undoes that deletion. */
  latestStep(): unknown
}

function ownKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.closest('.tl-container, .clause-editor')) return true
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true
  // A grid cell that is selected, not being edited, is a spreadsheet's: Ctrl+Z undoes the last change.
  if (target.dataset.cell !== undefined && target.dataset.editing !== 'true') return false
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
}

export function useSectionUndo(doc: Y.Doc, scope: UndoScope, run: (change: () => void) => void): SectionUndo {
  const manager = sectionUndo(doc, scope)
  const read = useCallback(() => ({ canUndo: manager.canUndo(), canRedo: manager.canRedo() }), [manager])
  const [state, setState] = useState(read)
  useEffect(() => {
    const update = () => setState(read())
    update()
    manager.on('stack-item-added', update)
    manager.on('stack-item-popped', update)
    manager.on('stack-cleared', update)
    return () => {
      manager.off('stack-item-added', update)
      manager.off('stack-item-popped', update)
      manager.off('stack-cleared', update)
    }
  }, [manager, read])
  const undo = useCallback(() => run(() => void manager.undo()), [manager, run])
  const redo = useCallback(() => run(() => void manager.redo()), [manager, run])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.defaultPrevented || ownKeys(event.target)) return
      const key = event.key.toLowerCase()
      const isRedo = (key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey && event.ctrlKey)
      if (!isRedo && !(key === 'z' && !event.shiftKey)) return
      event.preventDefault()
      if (isRedo) redo()
      else undo()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [undo, redo])
  return { ...state, undo, redo, latestStep: () => manager.undoStack.at(-1) }
}
