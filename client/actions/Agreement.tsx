import { useRef, useState, type CSSProperties } from 'react'
import { organisationColour } from '../../shared/organisations.ts'
import { FormField } from '../ui/FormField.tsx'

interface ChipsProps {
  /** Every organisation offered: those taking part and any that already agreed. */
  organisations: readonly string[]
  agreed: ReadonlySet<string>
  /** Names the group for screen readers, e.g. "Organisations agreeing Pool the Troubled Families money". */
  label: string
  disabled?: boolean
  onToggle: (organisation: string, agreed: boolean) => void
}

/** Which organisations agreed, as toggle chips (pressed = agreed); read-only for observers. */
export function AgreementChips({ organisations, agreed, label, disabled, onToggle }: ChipsProps) {
  if (organisations.length === 0)
    return <p className="muted agreement-none">No organisations are taking part yet: add one below.</p>
  return (
    <ul className="agreement-chips" aria-label={label}>
      {organisations.map((organisation) => {
        const on = agreed.has(organisation)
        const style = { '--org': organisationColour(organisation) } as CSSProperties
        return (
          <li key={organisation}>
            {disabled ? (
              <span className={`agreement-chip${on ? ' on' : ''}`} style={style}>
                <span className="agreement-mark" aria-hidden="true">
                  {on ? '✓' : ''}
                </span>
                {organisation}
                <span className="visually-hidden">{on ? ' agreed' : ' has not agreed'}</span>
              </span>
            ) : (
              <button
                type="button"
                className={`agreement-chip${on ? ' on' : ''}`}
                style={style}
                aria-pressed={on}
                onClick={() => onToggle(organisation, !on)}
              >
                <span className="agreement-mark" aria-hidden="true">
                  {on ? '✓' : '+'}
                </span>
                {organisation}
              </button>
            )}
          </li>
        )
      })}
    </ul>
  )
}

interface AddProps {
  /** The visible label, e.g. "Add an organisation that agreed". */
  label: string
  listId: string
  /** Adds the organisation; returns the reason it was refused, or null. */
  onAdd: (organisation: string) => string | null
  /** Starts as a small button that opens the field (on each decision, where it is seldom needed). */
  compact?: boolean
}

/** An organisation not in the list yet: typed (with the programme's organisations suggested) and added. */
export function AddOrganisation({ label, listId, onAdd, compact }: AddProps) {
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState(!compact)
  const opener = useRef<HTMLButtonElement>(null)
  const close = () => {
    setOpen(false)
    setValue('')
    setError(null)
    requestAnimationFrame(() => opener.current?.focus())
  }
  const add = () => {
    const name = value.trim()
    const refusal = name ? onAdd(name) : 'Enter the organisation’s name'
    setError(refusal)
    if (refusal !== null) return
    if (compact) close()
    else setValue('')
  }
  if (!open) {
    return (
      <button ref={opener} type="button" className="button small add-organisation-open" onClick={() => setOpen(true)}>
        + {label}
      </button>
    )
  }
  return (
    <FormField className="add-organisation" label={label} error={error}>
      {(control) => (
        <span className="add-organisation-row">
          <input
            {...control}
            list={listId}
            value={value}
            maxLength={120}
            placeholder="e.g. Home Office"
            onChange={(e) => {
              setValue(e.target.value)
              if (error) setError(null)
            }}
            autoFocus={compact}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
              if (e.key === 'Escape' && compact) close()
            }}
          />
          <button type="button" className="button small" onClick={add}>
            Add
          </button>
          {compact && (
            <button type="button" className="button small" onClick={close}>
              Cancel
            </button>
          )}
        </span>
      )}
    </FormField>
  )
}
