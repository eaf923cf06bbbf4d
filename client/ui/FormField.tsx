/**
 * One field of a form: its label, its control, a hint and an error message at the field. The
 * control is tied to them by id, aria-describedby and aria-invalid, so that assistive technology
 * reads the hint and the error with the field (WCAG 2.2: 1.3.1, 3.3.1, 3.3.2).
 */
import { useId, type ReactNode } from 'react'

/** What the control must carry; spread it onto the input, select or textarea. */
export interface FieldControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

interface Props {
  label: ReactNode
  /** Renders the control (and anything that sits beside it, such as a button) with the props that tie it to the field. */
  children: (control: FieldControlProps) => ReactNode
  /** The control's id where something else points at it (an error summary's link); otherwise one is made. */
  id?: string
  hint?: ReactNode
  error?: string | null | undefined
  /**
   * Whether the error is announced as it appears (role="alert"). Off in forms whose error summary
   * announces the problems: the same message must not be read twice.
   */
  announceError?: boolean
  /** Ids of descriptions the form shows elsewhere, e.g. a hint in a row of buttons. */
  describedBy?: string | undefined
  /** Shown after the error, about the field, e.g. that someone else changed it meanwhile. */
  note?: ReactNode
  /**
   * The element around the field: a `div` lays it out as a column (with the class "field"), a
   * `span` fits inside a table cell or a line of text, and null leaves the layout to the form
   * (label, control and messages side by side in a row).
   */
  as?: 'div' | 'span' | null
  className?: string
  /** "visually-hidden" where the column header or the layout says what the field is. */
  labelClassName?: string
  errorClassName?: string
}

export function FormField({
  label,
  children,
  id,
  hint,
  error,
  announceError = true,
  describedBy,
  note,
  as = 'div',
  className = as === 'div' ? 'field' : undefined,
  labelClassName,
  errorClassName = 'field-error',
}: Props) {
  const madeId = useId()
  const controlId = id ?? madeId
  const hintId = `${controlId}-hint`
  const errorId = `${controlId}-error`
  const description = [error ? errorId : null, hint ? hintId : null, describedBy ?? null].filter(Boolean).join(' ')
  // Block messages in a column; inline ones where a paragraph may not go.
  const Message = as === 'div' ? 'p' : 'span'
  const content = (
    <>
      <label htmlFor={controlId} className={labelClassName}>
        {label}
      </label>
      {children({
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': description || undefined,
      })}
      {hint && (
        <Message className="hint" id={hintId}>
          {hint}
        </Message>
      )}
      {error && (
        <Message className={errorClassName} id={errorId} role={announceError ? 'alert' : undefined}>
          {error}
        </Message>
      )}
      {note}
    </>
  )
  if (as === null) return content
  const Wrapper = as
  return <Wrapper className={className}>{content}</Wrapper>
}
