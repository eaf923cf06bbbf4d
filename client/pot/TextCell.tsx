import { useEffect, useRef, useState } from 'react'
import { FormField } from '../ui/FormField.tsx'

/** Reads what was typed: the value to store (in its standard form), or why it cannot be. */
export type CellParse = (text: string) => { ok: true; value: string } | { ok: false; error: string }

interface Props {
  label: string
  value: string
  onCommit: (value: string) => void
  disabled?: boolean
  list?: string
  placeholder?: string
  maxLength?: number
  required?: boolean
  /** When given, a value it refuses is not committed: its message shows at the cell until fixed. */
  parse?: CellParse
}

/**
 * A text cell that commits on Enter or blur, not per keystroke: each commit is one change for
 * the other participants (and, for the partner, one ledger entry).
 */
export function TextCell({
  label,
  value,
  onCommit,
  disabled,
  list,
  placeholder,
  maxLength = 500,
  required,
  parse,
}: Props) {
  const [draft, setDraft] = useState(value)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Escape blurs the field; the blur must then not commit what Escape threw away.
  const cancelled = useRef(false)
  // As in MoneyInput: a new stored value replaces what is shown, with any message; a value that
  // was refused stays in the cell with its message until fixed, or Escape.
  const shownValue = useRef(value)
  useEffect(() => {
    if (editing || shownValue.current === value) return
    shownValue.current = value
    setDraft(value)
    setError(null)
  }, [value, editing])

  function commit() {
    setEditing(false)
    if (cancelled.current) {
      cancelled.current = false
      setDraft(value)
      setError(null)
      return
    }
    const next = draft.trim()
    if (required && next === '') {
      setDraft(value)
      setError(null)
      return
    }
    if (next === value) {
      setError(null)
      return
    }
    if (parse) {
      const parsed = parse(next)
      if (!parsed.ok) {
        setError(parsed.error)
        return
      }
      setError(null)
      setDraft(parsed.value)
      if (parsed.value !== value) onCommit(parsed.value)
      return
    }
    onCommit(next)
  }

  return (
    <FormField as="span" label={label} labelClassName="visually-hidden" error={error}>
      {(control) => (
        <input
          {...control}
          value={draft}
          disabled={disabled}
          list={list}
          placeholder={placeholder}
          maxLength={maxLength}
          onFocus={() => setEditing(true)}
          onChange={(e) => {
            setDraft(e.target.value)
            // The message goes as soon as the value is one that would be taken.
            if (error && parse?.(e.target.value.trim()).ok) setError(null)
          }}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur()
            if (e.key === 'Escape') {
              cancelled.current = true
              e.currentTarget.blur()
            }
          }}
        />
      )}
    </FormField>
  )
}
