import { useEffect, useRef, useState } from 'react'
import { formatMoney, parseMoney } from '../../shared/money.ts'
import { FormField } from '../ui/FormField.tsx'

interface Props {
  label: string
  /** Pence, or null for empty. */
  value: number | null
  onCommit: (pence: number) => void
  disabled?: boolean
  /** Hide the label visually (inside a table row, where the column header says it). */
  compact?: boolean
  allowEmpty?: boolean
  onClear?: () => void
}

/**
 * An amount field that takes what officials type (£1.2m, 250k, 1,500,000) and commits on Enter or
 * when it loses focus; a value it cannot read is refused with the reason and the last good value kept.
 */
export function MoneyInput({ label, value, onCommit, disabled, compact, allowEmpty, onClear }: Props) {
  const [draft, setDraft] = useState(value === null ? '' : formatMoney(value))
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState(false)
  // Escape blurs the field; the blur must then not commit what Escape threw away.
  const cancelled = useRef(false)

  // A new stored figure (someone's change, or the server putting back a refused one) replaces what
  // is shown, and a message about what was typed goes with it. A figure that could not be read
  // stays in the field with its message until it is fixed or Escape puts the stored one back.
  const shownValue = useRef(value)
  useEffect(() => {
    if (editing || shownValue.current === value) return
    shownValue.current = value
    setDraft(value === null ? '' : formatMoney(value))
    setError(null)
  }, [value, editing])

  function commit() {
    setEditing(false)
    if (cancelled.current) {
      cancelled.current = false
      setDraft(value === null ? '' : formatMoney(value))
      setError(null)
      return
    }
    if (allowEmpty && draft.trim() === '') {
      setError(null)
      if (value !== null) onClear?.()
      return
    }
    const parsed = parseMoney(draft)
    if (!parsed.ok) {
      setError(parsed.error)
      return
    }
    setError(null)
    setDraft(formatMoney(parsed.pence))
    if (parsed.pence !== value) onCommit(parsed.pence)
  }

  return (
    <FormField
      as="span"
      className="money-input"
      label={label}
      labelClassName={compact ? 'visually-hidden' : undefined}
      error={error}
    >
      {(control) => (
        <input
          {...control}
          inputMode="decimal"
          value={draft}
          disabled={disabled}
          onFocus={() => setEditing(true)}
          onChange={(e) => {
            setDraft(e.target.value)
            if (error && parseMoney(e.target.value).ok) setError(null)
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
