import { ORGANISATION_GROUPS } from '../../shared/organisations.ts'

interface Props {
  id: string
  value: string
  onChange: (value: string) => void
  invalid?: boolean
  describedBy?: string | undefined
  disabled?: boolean
}

/**
 * A text input with the programme's organisations as suggestions; anything else may be typed.
 * (client/ui/OrganisationField is labelled "Your organisation", which a barrier's "Raised by" is not.)
 */
export function OrganisationInput({ id, value, onChange, invalid, describedBy, disabled }: Props) {
  const listId = `${id}-organisations`
  return (
    <>
      <input
        id={id}
        list={listId}
        value={value}
        maxLength={120}
        disabled={disabled}
        placeholder="Area or organisation, e.g. Swindon Borough Council"
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {ORGANISATION_GROUPS.flatMap((group) => group.organisations.map((organisation) => <option key={organisation} value={organisation} label={group.label} />))}
      </datalist>
    </>
  )
}
