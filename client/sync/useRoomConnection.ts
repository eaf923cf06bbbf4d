/**
 * One Yjs document and one y-websocket connection per open workshop, with the connection state
 * the shell shows: connecting / live / offline, whether the first sync has arrived, how many
 * local changes have not reached the server yet, and a final refusal (bad link, no such room).
 */
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { readAuthMessage } from 'y-protocols/auth'
import { CLOSE_CODES } from '../../shared/api.ts'
import { tokenRenewal } from '../identity.ts'
import { shouldReconnect, waitingMessage } from './reconnectPolicy.ts'
import { addReconnectJitter } from './reconnectJitter.ts'
import { reannouncePresenceOnConnect } from './presenceOnReconnect.ts'

export type ConnectionStatus = 'connecting' | 'live' | 'offline'

export interface RoomConnection {
  doc: Y.Doc
  awareness: Awareness
  status: ConnectionStatus
  synced: boolean
  /** Local changes made since the connection last carried them to the server. */
  unsyncedChanges: number
  /** Set when the server refused the connection for good; the message is for people. */
  refused: string | null
  /**
   * The reason the server last gave for refusing a change made on this page (a section locked a
   * moment before, say). The server kept none of that change, but this page's document still
   * shows it until the page reloads.
   */
  writeRefused: string | null
  /** Why the page is waiting to reconnect, when the server said (full workshop, too fast, busy). */
  notice: string | null
}

/** The y-websocket message type of auth messages (permission denied + reason). */
const MESSAGE_AUTH = 2

const REFUSALS: Record<number, string> = {
  [CLOSE_CODES.unauthorized]: 'This invite link is not valid for this workshop any more. Ask the facilitator for a new link.',
  [CLOSE_CODES.forbidden]: 'You are not allowed into this workshop.',
  [CLOSE_CODES.noSuchRoom]: 'This workshop does not exist. Check the link you were sent.',
  [CLOSE_CODES.badRequest]: 'The connection was closed because this page sent something the server could not read. Reload the page.',
}

/**
 * What to tell the person when the server refused the connection for good. A 4401 carries the
 * server's own explanation as its reason (expired, revoked, not valid, other workshop).
 */
export function refusalMessage(event: { code: number; reason: string }): string {
  if (event.code === CLOSE_CODES.unauthorized && event.reason.trim()) return event.reason
  return REFUSALS[event.code] ?? `The server closed the connection (${event.code}${event.reason ? ': ' + event.reason : ''}).`
}

export function useRoomConnection(roomId: string, token: string): RoomConnection | null {
  const [live, setLive] = useState<{ doc: Y.Doc; awareness: Awareness } | null>(null)
  const [status, setStatus] = useState<ConnectionStatus>('connecting')
  const [synced, setSynced] = useState(false)
  const [unsyncedChanges, setUnsynced] = useState(0)
  const [refused, setRefused] = useState<string | null>(null)
  const [writeRefused, setWriteRefused] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    const doc = new Y.Doc()
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}/sync`, roomId, doc, {
      params: { token },
      connect: false,
      disableBc: true,
      shouldReconnect,
    })
    // Pages that lost the server together must not all come back at the same instant.
    addReconnectJitter(provider)
    reannouncePresenceOnConnect(provider)
    // The y-websocket client only logs permission-denied; keep the reason to show it.
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      readAuthMessage(decoder, doc, (_doc, reason) => setWriteRefused(reason))
    }
    let everConnected = false
    let cancelled = false
    const onStatus = ({ status: s }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (s === 'connected') {
        everConnected = true
        setNotice(null)
      }
      setStatus(s === 'connected' ? 'live' : s === 'connecting' && !everConnected ? 'connecting' : 'offline')
    }
    const onSync = (isSynced: boolean) => {
      if (isSynced) {
        setSynced(true)
        setUnsynced(0)
      }
    }
    const onClosed = (event: { code: number; reason: string }) => {
      const message = refusalMessage(event)
      // This person just revoked their own role's links: the new token is on its way, and the
      // page reconnects with it. Only if that fails is the refusal final.
      const renewal = event.code === CLOSE_CODES.unauthorized ? tokenRenewal(token) : undefined
      if (renewal) {
        void renewal.then((next) => {
          if (!cancelled && next === null) setRefused(message)
        })
        return
      }
      setRefused(message)
    }
    const onConnectionClose = (event: CloseEvent | null) => {
      if (event) setNotice(waitingMessage(event))
    }
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && !(provider.wsconnected && provider.synced)) setUnsynced((n) => n + 1)
    }
    // Leave cleanly when the tab closes, so that others see this person go at once.
    const onPageHide = () => provider.disconnect()
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('closed', onClosed)
    provider.on('connection-close', onConnectionClose)
    doc.on('update', onUpdate)
    window.addEventListener('pagehide', onPageHide)
    provider.connect()
    setLive({ doc, awareness: provider.awareness })
    return () => {
      cancelled = true
      window.removeEventListener('pagehide', onPageHide)
      doc.off('update', onUpdate)
      provider.destroy()
      doc.destroy()
      setLive(null)
      setStatus('connecting')
      setSynced(false)
      setRefused(null)
      setWriteRefused(null)
      setNotice(null)
    }
  }, [roomId, token])

  if (!live) return null
  return { ...live, status, synced, unsyncedChanges, refused, writeRefused, notice }
}
