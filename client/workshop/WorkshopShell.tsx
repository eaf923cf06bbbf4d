import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import type { RoomInfo } from '../../shared/api.ts'
import { organisationColour } from '../../shared/organisations.ts'
import type { Identity, PresenceUser } from '../../shared/presence.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { canEdit, ROLE_LABELS } from '../../shared/roles.ts'
import { recordMember } from '../../shared/schema.ts'
import { deviceUserId, takeFirstInviteShowing } from '../identity.ts'
import { useRoomConnection, type RoomConnection } from '../sync/useRoomConnection.ts'
import { ForgetOnDevice } from './ForgetOnDevice.tsx'
import { ConnectionBadge } from './ConnectionBadge.tsx'
import { InvitePanel, type MadeLinks } from './InvitePanel.tsx'
import { ShortcutSheet } from '../ui/ShortcutSheet.tsx'
import { startUndoHistories } from '../undo/sectionUndo.ts'
import { PresenceList } from './PresenceList.tsx'
import { SnapshotsView } from '../snapshots/SnapshotsView.tsx'
import { DownloadMenu } from '../ui/DownloadMenu.tsx'
import { takeSnapshot } from '../snapshots/snapshotApi.ts'
import { announceSnapshotsChanged } from '../snapshots/snapshotsSignal.ts'
import { loadBoard, loadBoardWhenIdle } from '../board/loadBoard.ts'
import type { BoardPlacement } from '../board/placement.ts'
import type { BoardCamera } from '../board/useCameraFollow.ts'
import type { Link } from '../../shared/links.ts'
import { setSummon, type WorkshopView } from '../../shared/follow.ts'
import { FacilitationPanel } from '../facilitation/FacilitationPanel.tsx'
import { FollowBanner } from '../facilitation/FollowBanner.tsx'
import { LockNotice } from '../facilitation/LockNotice.tsx'
import { TimerBar } from '../facilitation/TimerBar.tsx'
import '../facilitation/facilitation.css'
import { useFollow } from '../facilitation/useFollow.ts'
import { useWorkshopSettings } from '../facilitation/useSettings.ts'
import { serverNow } from '../facilitation/serverClock.ts'
import { standInRoom } from '../sync/standInRoom.ts'
import { useLiveWorkshop } from './useLiveWorkshop.ts'
import { WorkshopProvider } from './WorkshopContext.tsx'
import { SECTION_VIEWS, sectionView } from '../sections/registry.ts'
import { type WorkshopNavigation, WorkshopNavigationProvider } from '../sections/WorkshopNavigation.tsx'
import { navigate, workshopPath } from '../routes.ts'

// tldraw is large: the shell and the tables must not wait for it (board/loadBoard.ts).
const Board = lazy(loadBoard)

type View = WorkshopView
const VIEWS: { id: View; label: string }[] = [
  { id: 'board', label: 'Board' },
  ...SECTION_VIEWS.map(({ section }) => ({ id: section.key, label: section.label })),
  { id: 'snapshots', label: 'Snapshots' },
]
const isView = (view: string): boolean => VIEWS.some((v) => v.id === view)

interface Props {
  roomId: string
  token: string
  info: RoomInfo
  identity: Identity
  /** The view in the address (`/r/:id/pot`), null for the board. */
  routeView: string | null
  /** The item opened in that view by the address (`/r/:id/barriers/:barrierId`), or null. */
  routeItem: string | null
}

