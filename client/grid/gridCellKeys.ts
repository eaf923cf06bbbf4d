/**
 * The keys of one editable cell in a grid, as in Excel: a selected cell (not editing) starts
 * editing on Enter or F2 (keeping its text) or on typing (replacing it); while editing, Escape
 * cancels, Enter and Tab commit and go on to the grid (client/grid/useGridKeyboard.ts), which moves,
 * and the arrows stay in the text. A refused value keeps the cell editing, and the grid does not move.
 */
import type { KeyboardEvent } from 'react'

export interface GridCellEditing {
  editing: boolean
  startEditing: () => void
  /** Commits the draft; false when it was refused. */
  commit: () => boolean
  cancel: () => void
  /** Whether Enter is text here (Shift+Enter in a multi-line cell). */
  enterIsText?: (event: KeyboardEvent) => boolean
}

const MOVING_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'])

export function gridCellKeyDown(
  event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>,
  { editing, startEditing, commit, cancel, enterIsText }: GridCellEditing,
): void {
  const field = event.currentTarget
  // A read-only cell is selected and copied, never edited.
  if (field.readOnly) return
  const printable = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey
  if (!editing) {
    if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault()
      event.stopPropagation()
      startEditing()
      // A date field has no text caret to place.
      if (field.type !== 'date') field.setSelectionRange(field.value.length, field.value.length)
    } else if (printable || event.key === 'Backspace' || event.key === 'Delete') {
      // Typing replaces what the cell holds, as in a spreadsheet; the key itself does the typing.
      event.stopPropagation()
      startEditing()
      if (field.type !== 'date') field.select()
    }
    return
  }
  if (event.key === 'Escape') {
    event.preventDefault()
    event.stopPropagation()
    cancel()
  } else if ((event.key === 'Enter' && !enterIsText?.(event)) || event.key === 'Tab') {
    // Committed, the key goes on to the grid, which moves (and prevents the key's default there).
    if (!commit()) {
      event.preventDefault()
      event.stopPropagation()
      startEditing()
    } else if (event.key === 'Enter') {
      // A multi-line cell would otherwise take the Enter as a new line.
      event.preventDefault()
    }
  } else if (MOVING_KEYS.has(event.key) || event.key === 'Enter') {
    // While editing, the arrows move the caret in the text, not the grid's cell.
    event.stopPropagation()
  }
}
