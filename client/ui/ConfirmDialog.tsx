/**
 * A question that must be answered before something that cannot be undone: the browser's modal
 * `<dialog>` (shown with `showModal`), so that the rest of the page is inert, focus stays inside,
 * Escape answers "no", and screen readers announce it as a dialog named by its heading and
 * described by its text. Focus starts on the safe answer and goes back where it was on closing.
 * Not `window.confirm`, which cannot say which snapshot, cannot show a refusal, and blocks the page.
 */
import { type ReactNode, useId, useRef } from 'react'
import { useModalDialog } from './useModalDialog.ts'

interface Props {
  /** The question, as the dialog's heading and accessible name. */
  title: string
  /** What will happen, as its description. */
  children: ReactNode
  /** The button that does it ("Delete snapshot"). */
  confirmLabel: string
  /** The button that keeps things as they are ("Keep it"): focused first, and what Escape means. */
  cancelLabel: string
  /** Set while the action runs: both buttons wait. */
  busy?: boolean
  /** Why the action failed, shown in the dialog (it stays open). */
  error?: string | null
  /** Styles the confirm button as destructive. */
  danger?: boolean
  onConfirm(): void
  onCancel(): void
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy = false,
  error = null,
  danger = false,
  onConfirm,
  onCancel,
}: Props) {
  const cancel = useRef<HTMLButtonElement>(null)
  const dialog = useModalDialog(cancel)
  const titleId = useId()
  const bodyId = useId()

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        // Escape: the dialog stays mounted until its owner says so (no half-closed state).
        event.preventDefault()
        if (!busy) onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="confirm-dialog-body">
        {children}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="confirm-dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={danger ? 'button primary danger-fill' : 'button primary'}
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
