import { useId } from 'react'
import { ORGANISATION_GROUPS } from '../../shared/organisations.ts'

interface Props {
  value: string
  onChange: (value: string) => void
  error?: string | undefined
}

/** A text field with the programme's organisations as suggestions; anything else may be typed. */
export function OrganisationField({ value, onChange, error }: Props) {
  const id = useId()
  const listId = `${id}-organisations`
  const errorId = `${id}-error`
  return (
    <div className="field">
      <label htmlFor={id}>Your organisation</label>
      <input
        id={id}
        name="organisation"
        list={listId}
        value={value}
        autoComplete="organization"
        placeholder="Start typing, e.g. Swindon Borough Council or DWP"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {ORGANISATION_GROUPS.flatMap((group) =>
          group.organisations.map((organisation) => (
            <option key={organisation} value={organisation} label={group.label} />
          )),
        )}
      </datalist>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
