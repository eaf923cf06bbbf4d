/**
 * The editing of one value in a cell, as in a spreadsheet: what is typed is a draft, committed on
 * Enter or when the cell loses focus (one change for everyone, not one per keystroke); Escape puts
 * the stored value back. A draft that cannot be read stays in the cell with its message until it
 * is fixed or Escape; a new stored value (someone's change, or the server putting back a refused
 * one) replaces what is shown, and any message about what was typed goes with it.
 *
 * In a grid (`grid`), a focused cell is first only selected, as in Excel: Enter or F2 edits what
 * is there, typing replaces it, Escape cancels the edit and leaves the cell selected; Enter and Tab
 * commit and are let through to the grid, which moves on (client/grid/useGridKeyboard.ts). A value
 * that is refused keeps the cell in editing, with its message, and the grid does not move.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react'
import { gridCellKeyDown } from '../grid/gridCellKeys.ts'

/** What was typed, read: the value to store, or why it cannot be. */
export type CellReading<T> = { ok: true; value: T } | { ok: false; error: string }

interface Options<T> {
  value: T
  show: (value: T) => string
  /** Reads the draft; null keeps the stored value (nothing to commit, e.g. a required cell emptied). */
  read: (text: string) => CellReading<T> | null
  onCommit: (value: T) => void
  grid?: boolean
  /** Not editable: outside a grid the field is disabled; in a grid it stays a cell that can be selected and copied, as in a shared spreadsheet. */
  disabled?: boolean
}

export function useCellEdit<T>({ value, show, read, onCommit, grid = false, disabled = false }: Options<T>) {
  const [draft, setDraft] = useState(() => show(value))
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Escape blurs the field (outside a grid); the blur must then not commit what Escape threw away.
  const cancelled = useRef(false)
  const shownValue = useRef(value)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `show` is a formatting of the value; only a new value or the end of an edit matters
  useEffect(() => {
    if (editing || shownValue.current === value) return
    shownValue.current = value
    setDraft(show(value))
    setError(null)
  }, [value, editing])

  /** Commits the draft; false when it was refused (its message is then shown). */
  function commit(): boolean {
    setEditing(false)
    const reading = cancelled.current ? null : read(draft)
    cancelled.current = false
    if (reading === null) {
      setDraft(show(value))
      setError(null)
      return true
    }
    if (!reading.ok) {
      setError(reading.error)
      return false
    }
    setError(null)
    setDraft(show(reading.value))
    if (reading.value !== value) onCommit(reading.value)
    return true
  }

  function cancel() {
    setEditing(false)
    setDraft(show(value))
    setError(null)
  }

  return {
    error,
    editing,
    input: {
      value: draft,
      disabled: disabled && !grid,
      readOnly: disabled && grid,
      'data-editing': grid && editing ? 'true' : undefined,
      onFocus: () => {
        if (!grid) setEditing(true)
      },
      onDoubleClick: (event: { currentTarget: HTMLInputElement }) => {
        if (grid && !event.currentTarget.readOnly) setEditing(true)
      },
      onChange: (event: { target: { value: string } }) => {
        setEditing(true)
        setDraft(event.target.value)
        // The message goes as soon as the value is one that would be taken.
        if (error && read(event.target.value)?.ok) setError(null)
      },
      onBlur: () => {
        commit()
      },
      onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => {
        if (grid) return gridCellKeyDown(event, { editing, startEditing: () => setEditing(true), commit, cancel })
        if (event.key === 'Enter') event.currentTarget.blur()
        if (event.key === 'Escape') {
          cancelled.current = true
          event.currentTarget.blur()
        }
      },
    },
  }
}
