/** A refusal message at the top of a view, which the person can dismiss. */
export function DismissibleAlert({
  className,
  message,
  onDismiss,
}: {
  className: string
  message: string | null
  onDismiss: () => void
}) {
  if (!message) return null
  return (
    <div className={className} role="alert">
      <span>{message}</span>
      <button type="button" className="icon-button" aria-label="Dismiss the message" onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