export function WorkshopShell({ roomId, token, info, identity, routeView, routeItem }: Props) {
  const connection = useRoomConnection(roomId, token)
  const user = useMemo<PresenceUser>(
    () => ({
      id: deviceUserId(),
      name: identity.name,
      organisation: identity.organisation,
      colour: organisationColour(identity.organisation),
      role: info.role,
    }),
    [identity, info.role],
  )
  const actor = useMemo(() => ({ userId: user.id, name: user.name, organisation: user.organisation }), [user])
  // What this device's link speaks for (the server's word, from GET /api/rooms/:id): decides how positions are stated.
  const link = useMemo<LinkIdentity>(
    () => ({ role: info.role, organisation: info.organisation, name: info.linkName, linkId: null }),
    [info.role, info.organisation, info.linkName],
  )
  const isFacilitator = user.role === 'facilitator'
  // One side panel at a time: invites (facilitators) or the workshop panel (people, agenda, settings).
  // The invites open by themselves once, the first time a facilitator opens the workshop on this
  // device (it has just been made: the links are what they need); after that, on demand.
  const [panel, setPanel] = useState<'invite' | 'workshop' | null>(() =>
    isFacilitator && takeFirstInviteShowing(roomId) ? 'invite' : null,
  )
  const [madeLinks, setMadeLinks] = useState<MadeLinks>({})
  const togglePanel = (which: 'invite' | 'workshop') => setPanel((open) => (open === which ? null : which))
  // The view is in the address: a reload stays there, a link opens it, back and forward move
  // between views. Every change of view goes through `goTo`, which writes the address; the
  // address (changed by back or forward) sets the view.
  const viewOfRoute = routeView !== null && isView(routeView) ? routeView : 'board'
  const [view, setView] = useState<View>(viewOfRoute)
  useEffect(() => setView(viewOfRoute), [viewOfRoute])
  const goTo = useCallback(
    (next: View, { replace = false }: { replace?: boolean } = {}) => {
      setView(next)
      const path = workshopPath(roomId, next)
      if (window.location.pathname !== path) navigate(path, { replace })
    },
    [roomId],
  )
  // Until the connection exists, settings and following read a stand-in, empty room.
  const room = connection ?? standInRoom()
  const settings = useWorkshopSettings(room.doc)
  const follow = useFollow(room.awareness, user.id, view, settings.summon)
  const followedView = follow.target?.view ?? null
  // biome-ignore lint/correctness/useExhaustiveDependencies: jump only when the followed person changes view, not with each awareness update of theirs
  useEffect(() => {
    // A view this app does not have (a newer version's section): stay where we are.
    // Following writes the address too, in place: back does not step through someone else's tabs.
    if (followedView && isView(followedView.view)) goTo(followedView.view, { replace: true })
  }, [followedView?.view])
  const workshop = useLiveWorkshop({ roomId, token, connection, user, actor, link, locks: settings.locks })
  const summoning = settings.summon?.userId === user.id
  // The facilitator can rename the workshop live; until the document is here, the title we were given.
  const title = (connection?.loaded && settings.title) || info.title
  // An item waiting to be placed on the board as a card; the board clears it once placed.
  const [place, setPlace] = useState<BoardPlacement | null>(null)
  const placeOnBoard = useCallback(
    (kind: BoardPlacement['kind'], id: string) => {
      setPlace({ kind, id })
      goTo('board')
    },
    [goTo],
  )
  const placed = useCallback(() => setPlace(null), [])
  // What a new action starts linked to ("Create action" on a barrier); cleared once it is used.
  const [actionLinkFrom, setActionLinkFrom] = useState<Link | null>(null)
  const createActionFor = useCallback(
    (barrierId: string) => {
      setActionLinkFrom({ kind: 'barrier', id: barrierId })
      goTo('actions')
    },
    [goTo],
  )
  const linkFromUsed = useCallback(() => setActionLinkFrom(null), [])
  const openedItem = view === viewOfRoute ? routeItem : null
  const openItem = useCallback(
    (id: string | null) => {
      const path = workshopPath(roomId, view, id)
      if (window.location.pathname !== path) navigate(path)
    },
    [roomId, view],
  )
  const navigation = useMemo<WorkshopNavigation>(
    () => ({ placeOnBoard, createActionFor, actionLinkFrom, actionLinkFromUsed: linkFromUsed, openedItem, openItem }),
    [placeOnBoard, createActionFor, actionLinkFrom, linkFromUsed, openedItem, openItem],
  )
  const shown = sectionView(view)
  const showView = (next: View) => {
    // Leaving for another tab drops a half-started "Create action": coming back starts afresh.
    if (next !== 'actions') setActionLinkFrom(null)
    // Choosing a tab yourself means you no longer follow someone else's.
    if (follow.target && next !== view) follow.stop()
    goTo(next)
  }

  // Each section's undo history starts with the connection, whichever view is shown first.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the connection object is new with every status change; the document it holds is what matters
  useEffect(() => {
    if (connection) startUndoHistories(connection.doc)
  }, [connection?.doc])

  // biome-ignore lint/correctness/useExhaustiveDependencies: the connection object is new with every status change; the awareness it holds is what matters
  useEffect(() => {
    if (!connection) return
    connection.awareness.setLocalStateField('user', user)
  }, [connection?.awareness, user])

  const synced = connection?.synced ?? false
  // biome-ignore lint/correctness/useExhaustiveDependencies: the connection object is new with every status change; the document it holds is what matters
  useEffect(() => {
    if (!connection || !synced || !canEdit(user.role)) return
    recordMember(
      connection.doc,
      user.id,
      { name: user.name, organisation: user.organisation, role: user.role, keyed: true },
      Date.now(),
    )
  }, [connection?.doc, synced, user])

  useEffect(() => {
    document.title = `${title} · Commonpot`
  }, [title])

  // Once the first view is on screen, the board comes in the background: switching to it later
  // (a tab, following the facilitator, "Place on board") does not wait for tldraw.
  const loaded = connection?.loaded ?? false
  useEffect(() => {
    if (loaded) return loadBoardWhenIdle()
  }, [loaded])

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
    <WorkshopProvider value={workshop}>
      <ShortcutSheet />
      <div className="shell">
        <header className="shell-header">
          <a className="brand" href="/" aria-label="Commonpot home">
            Commonpot
          </a>
          <div className="shell-title">
            <h1>{title}</h1>
            <span className={`role-badge role-${info.role}`}>{ROLE_LABELS[info.role]}</span>
          </div>
          <div className="shell-tools">
            {connection && <PresenceList awareness={connection.awareness} />}
            <ConnectionBadge connection={connection} />
            {workshop && <DownloadMenu exports={workshop.exports} name="Download the workshop" />}
            {isFacilitator && connection?.synced && (
              <button
                className={`button compact${summoning ? ' primary' : ''}`}
                type="button"
                aria-pressed={summoning}
                onClick={() => setSummon(connection.doc, summoning ? null : actor, serverNow())}
                title={
                  summoning
                    ? 'Everyone is following your view; let them go'
                    : 'Make everyone follow your tab and board view'
                }
              >
                {summoning ? 'Release everyone' : 'Bring everyone to me'}
              </button>
            )}
            <button
              className="button compact"
              type="button"
              aria-expanded={panel === 'workshop'}
              onClick={() => togglePanel('workshop')}
            >
              Workshop
              {isFacilitator && settings.hands.length > 0 && (
                <span
                  className="count-badge"
                  aria-label={`${settings.hands.length} raised ${settings.hands.length === 1 ? 'hand' : 'hands'}`}
                >
                  {settings.hands.length} {settings.hands.length === 1 ? 'hand' : 'hands'}
                </span>
              )}
            </button>
            {info.links && (
              <button
                className="button compact"
                type="button"
                aria-expanded={panel === 'invite'}
                onClick={() => togglePanel('invite')}
              >
                Invite
              </button>
            )}
          </div>
        </header>
        <div className="shell-tabs">
          <nav className="shell-tab-list" aria-label="Workshop views">
            {VIEWS.map(({ id, label }) => (
              <button
                key={id}
                type="button"
                className={`tab${view === id ? ' active' : ''}`}
                aria-current={view === id ? 'page' : undefined}
                onClick={() => showView(id)}
              >
                {label}
              </button>
            ))}
          </nav>
          {connection?.loaded && <TimerBar timer={settings.timer} agenda={settings.agenda} />}
        </div>
        <FollowBanner follow={follow} />
        {connection?.writeRefused && (
          <p className="write-refused" role="alert">
            Your last change was not saved: {connection.writeRefused}{' '}
            <button
              type="button"
              className="button small"
              onClick={() => void connection.discardLocalCopy().finally(() => window.location.reload())}
            >
              Reload to see the workshop as saved
            </button>
          </p>
        )}
        <div className="shell-body">
          <main className="shell-main" aria-label={VIEWS.find((v) => v.id === view)?.label}>
            {view === 'board' ? (
              <BoardArea
                roomId={roomId}
                connection={connection}
                place={place}
                onPlaced={placed}
                followCamera={followedView?.view === 'board' ? followedView.camera : null}
                onCameraChange={follow.publishCamera}
              />
            ) : !connection?.loaded ? (
              <p className="board-loading">Loading the workshop…</p>
            ) : view === 'snapshots' ? (
              <SnapshotsView roomId={roomId} token={token} />
            ) : shown ? (
              <WorkshopNavigationProvider value={navigation}>
                {shown.section.lockable && (
                  <LockNotice
                    section={shown.section.key}
                    lock={settings.locks.get(shown.section.key)}
                    isFacilitator={isFacilitator}
                  />
                )}
                <shown.View />
              </WorkshopNavigationProvider>
            ) : null}
          </main>
          {panel === 'invite' && info.links && (
            <InvitePanel
              links={info.links}
              made={madeLinks}
              onMade={setMadeLinks}
              organisations={settings.takingPart.map((t) => t.organisation)}
              onClose={() => setPanel(null)}
            />
          )}
          {panel === 'workshop' && connection?.loaded && (
            <FacilitationPanel
              settings={settings}
              followingId={follow.target?.userId ?? null}
              onFollow={follow.follow}
              onClose={() => setPanel(null)}
              onAgendaItemEnded={(item) =>
                void takeSnapshot(roomId, token, `Agenda: “${item.title}” ended`, actor, 'auto-agenda').then(
                  (result) => result.ok && connection && announceSnapshotsChanged(connection.awareness),
                )
              }
            >
              <ForgetOnDevice
                roomId={roomId}
                unsyncedChanges={connection.unsyncedChanges}
                discardLocalCopy={connection.discardLocalCopy}
              />
            </FacilitationPanel>
          )}
        </div>
      </div>
    </WorkshopProvider>
  )
}

interface BoardAreaProps {
  roomId: string
  connection: RoomConnection | null
  place: BoardPlacement | null
  onPlaced: () => void
  followCamera: BoardCamera | null
  onCameraChange: (camera: BoardCamera) => void
}

function BoardArea({ roomId, connection, place, onPlaced, followCamera, onCameraChange }: BoardAreaProps) {
  if (!connection) return <p className="board-loading">Connecting…</p>
  return (
    <Suspense
      fallback={
        <p className="board-loading" role="status">
          Loading the board…
        </p>
      }
    >
      <Board
        roomId={roomId}
        online={connection.status === 'live'}
        // This device's saved copy is as good a start as the server's first sync; they merge.
        synced={connection.loaded}
        place={place}
        onPlaced={onPlaced}
        followCamera={followCamera}
        onCameraChange={onCameraChange}
      />
    </Suspense>
  )
}
