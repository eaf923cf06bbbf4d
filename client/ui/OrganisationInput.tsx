import type { InputHTMLAttributes } from 'react'
import { ORGANISATION_GROUPS } from '../../shared/organisations.ts'

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'list'> {
  /** Also names the list of suggestions. */
  id: string
  value: string
  onChange: (value: string) => void
}

/** A text input with the programme's organisations as suggestions; anything else may be typed. */
export function OrganisationInput({ id, value, onChange, ...rest }: Props) {
  const listId = `${id}-organisations`
  return (
    <>
      <input {...rest} id={id} list={listId} value={value} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {ORGANISATION_GROUPS.flatMap((group) =>
          group.organisations.map((organisation) => (
            <option key={organisation} value={organisation} label={group.label} />
          )),
        )}
      </datalist>
    </>
  )
}
