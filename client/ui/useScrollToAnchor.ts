/**
 * Shows the element a link's anchor names (`#clause-…`, `#line-…`) once it exists: the browser
 * looks for it when the page loads, before the document has arrived and the item is drawn.
 */
import { useEffect, useRef } from 'react'

export function useScrollToAnchor(prefix: string, ready: unknown): void {
  const pending = useRef(
    typeof window !== 'undefined' && window.location.hash.startsWith(`#${prefix}`)
      ? decodeURIComponent(window.location.hash.slice(1))
      : '',
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: `ready` changes when the items are drawn; that is when to look again
  useEffect(() => {
    if (!pending.current) return
    const element = document.getElementById(pending.current)
    if (!element) return
    pending.current = ''
    element.scrollIntoView({ block: 'start' })
    element.classList.add('anchor-target')
    setTimeout(() => element.classList.remove('anchor-target'), 2500)
  }, [ready])
}
