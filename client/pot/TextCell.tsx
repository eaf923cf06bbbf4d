import { useEffect, useRef, useState } from 'react'

interface Props {
  label: string
  value: string
  onCommit: (value: string) => void
  disabled?: boolean
  list?: string
  placeholder?: string
  maxLength?: number
  required?: boolean
}

/**
 * A text cell that commits on Enter or blur, not per keystroke: each commit is one change for
 * the other participants (and, for the partner, one ledger entry).
 */
export function TextCell({ label, value, onCommit, disabled, list, placeholder, maxLength = 500, required }: Props) {
  const [draft, setDraft] = useState(value)
  const [editing, setEditing] = useState(false)
  // Escape blurs the field; the blur must then not commit what Escape threw away.
  const cancelled = useRef(false)
  useEffect(() => {
    if (!editing) setDraft(value)
  }, [value, editing])
  return (
    <input
      aria-label={label}
      value={draft}
      disabled={disabled}
      list={list}
      placeholder={placeholder}
      maxLength={maxLength}
      onFocus={() => setEditing(true)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        setEditing(false)
        if (cancelled.current) {
          cancelled.current = false
          setDraft(value)
          return
        }
        const next = draft.trim()
        if (required && next === '') {
          setDraft(value)
          return
        }
        if (next !== value) onCommit(next)
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur()
        if (e.key === 'Escape') {
          cancelled.current = true
          e.currentTarget.blur()
        }
      }}
    />
  )
}
