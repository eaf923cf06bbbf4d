/**
 * Drag-and-drop reordering of clauses with the browser's native drag and drop. Only each clause's
 * handle is draggable, so selecting or dragging text inside a clause editor works as before.
 *
 * The list listens in the capture phase and only to drags carrying a clause: it claims those
 * before the ProseMirror editors underneath see them (no text drop cursor, no attempt to insert
 * anything), and leaves every other drag (text within or between editors) to the editors.
 */
import { useCallback, useRef, useState, type DragEvent, type RefObject } from 'react'
import { dropTarget, gapAt } from './clauseDrop.ts'

/** The drag payload's type: a clause id. Lower case, as browsers report `dataTransfer.types`. */
export const CLAUSE_DRAG_TYPE = 'application/x-commonpot-clause'

export type DropMark = 'before' | 'after' | null

export interface ClauseDrag {
  /** The clause being dragged from this page, if any. */
  draggingId: string | null
  /** Where the drop indicator line is drawn for the clause at `index` of `count`. */
  markFor: (index: number) => DropMark
  /** Props for the element that holds the clause cards (its direct children carry `data-clause-id`). */
  listProps: {
    ref: RefObject<HTMLDivElement | null>
    onDragEnterCapture: (event: DragEvent<HTMLDivElement>) => void
    onDragOverCapture: (event: DragEvent<HTMLDivElement>) => void
    onDropCapture: (event: DragEvent<HTMLDivElement>) => void
    onDragLeave: (event: DragEvent<HTMLDivElement>) => void
  }
  /** Handlers for a clause's drag handle. */
  handleProps: (id: string) => {
    draggable: true
    onDragStart: (event: DragEvent<HTMLElement>) => void
    onDragEnd: () => void
  }
}

function carriesClause(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(CLAUSE_DRAG_TYPE)
}

/** `ids`: the clauses in the order shown; `onMove` is called with `moveClause`'s neighbours. */
export function useClauseDrag(
  ids: readonly string[],
  onMove: (id: string, beforeId: string | null, afterId: string | null) => void,
): ClauseDrag {
  const ref = useRef<HTMLDivElement | null>(null)
  const [draggingId, setDraggingId] = useState<string | null>(null)
  const [gap, setGap] = useState<number | null>(null)

  const gapFor = useCallback((event: DragEvent) => {
    const cards = ref.current ? [...ref.current.querySelectorAll<HTMLElement>(':scope > [data-clause-id]')] : []
    return gapAt(
      event.clientY,
      cards.map((card) => card.getBoundingClientRect()),
    )
  }, [])

  const over = (event: DragEvent<HTMLDivElement>) => {
    if (!carriesClause(event)) return
    event.preventDefault()
    event.stopPropagation()
    event.dataTransfer.dropEffect = 'move'
    const at = gapFor(event)
    // A drag from another tab has no local id: show every gap; its drop is checked on arrival.
    setGap(draggingId === null || dropTarget(ids, draggingId, at) ? at : null)
  }

  const finish = () => {
    setDraggingId(null)
    setGap(null)
  }

  return {
    draggingId,
    markFor: (index) =>
      gap === null ? null : gap === index ? 'before' : gap === ids.length && index === ids.length - 1 ? 'after' : null,
    listProps: {
      ref,
      onDragEnterCapture: over,
      onDragOverCapture: over,
      onDropCapture: (event) => {
        if (!carriesClause(event)) return
        event.preventDefault()
        event.stopPropagation()
        const id = event.dataTransfer.getData(CLAUSE_DRAG_TYPE) || draggingId
        const target = id ? dropTarget(ids, id, gapFor(event)) : null
        finish()
        if (id && target) onMove(id, target.beforeId, target.afterId)
      },
      onDragLeave: (event) => {
        if (!(event.relatedTarget instanceof Node && ref.current?.contains(event.relatedTarget))) setGap(null)
      },
    },
    handleProps: (id) => ({
      draggable: true,
      onDragStart: (event) => {
        event.dataTransfer.setData(CLAUSE_DRAG_TYPE, id)
        event.dataTransfer.effectAllowed = 'move'
        // The card's header as the drag image: a whole card with its text can fill the screen.
        const header = event.currentTarget.closest('header')
        if (header) {
          const box = header.getBoundingClientRect()
          event.dataTransfer.setDragImage(header, event.clientX - box.left, event.clientY - box.top)
        }
        setDraggingId(id)
      },
      onDragEnd: finish,
    }),
  }
}
