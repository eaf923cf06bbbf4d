/**
 * "Copy link" to something in the workshop (a clause, a pot line): the address of its view with
 * the item's anchor, copied to the clipboard. The link carries no invite token: whoever opens it
 * needs their own access, as with a link to a Google Doc.
 */
import { useState } from 'react'

/** The address of `anchor` in `view` of the workshop open in this page. */
export function linkInWorkshop(view: string, anchor: string): string {
  const roomId = window.location.pathname.match(/^\/r\/([A-Za-z0-9_-]+)/)?.[1] ?? ''
  return `${window.location.origin}/r/${roomId}/${view}#${anchor}`
}

export function CopyLinkButton({ view, anchor, itemName }: { view: string; anchor: string; itemName: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="button small"
      aria-label={`${copied ? 'Link copied' : 'Copy link'}: ${itemName}`}
      onClick={() => {
        void navigator.clipboard
          .writeText(linkInWorkshop(view, anchor))
          .then(() => {
            setCopied(true)
            setTimeout(() => setCopied(false), 2000)
          })
          .catch(() => undefined)
      }}
    >
      {copied ? 'Link copied' : 'Copy link'}
    </button>
  )
}
