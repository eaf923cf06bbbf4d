import { useState, type Ref } from 'react'
import { FormField } from '../ui/FormField.tsx'

interface Props {
  value: string
  onChange: (key: string) => void
  error?: string | undefined
  inputRef?: Ref<HTMLInputElement>
}

/** What is wrong with a typed organiser key before it is sent, if anything. */
export function organiserKeyProblem(key: string): string | undefined {
  if (key === '') return 'Enter the organiser key you were given.'
  // The server accepts only such keys, and a browser cannot send some other characters at all.
  if (!/^[\x21-\x7e]+$/.test(key))
    return 'An organiser key has no spaces or accented letters. Check you copied all of it, and only it.'
  return undefined
}

/**
 * The organiser key, on servers where creating a workshop needs one. A password field, so that it
 * is not shown on a shared or projected screen, with "Show" to check what was typed; pasting and
 * password managers work (autocomplete), so nobody has to remember or retype it (WCAG 2.2, 3.3.8).
 */
export function OrganiserKeyField({ value, onChange, error, inputRef }: Props) {
  const [shown, setShown] = useState(false)
  return (
    <FormField
      label="Organiser key"
      error={error}
      hint="This server lets only organisers create workshops. Whoever runs Commonpot for your organisation can give you the key. This tab keeps it until you close it."
    >
      {(control) => (
        <span className="secret-row">
          <input
            {...control}
            ref={inputRef}
            type={shown ? 'text' : 'password'}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="current-password"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            maxLength={500}
          />
          <button
            type="button"
            className="button"
            aria-controls={control.id}
            aria-label={shown ? 'Hide organiser key' : 'Show organiser key'}
            onClick={() => setShown((s) => !s)}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        </span>
      )}
    </FormField>
  )
}
