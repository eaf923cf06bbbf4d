import { useEffect, useState } from 'react'
import type { RoomInfo } from '../../shared/api.ts'
import type { Identity } from '../../shared/presence.ts'
import { getRoomInfo } from '../api.ts'
import {
  hasJoined,
  loadIdentity,
  loadRoomToken,
  markJoined,
  onRoomTokenRenewed,
  saveIdentity,
  saveRoomToken,
} from '../identity.ts'
import { JoinScreen } from './JoinScreen.tsx'
import { loadRoomInfo, saveRoomInfo } from '../offline/roomInfoCache.ts'
import { forgetWorkshop } from '../sync/offlineCache.ts'
import { WorkshopShell } from './WorkshopShell.tsx'

type State =
  | { name: 'loading' }
  | { name: 'error'; title: string; message: string }
  | { name: 'ready'; token: string; info: RoomInfo }

/** Takes the invite token out of the address bar (it would show in a screen share) and keeps it on this device. */
function takeToken(roomId: string): string | null {
  const url = new URL(window.location.href)
  const fromLink = url.searchParams.get('token')
  if (fromLink) {
    saveRoomToken(roomId, fromLink)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromLink
  }
  return loadRoomToken(roomId)
}

/** Headings for the refusals people meet most: the message under it says what to do. */
const ERROR_TITLES: Record<string, string> = {
  token_revoked: 'This invite link has been revoked',
  token_expired: 'This invite link has expired',
  token_invalid: 'This invite link is not valid',
  token_other_room: 'This invite link is for another workshop',
  token_missing: 'No invite for this workshop',
  no_such_room: 'Workshop not found',
}

/** `view` and `item`: where in the workshop the address points (client/routes.ts). */
export function WorkshopPage({ roomId, view, item }: { roomId: string; view: string | null; item: string | null }) {
  const [state, setState] = useState<State>({ name: 'loading' })
  const [identity, setIdentity] = useState<Identity | null>(() => (hasJoined(roomId) ? loadIdentity() : null))

  useEffect(() => {
    const token = takeToken(roomId)
    if (!token) {
      setState({
        name: 'error',
        title: 'No invite for this workshop',
        message: 'Open the invite link the facilitator sent you.',
      })
      return
    }
    let cancelled = false
    getRoomInfo(roomId, token).then((result) => {
      if (cancelled) return
      if (result.ok) {
        saveRoomInfo(localStorage, result.value)
        setState({ name: 'ready', token, info: result.value })
        return
      }
      // Without a network, open what this device kept of the workshop; the connection badge says offline.
      const kept = result.code === 'network' ? loadRoomInfo(localStorage, roomId) : null
      if (kept) {
        setState({ name: 'ready', token, info: kept })
        return
      }
      if (result.code === 'no_such_room') void forgetWorkshop(roomId)
      setState({
        name: 'error',
        title:
          ERROR_TITLES[result.code] ?? (result.status === 404 ? 'Workshop not found' : 'Cannot open this workshop'),
        message: result.message,
      })
    })
    return () => {
      cancelled = true
    }
  }, [roomId])

  // A facilitator who revokes their own role's links gets a new token: carry on with it.
  useEffect(
    () => onRoomTokenRenewed(roomId, (token) => setState((s) => (s.name === 'ready' ? { ...s, token } : s))),
    [roomId],
  )

  if (state.name === 'loading') {
    return (
      <main className="centred-page" aria-busy="true">
        <p className="muted">Opening the workshop…</p>
      </main>
    )
  }
  if (state.name === 'error') {
    return (
      <main className="centred-page">
        <div className="card" role="alert">
          <h1>{state.title}</h1>
          <p>{state.message}</p>
          <a className="button" href="/">
            Start a new workshop
          </a>
        </div>
      </main>
    )
  }
  if (!identity) {
    return (
      <JoinScreen
        info={state.info}
        onJoin={(who) => {
          saveIdentity(who)
          markJoined(roomId)
          setIdentity(who)
        }}
      />
    )
  }
  // A link bound to an organisation decides the organisation, whatever this device remembered.
  const bound = state.info.organisation
  return (
    <WorkshopShell
      roomId={roomId}
      token={state.token}
      info={state.info}
      identity={bound ? { ...identity, organisation: bound } : identity}
      routeView={view}
      routeItem={item}
    />
  )
}
