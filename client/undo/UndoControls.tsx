/**
 * What a person sees of their undo history: Undo and Redo buttons for the section, and a notice
 * after a deletion with an Undo that brings back exactly that (as Gmail and Linear do).
 */
import { type ReactNode, useCallback, useEffect, useState } from 'react'
import type { SectionUndo } from './useSectionUndo.ts'
import { isApplePlatform } from '../ui/platform.ts'

export function UndoButtons({ history, what }: { history: SectionUndo; what: string }) {
  const mod = isApplePlatform() ? '⌘' : 'Ctrl+'
  return (
    <div className="undo-buttons" role="group" aria-label={`Undo and redo your changes to ${what}`}>
      <button
        type="button"
        className="button small"
        disabled={!history.canUndo}
        onClick={history.undo}
        title={`Undo your last change (${mod}Z)`}
        aria-keyshortcuts="Control+Z Meta+Z"
      >
        Undo
      </button>
      <button
        type="button"
        className="button small"
        disabled={!history.canRedo}
        onClick={history.redo}
        title={`Redo (${mod}Shift+Z)`}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
      >
        Redo
      </button>
    </div>
  )
}

const NOTICE_MS = 10_000

/** A "Deleted …" notice for 10 s, whose Undo brings the deletion back while it is still the newest step. */
export function useDeletedNotice(history: SectionUndo): { show(label: string): void; notice: ReactNode } {
  const [deleted, setDeleted] = useState<{ label: string; step: unknown } | null>(null)
  useEffect(() => {
    if (!deleted) return
    const timer = setTimeout(() => setDeleted(null), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [deleted])
  const show = useCallback((label: string) => setDeleted({ label, step: history.latestStep() }), [history])
  // Once something else was changed since, Undo would undo that instead: the notice goes.
  const current = deleted && deleted.step === history.latestStep() ? deleted : null
  const notice = current ? (
    <div className="toast" role="status">
      {current.label}{' '}
      <button
        type="button"
        className="button small"
        onClick={() => {
          setDeleted(null)
          history.undo()
        }}
      >
        Undo
      </button>
    </div>
  ) : null
  return { show, notice }
}
