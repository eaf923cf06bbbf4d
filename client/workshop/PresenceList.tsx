import type { Awareness } from 'y-protocols/awareness'
import { ROLE_LABELS } from '../../shared/roles.ts'
import { usePeers } from '../sync/usePeers.ts'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase()
}

/** Who is here now: one avatar per person, in their organisation's colour. */
export function PresenceList({ awareness }: { awareness: Awareness }) {
  const peers = usePeers(awareness)
  return (
    <div className="presence">
      <span className="visually-hidden" id="presence-heading">
        {peers.length} {peers.length === 1 ? 'person' : 'people'} here
      </span>
      <ul className="presence-list" aria-labelledby="presence-heading">
        {peers.map((peer) => (
          <li
            key={peer.id}
            className="presence-item"
            data-name={peer.name}
            title={`${peer.name}${peer.isSelf ? ' (you)' : ''} · ${peer.organisation} · ${ROLE_LABELS[peer.role]}`}
          >
            <span className="avatar" style={{ background: peer.colour }} aria-hidden="true">
              {initials(peer.name)}
            </span>
            <span className="visually-hidden">
              {peer.name}
              {peer.isSelf ? ' (you)' : ''}, {peer.organisation}, {ROLE_LABELS[peer.role]}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
