import { FormField } from './FormField.tsx'

interface Props {
  value: string
  onChange: (name: string) => void
  error?: string | undefined
  autoFocus?: boolean
}

/** "Your name", as the person will be shown to the others and in the record (creating or joining a workshop). */
export function NameField({ value, onChange, error, autoFocus = false }: Props) {
  return (
    <FormField label="Your name" error={error}>
      {(control) => (
        <input
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="name"
          autoFocus={autoFocus}
          maxLength={200}
        />
      )}
    </FormField>
  )
}
