/**
 * The summary at the top of a refused form: what was not done, and each problem as a link that
 * moves focus to its field (the GOV.UK error-summary pattern), or a refusal from the document.
 */
interface Props<K extends string> {
  className: string
  /** "The action was not added:" */
  heading: string
  problems: readonly (readonly [K, string])[]
  labels: Readonly<Record<K, string>>
  /** The id of a field's input. */
  fieldId: (key: K) => string
  /** A refusal that is not about one field (the shared layer's message); shown instead of the list. */
  refusal?: string | null | undefined
}

export function ErrorSummary<K extends string>({ className, heading, problems, labels, fieldId, refusal }: Props<K>) {
  if (problems.length === 0 && !refusal) return null
  return (
    <div className={className} role="alert">
      {refusal ?? (
        <>
          <strong>{heading}</strong>
          <ul>
            {problems.map(([key, message]) => (
              <li key={key}>
                <a
                  href={`#${fieldId(key)}`}
                  onClick={(e) => {
                    e.preventDefault()
                    document.getElementById(fieldId(key))?.focus()
                  }}
                >
                  {labels[key]}: {message}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
