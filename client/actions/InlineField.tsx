import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { FormField } from '../ui/FormField.tsx'
import { gridCellKeyDown } from '../grid/gridCellKeys.ts'
import type { GridCellProps } from '../grid/useGridKeyboard.ts'

interface Props {
  /** The accessible name, e.g. "Due date of DH will hold a workshop"; the column header says it to the eye. */
  label: string
  value: string
  /**
   * Writes the value; returns the reason it was refused (the schema's message), or null. A refused
   * value stays in the field, marked, until it is corrected or Escape puts the current one back.
   */
  onCommit: (value: string) => string | null
  type?: 'text' | 'date'
  multiline?: boolean
  list?: string
  placeholder?: string
  maxLength?: number
  className?: string
  /** Where the field sits in a grid: it then takes the grid's keyboard model (client/grid). */
  gridCell?: GridCellProps
}

/**
 * A field edited in place that commits on Enter or when left, not per keystroke: each commit is
 * one change for the others (and one ledger entry where the field is recorded). While the person
 * is typing, or while their value is refused, someone else's change does not overwrite theirs.
 */
export function InlineField({
  label,
  value,
  onCommit,
  type = 'text',
  multiline,
  list,
  placeholder,
  maxLength,
  className,
  gridCell,
}: Props) {
  const [draft, setDraft] = useState(value)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Escape leaves the field; the blur that follows must not commit what Escape threw away.
  const cancelled = useRef(false)
  useEffect(() => {
    if (!editing && error === null) setDraft(value)
  }, [value, editing, error])

  /** Commits the draft; false when it was refused. */
  const commit = (): boolean => {
    const next = type === 'date' ? draft : draft.trim()
    if (next === value) {
      setError(null)
      setDraft(value)
      return true
    }
    const refusal = onCommit(next)
    setError(refusal)
    if (refusal === null) setDraft(next)
    return refusal === null
  }
  const common = {
    className: `inline-field${className ? ` ${className}` : ''}`,
    value: draft,
    placeholder,
    maxLength,
    // In a grid a focused cell is only selected until the person starts editing it.
    onFocus: () => {
      if (!gridCell) setEditing(true)
    },
    onDoubleClick: () => {
      if (gridCell) setEditing(true)
    },
    'data-editing': gridCell && editing ? 'true' : undefined,
    ...gridCell,
    onBlur: () => {
      setEditing(false)
      if (cancelled.current) {
        cancelled.current = false
        setError(null)
        setDraft(value)
        return
      }
      commit()
    },
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (gridCell) {
      gridCellKeyDown(event, {
        editing,
        startEditing: () => setEditing(true),
        commit: () => {
          const ok = commit()
          setEditing(!ok)
          return ok
        },
        cancel: () => {
          setEditing(false)
          setError(null)
          setDraft(value)
        },
        enterIsText: (e) => Boolean(multiline && e.shiftKey),
      })
      return
    }
    // In the text area, Shift+Enter starts a new line; Enter alone commits, as everywhere else.
    if (event.key === 'Enter' && !(multiline && event.shiftKey)) {
      event.preventDefault()
      commit()
    }
    if (event.key === 'Escape') {
      cancelled.current = true
      event.currentTarget.blur()
    }
  }
  return (
    <FormField
      as="span"
      className="inline-field-wrap"
      label={label}
      labelClassName="visually-hidden"
      error={error}
      errorClassName="field-error inline-error"
    >
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            {...common}
            rows={2}
            onChange={(e) => {
              setEditing(true)
              setDraft(e.target.value)
            }}
            onKeyDown={onKeyDown}
          />
        ) : (
          <input
            {...control}
            {...common}
            type={type}
            list={list}
            onChange={(e) => {
              setEditing(true)
              setDraft(e.target.value)
            }}
            onKeyDown={onKeyDown}
          />
        )
      }
    </FormField>
  )
}
