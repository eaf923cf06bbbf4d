/**
 * One Yjs document and one y-websocket connection per open workshop, with the connection state
 * the shell shows: connecting / live / offline, whether the first sync has arrived, how many
 * local changes have not reached the server yet, and a final refusal (bad link, no such room).
 * The document is also kept on this device (sync/offlineCache.ts), so that it shows, and takes
 * changes, without a network.
 */
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { readAuthMessage } from 'y-protocols/auth'
import { CLOSE_CODES } from '../../shared/api.ts'
import { syncSubprotocols } from '../../shared/syncCredentials.ts'
import { deviceUserSecret, tokenRenewal } from '../identity.ts'
import { shouldReconnect, waitingMessage } from './reconnectPolicy.ts'
import { behaveAsAPage } from './pageProvider.ts'
import { followBrowserNetwork } from './browserNetwork.ts'
import { openDocumentCache } from './offlineCache.ts'
import { addUnsynced, clearUnsynced, readUnsynced } from './unsyncedCounter.ts'
import { forgetRoomInfo } from '../offline/roomInfoCache.ts'

export type ConnectionStatus = 'connecting' | 'live' | 'offline'

export interface RoomConnection {
  doc: Y.Doc
  awareness: Awareness
  status: ConnectionStatus
  synced: boolean
  /**
   * The document has something to show: the server's first sync, or this device's saved copy
   * (which may be older than the server's, and is brought up to date once connected).
   */
  loaded: boolean
  /** Local changes made since the connection last carried them to the server; kept across reloads. */
  unsyncedChanges: number
  /** Deletes this device's copy of the document, for a reload to show the workshop as the server has it. */
  discardLocalCopy: () => Promise<void>
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

/**
 * The saved copy is read before connecting, so that the first exchange with the server already
 * carries the changes made offline. IndexedDB answers in milliseconds; if it hangs, connect anyway.
 */
const CACHE_WAIT_MS = 2000

const REFUSALS: Record<number, string> = {
  [CLOSE_CODES.unauthorized]:
    'This invite link is not valid for this workshop any more. Ask the facilitator for a new link.',
  [CLOSE_CODES.forbidden]: 'You are not allowed into this workshop.',
  [CLOSE_CODES.noSuchRoom]: 'This workshop does not exist. Check the link you were sent.',
  [CLOSE_CODES.badRequest]:
    'The connection was closed because this page sent something the server could not read. Reload the page.',
}

/**
 * What to tell the person when the server refused the connection for good. A 4401 carries the
 * server's own explanation as its reason (expired, revoked, not valid, other workshop).
 */
export function refusalMessage(event: { code: number; reason: string }): string {
  if (event.code === CLOSE_CODES.unauthorized && event.reason.trim()) return event.reason
  return (
    REFUSALS[event.code] ??
    `The server closed the connection (${event.code}${event.reason ? `: ${event.reason}` : ''}).`
  )
}

export function useRoomConnection(roomId: string, token: string): RoomConnection | null {
  const [live, setLive] = useState<{ doc: Y.Doc; awareness: Awareness; discardLocalCopy: () => Promise<void> } | null>(
    null,
  )
  const [status, setStatus] = useState<ConnectionStatus>('connecting')
  const [synced, setSynced] = useState(false)
  const [fromCache, setFromCache] = useState(false)
  const [unsyncedChanges, setUnsynced] = useState(() => readUnsynced(localStorage, roomId))
  const [refused, setRefused] = useState<string | null>(null)
  const [writeRefused, setWriteRefused] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    const doc = new Y.Doc()
    const cache = openDocumentCache(roomId, doc)
    setUnsynced(readUnsynced(localStorage, roomId))
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}/sync`, roomId, doc, {
      // The token, and the device's secret that proves the user id this page writes under
      // (shared/userKey.ts), go in the Sec-WebSocket-Protocol header, never in the URL, which
      // servers and proxies log (shared/syncCredentials.ts).
      protocols: syncSubprotocols({ token, user: deviceUserSecret() }),
      connect: false,
      disableBc: true,
      shouldReconnect,
    })
    behaveAsAPage(provider)
    // The y-websocket client only logs permission-denied; keep the reason to show it.
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      readAuthMessage(decoder, doc, (_doc, reason) => setWriteRefused(reason))
    }
    let everConnected = false
    // An attempt failed before the first connection: no network, or no server. (A full or busy
    // server is reachable: the page keeps saying connecting, with the server's reason.)
    let unreachable = false
    let cancelled = false
    const onStatus = ({ status: s }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (s === 'connected') {
        everConnected = true
        setNotice(null)
      }
      setStatus(
        s === 'connected' ? 'live' : s === 'connecting' && !everConnected && !unreachable ? 'connecting' : 'offline',
      )
    }
    const onSync = (isSynced: boolean) => {
      if (isSynced) {
        setSynced(true)
        setUnsynced(0)
        clearUnsynced(localStorage, roomId)
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
      if (event.code === CLOSE_CODES.noSuchRoom) {
        // Nothing kept here can ever be saved. Other refusals keep the copy: a new link to the
        // same workshop still carries the changes made offline.
        void cache.discard()
        clearUnsynced(localStorage, roomId)
        forgetRoomInfo(localStorage, roomId)
      }
      setRefused(message)
    }
    const onConnectionClose = (event: CloseEvent | null) => {
      const waiting = event ? waitingMessage(event) : null
      if (event) setNotice(waiting)
      if (!everConnected && !waiting) {
        unreachable = true
        setStatus('offline')
      }
    }
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || origin === cache.origin) return
      if (!(provider.wsconnected && provider.synced)) setUnsynced(addUnsynced(localStorage, roomId))
    }
    // Leave cleanly when the tab closes, so that others see this person go at once.
    const onPageHide = () => provider.disconnect()
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('closed', onClosed)
    provider.on('connection-close', onConnectionClose)
    doc.on('update', onUpdate)
    window.addEventListener('pagehide', onPageHide)
    const stopFollowingNetwork = followBrowserNetwork(provider)
    let started = false
    let connectTimer: ReturnType<typeof setTimeout> | undefined
    const connectOnce = () => {
      clearTimeout(connectTimer)
      if (cancelled || started) return
      started = true
      provider.connect()
    }
    connectTimer = setTimeout(connectOnce, CACHE_WAIT_MS)
    void cache.loaded.then((hadCopy) => {
      if (cancelled) return
      if (hadCopy) setFromCache(true)
      connectOnce()
    })
    const discardLocalCopy = () => {
      clearUnsynced(localStorage, roomId)
      return cache.discard()
    }
    setLive({ doc, awareness: provider.awareness, discardLocalCopy })
    return () => {
      cancelled = true
      clearTimeout(connectTimer)
      stopFollowingNetwork()
      window.removeEventListener('pagehide', onPageHide)
      doc.off('update', onUpdate)
      provider.destroy()
      cache.destroy()
      doc.destroy()
      setLive(null)
      setStatus('connecting')
      setSynced(false)
      setFromCache(false)
      setRefused(null)
      setWriteRefused(null)
      setNotice(null)
    }
  }, [roomId, token])

  if (!live) return null
  return { ...live, status, synced, loaded: synced || fromCache, unsyncedChanges, refused, writeRefused, notice }
}
