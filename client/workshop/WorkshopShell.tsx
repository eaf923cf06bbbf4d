import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import type { RoomInfo } from '../../shared/api.ts'
import { organisationColour } from '../../shared/organisations.ts'
import type { Identity, PresenceUser } from '../../shared/presence.ts'
import { canEdit, ROLE_LABELS } from '../../shared/roles.ts'
import { recordMember } from '../../shared/schema.ts'
import { deviceUserId } from '../identity.ts'
import { useRoomConnection, type RoomConnection } from '../sync/useRoomConnection.ts'
import { ConnectionBadge } from './ConnectionBadge.tsx'
import { InvitePanel } from './InvitePanel.tsx'
import { PresenceList } from './PresenceList.tsx'
import { PotView } from '../pot/PotView.tsx'
import { ProtocolView } from '../protocol/ProtocolView.tsx'
import { BarriersView } from '../barriers/BarriersView.tsx'
import { ActionsView } from '../actions/ActionsView.tsx'
import type { BoardPlacement } from '../board/placement.ts'
import type { Link } from '../../shared/links.ts'

// tldraw is large: the shell and the tables must not wait for it.
const Board = lazy(() => import('../board/Board.tsx'))

type View = 'board' | 'pot' | 'protocol' | 'barriers' | 'actions'
const VIEWS: { id: View; label: string }[] = [
  { id: 'board', label: 'Board' },
  { id: 'pot', label: 'Pot' },
  { id: 'protocol', label: 'Protocol' },
  { id: 'barriers', label: 'Barriers' },
  { id: 'actions', label: 'Actions' },
]

/** Which part of the workshop a CSV export holds (the Markdown and JSON exports hold everything). */
export type ExportPart = 'pot' | 'barriers' | 'actions'

interface Props {
  roomId: string
  token: string
  info: RoomInfo
  identity: Identity
}

