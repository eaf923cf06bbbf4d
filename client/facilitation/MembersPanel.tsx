import type * as Y from 'yjs'
import { lowerHand, raiseHand, type RaisedHand } from '../../shared/hands.ts'
import { organisationColour } from '../../shared/organisations.ts'
import { ROLE_LABELS } from '../../shared/roles.ts'
import { getMembersMap, type Member } from '../../shared/schema.ts'
import { usePeers } from '../sync/usePeers.ts'
import { useDocValue } from '../sync/useDocValue.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { serverNow } from './serverClock.ts'

interface Props {
  hands: RaisedHand[]
  /** The person this page follows now, if any. */
  followingId: string | null
  onFollow: (userId: string | null) => void
}

const watchMembers = (doc: Y.Doc) => [getMembersMap(doc)]
const readMembers = (doc: Y.Doc) => {
  const members: (Member & { userId: string })[] = []
  getMembersMap(doc).forEach((member, userId) => {
    if (member && typeof member.name === 'string') members.push({ userId, ...member })
  })
  return members.sort((a, b) => b.lastSeen - a.lastSeen)
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
})
function seen(at: number): string {
  const date = new Date(at)
  return date.toDateString() === new Date().toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date)
}

/** Who is here now and who has been, raised hands in the order they went up, and following. */
export function MembersPanel({ hands, followingId, onFollow }: Props) {
  const { doc, awareness, actor, permissions } = useWorkshop()
  const { canEdit, isFacilitator } = permissions
  const peers = usePeers(awareness)
  const members = useDocValue(doc, watchMembers, readMembers)
  const present = new Set(peers.map((p) => p.id))
  const away = members.filter((m) => !present.has(m.userId))
  const myHand = hands.find((h) => h.userId === actor.userId)

  return (
    <section className="members" aria-labelledby="members-heading">
      <div className="panel-section-header">
        <h3 id="members-heading">People</h3>
        {canEdit && (
          <button
            type="button"
            className={`button small${myHand ? ' primary' : ''}`}
            aria-pressed={Boolean(myHand)}
            onClick={() => (myHand ? lowerHand(doc, actor.userId) : raiseHand(doc, actor, serverNow()))}
          >
            {myHand ? 'Lower my hand' : 'Raise hand'}
          </button>
        )}
      </div>
      {hands.length > 0 && (
        <div className="hands">
          <h4>Raised hands</h4>
          <ol className="hand-list" aria-label="Raised hands, in order">
            {hands.map((hand) => (
              <li key={hand.userId} className="hand">
                <span
                  className="dot"
                  style={{ background: organisationColour(hand.organisation) }}
                  aria-hidden="true"
                />
                <span className="hand-name">{hand.name}</span>
                <span className="hint">{hand.organisation}</span>
                {(isFacilitator || hand.userId === actor.userId) && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => lowerHand(doc, hand.userId)}
                    aria-label={`Lower ${hand.name}’s hand`}
                  >
                    Lower
                  </button>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      <h4>Here now ({peers.length})</h4>
      <ul className="member-list" aria-label="Here now">
        {peers.map((peer) => (
          <li key={peer.id} className="member" data-member={peer.name}>
            <span className="avatar small" style={{ background: peer.colour }} aria-hidden="true" />
            <span className="member-name">
              {peer.name}
              {peer.isSelf && <span className="hint"> (you)</span>}
              {hands.some((h) => h.userId === peer.id) && <span className="hand-badge">hand up</span>}
            </span>
            <span className="member-meta hint">
              {peer.organisation} · {ROLE_LABELS[peer.role]}
            </span>
            {!peer.isSelf &&
              (followingId === peer.id ? (
                <button
                  type="button"
                  className="button small primary"
                  onClick={() => onFollow(null)}
                  aria-label={`Stop following ${peer.name}`}
                >
                  Following
                </button>
              ) : (
                <button
                  type="button"
                  className="button small"
                  onClick={() => onFollow(peer.id)}
                  aria-label={`Follow ${peer.name}`}
                >
                  Follow
                </button>
              ))}
          </li>
        ))}
      </ul>
      {away.length > 0 && (
        <>
          <h4>Have been ({away.length})</h4>
          <ul className="member-list away" aria-label="Have been">
            {away.map((member) => (
              <li key={member.userId} className="member">
                <span
                  className="avatar small"
                  style={{ background: organisationColour(member.organisation) }}
                  aria-hidden="true"
                />
                <span className="member-name">{member.name}</span>
                <span className="member-meta hint">
                  {member.organisation} · {ROLE_LABELS[member.role] ?? member.role} · last seen {seen(member.lastSeen)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
