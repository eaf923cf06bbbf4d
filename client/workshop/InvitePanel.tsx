import { useState } from 'react'
import type { Role } from '../../shared/roles.ts'

const INVITES: { role: Role; title: string; help: string }[] = [
  { role: 'participant', title: 'Participants', help: 'Can edit the board and everything negotiated.' },
  { role: 'observer', title: 'Observers', help: 'See everything live; cannot change anything.' },
  { role: 'facilitator', title: 'Co-facilitators', help: 'Can run the workshop. Share with care.' },
]

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

export function InvitePanel({ links, onClose }: { links: Record<Role, string>; onClose: () => void }) {
  const [copied, setCopied] = useState<Role | null>(null)
  return (
    <aside className="side-panel" aria-labelledby="invite-heading">
      <div className="side-panel-header">
        <h2 id="invite-heading">Invite people</h2>
        <button className="icon-button" type="button" onClick={onClose} aria-label="Close invite panel">
          ×
        </button>
      </div>
      {INVITES.map(({ role, title, help }) => (
        <section key={role} className="invite">
          <h3>{title}</h3>
          <p className="hint">{help}</p>
          <div className="copy-row">
            <input
              readOnly
              value={links[role]}
              aria-label={`${title} link`}
              data-invite-role={role}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              className="button"
              type="button"
              onClick={async () => {
                if (await copyText(links[role])) {
                  setCopied(role)
                  setTimeout(() => setCopied((r) => (r === role ? null : r)), 2000)
                }
              }}
            >
              {copied === role ? 'Copied' : 'Copy'}
            </button>
          </div>
        </section>
      ))}
    </aside>
  )
}
