/**
 * One Yjs document and one y-websocket connection per open workshop, with the connection state
 * the shell shows: connecting / live / offline, whether the first sync has arrived, how many
 * local changes have not reached the server yet, and a final refusal (bad link, no such room).
 */
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { CLOSE_CODES } from '../../shared/api.ts'

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
}

const REFUSALS: Record<number, string> = {
  [CLOSE_CODES.unauthorized]: 'This invite link is not valid for this workshop any more. Ask the facilitator for a new link.',
  [CLOSE_CODES.forbidden]: 'You are not allowed into this workshop.',
  [CLOSE_CODES.noSuchRoom]: 'This workshop does not exist. Check the link you were sent.',
  [CLOSE_CODES.badRequest]: 'The connection was closed because this page sent something the server could not read. Reload the page.',
}

export function useRoomConnection(roomId: string, token: string): RoomConnection | null {
  const [live, setLive] = useState<{ doc: Y.Doc; awareness: Awareness } | null>(null)
  const [status, setStatus] = useState<ConnectionStatus>('connecting')
  const [synced, setSynced] = useState(false)
  const [unsyncedChanges, setUnsynced] = useState(0)
  const [refused, setRefused] = useState<string | null>(null)

  useEffect(() => {
    const doc = new Y.Doc()
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}/sync`, roomId, doc, {
      params: { token },
      connect: false,
      disableBc: true,
    })
    let everConnected = false
    const onStatus = ({ status: s }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (s === 'connected') everConnected = true
      setStatus(s === 'connected' ? 'live' : s === 'connecting' && !everConnected ? 'connecting' : 'offline')
    }
    const onSync = (isSynced: boolean) => {
      if (isSynced) {
        setSynced(true)
        setUnsynced(0)
      }
    }
    const onClosed = (event: { code: number; reason: string }) => {
      setRefused(REFUSALS[event.code] ?? `The server closed the connection (${event.code}${event.reason ? ': ' + event.reason : ''}).`)
    }
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && !(provider.wsconnected && provider.synced)) setUnsynced((n) => n + 1)
    }
    // Leave cleanly when the tab closes, so that others see this person go at once.
    const onPageHide = () => provider.disconnect()
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('closed', onClosed)
    doc.on('update', onUpdate)
    window.addEventListener('pagehide', onPageHide)
    provider.connect()
    setLive({ doc, awareness: provider.awareness })
    return () => {
      window.removeEventListener('pagehide', onPageHide)
      doc.off('update', onUpdate)
      provider.destroy()
      doc.destroy()
      setLive(null)
      setStatus('connecting')
      setSynced(false)
    }
  }, [roomId, token])

  if (!live) return null
  return { ...live, status, synced, unsyncedChanges, refused }
}