export function WorkshopShell({ roomId, token, info, identity }: Props) {
  const connection = useRoomConnection(roomId, token)
  const user = useMemo<PresenceUser>(
    () => ({ id: deviceUserId(), name: identity.name, organisation: identity.organisation, colour: organisationColour(identity.organisation), role: info.role }),
    [identity, info.role],
  )
  const exportUrl = (format: 'csv' | 'md' | 'json', part?: ExportPart) =>
    `/api/rooms/${roomId}/export?format=${format}${part ? `&part=${part}` : ''}&token=${encodeURIComponent(token)}`
  const actor = useMemo(() => ({ userId: user.id, name: user.name, organisation: user.organisation }), [user])
  const [inviteOpen, setInviteOpen] = useState(info.role === 'facilitator')
  const [view, setView] = useState<View>('board')
  // An item waiting to be placed on the board as a card; the board clears it once placed.
  const [place, setPlace] = useState<BoardPlacement | null>(null)
  const placeOnBoard = useCallback((kind: BoardPlacement['kind'], id: string) => {
    setPlace({ kind, id })
    setView('board')
  }, [])
  const placeLine = useCallback((id: string) => placeOnBoard('pot-line', id), [placeOnBoard])
  const placeBarrier = useCallback((id: string) => placeOnBoard('barrier', id), [placeOnBoard])
  const placeAction = useCallback((id: string) => placeOnBoard('action', id), [placeOnBoard])
  const placed = useCallback(() => setPlace(null), [])
  // What a new action starts linked to ("Create action" on a barrier); cleared once it is used.
  const [actionLinkFrom, setActionLinkFrom] = useState<Link | null>(null)
  const createActionFor = useCallback((barrierId: string) => {
    setActionLinkFrom({ kind: 'barrier', id: barrierId })
    setView('actions')
  }, [])
  const linkFromUsed = useCallback(() => setActionLinkFrom(null), [])
  const showView = (next: View) => {
    // Leaving for another tab drops a half-started "Create action": coming back starts afresh.
    if (next !== 'actions') setActionLinkFrom(null)
    setView(next)
  }

  useEffect(() => {
    if (!connection) return
    connection.awareness.setLocalStateField('user', user)
  }, [connection?.awareness, user])

  const synced = connection?.synced ?? false
  useEffect(() => {
    if (!connection || !synced || !canEdit(user.role)) return
    recordMember(connection.doc, user.id, { name: user.name, organisation: user.organisation, role: user.role }, Date.now())
  }, [connection?.doc, synced, user])

  useEffect(() => {
    document.title = `${info.title} · Commonpot`
  }, [info.title])

  if (connection?.refused) {
    return (
      <main className="centred-page">
        <div className="card" role="alert">
          <h1>Disconnected from the workshop</h1>
          <p>{connection.refused}</p>
        </div>
      </main>
    )
  }

  return (
    <div className="shell">
      <header className="shell-header">
        <a className="brand" href="/" aria-label="Commonpot home">
          Commonpot
        </a>
        <div className="shell-title">
          <h1>{info.title}</h1>
          <span className={`role-badge role-${info.role}`}>{ROLE_LABELS[info.role]}</span>
        </div>
        <div className="shell-tools">
          {connection && <PresenceList awareness={connection.awareness} />}
          <ConnectionBadge connection={connection} />
          {info.links && (
            <button className="button" type="button" aria-expanded={inviteOpen} onClick={() => setInviteOpen((open) => !open)}>
              Invite
            </button>
          )}
        </div>
      </header>
      <nav className="shell-tabs" aria-label="Workshop views">
        {VIEWS.map(({ id, label }) => (
          <button key={id} type="button" className={`tab${view === id ? ' active' : ''}`} aria-current={view === id ? 'page' : undefined} onClick={() => showView(id)}>
            {label}
          </button>
        ))}
      </nav>
      <div className="shell-body">
        <main className="shell-main" aria-label={VIEWS.find((v) => v.id === view)?.label}>
          {view === 'board' ? (
            <BoardArea connection={connection} user={user} place={place} onPlaced={placed} />
          ) : !connection?.synced ? (
            <p className="board-loading">Loading the workshop…</p>
          ) : view === 'pot' ? (
            <PotView
              doc={connection.doc}
              actor={actor}
              canEdit={canEdit(user.role)}
              canSetTarget={user.role === 'facilitator'}
              exportUrl={exportUrl}
              onPlaceOnBoard={placeLine}
            />
          ) : view === 'barriers' ? (
            <BarriersView
              doc={connection.doc}
              actor={actor}
              canEdit={canEdit(user.role)}
              isFacilitator={user.role === 'facilitator'}
              exportUrl={exportUrl}
              onPlaceOnBoard={placeBarrier}
              onCreateAction={createActionFor}
            />
          ) : view === 'actions' ? (
            <ActionsView
              doc={connection.doc}
              actor={actor}
              canEdit={canEdit(user.role)}
              exportUrl={exportUrl}
              onPlaceOnBoard={placeAction}
              linkFrom={actionLinkFrom}
              onLinkFromUsed={linkFromUsed}
            />
          ) : (
            <ProtocolView
              doc={connection.doc}
              awareness={connection.awareness}
              actor={actor}
              colour={user.colour}
              canEdit={canEdit(user.role)}
              isFacilitator={user.role === 'facilitator'}
              markdownUrl={exportUrl('md')}
            />
          )}
        </main>
        {inviteOpen && info.links && <InvitePanel links={info.links} onClose={() => setInviteOpen(false)} />}
      </div>
    </div>
  )
}

interface BoardAreaProps {
  connection: RoomConnection | null
  user: PresenceUser
  place: BoardPlacement | null
  onPlaced: () => void
}

function BoardArea({ connection, user, place, onPlaced }: BoardAreaProps) {
  if (!connection) return <p className="board-loading">Connecting…</p>
  return (
    <Suspense fallback={<p className="board-loading">Loading the board…</p>}>
      <Board
        doc={connection.doc}
        awareness={connection.awareness}
        online={connection.status === 'live'}
        synced={connection.synced}
        readOnly={!canEdit(user.role)}
        user={user}
        place={place}
        onPlaced={onPlaced}
      />
    </Suspense>
  )
}
