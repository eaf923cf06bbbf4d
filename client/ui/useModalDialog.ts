/**
 * Shows a `<dialog>` as the browser's modal (the rest of the page inert, focus kept inside) for as
 * long as the component lives, and gives focus back to whatever had it (the button that opened
 * it) when it goes. `initialFocus`, when given, takes the focus first (a dialog's safe answer).
 */
import { type RefObject, useEffect, useRef } from 'react'

export function useModalDialog(initialFocus?: RefObject<HTMLElement | null>): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: opened once, when the dialog mounts
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!element.open) element.showModal()
    initialFocus?.current?.focus()
    return () => {
      if (element.open) element.close()
      opener?.focus()
    }
  }, [])
  return dialog
}
