import { FormField } from './FormField.tsx'
import { OrganisationInput } from './OrganisationInput.tsx'

interface Props {
  value: string
  onChange: (value: string) => void
  error?: string | undefined
}

/** The organisation someone joins as, with the programme's organisations suggested. */
export function OrganisationField({ value, onChange, error }: Props) {
  return (
    <FormField label="Your organisation" error={error}>
      {(control) => (
        <OrganisationInput
          {...control}
          name="organisation"
          value={value}
          autoComplete="organization"
          placeholder="Start typing, e.g. Swindon Borough Council or DWP"
          onChange={onChange}
        />
      )}
    </FormField>
  )
}
