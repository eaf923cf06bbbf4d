import { useEffect, useRef, useState } from 'react'

interface Props {
  /** "action" or "decision". */
  kind: string
  /** Names the item, e.g. "DH will hold a workshop with the 16 areas". */
  itemLabel: string
  onDelete: () => void
}

/**
 * Delete, asked twice: the first press turns the button into "Delete this action? Yes, delete /
 * Keep" with focus on Keep, so a stray Enter never removes anything. Escape keeps the item.
 */
export function ConfirmDelete({ kind, itemLabel, onDelete }: Props) {
  const [confirming, setConfirming] = useState(false)
  const keepRef = useRef<HTMLButtonElement>(null)
  const deleteRef = useRef<HTMLButtonElement>(null)
  const asked = useRef(false)
  useEffect(() => {
    if (confirming) keepRef.current?.focus()
    else if (asked.current) deleteRef.current?.focus()
  }, [confirming])
  if (!confirming) {
    return (
      <button
        ref={deleteRef}
        type="button"
        className="button small danger"
        aria-label={`Delete ${kind} ${itemLabel}`}
        onClick={() => {
          asked.current = true
          setConfirming(true)
        }}
      >
        Delete
      </button>
    )
  }
  return (
    <span
      className="confirm-delete"
      role="group"
      aria-label={`Confirm deleting ${kind} ${itemLabel}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setConfirming(false)
      }}
    >
      <span className="confirm-question">Delete this {kind}?</span>
      <button type="button" className="button small danger-solid" onClick={onDelete}>
        Yes, delete
      </button>
      <button ref={keepRef} type="button" className="button small" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  )
}
