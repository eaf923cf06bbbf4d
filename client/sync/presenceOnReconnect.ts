/**
 * Presence after a reconnect. Every page keeps the clock of each person's presence it has seen,
 * even after it dropped that presence when the connection closed, and ignores a presence that is
 * not newer. y-websocket resends this page's presence at its old clock when it reconnects, so
 * after a server restart the others would not show this person again until the next renewal, up
 * to 15 s later (yjs/y-websocket#122). Setting the same state again moves the clock on.
 */
import type { WebsocketProvider } from 'y-websocket'

export type PresenceTarget = Pick<WebsocketProvider, 'awareness' | 'on' | 'off'>

/** Re-announces this page's presence, with a newer clock, each time the connection opens; answers a function that stops it. */
export function reannouncePresenceOnConnect(provider: PresenceTarget): () => void {
  const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (status !== 'connected') return
    const state = provider.awareness.getLocalState()
    if (state !== null) provider.awareness.setLocalState(state)
  }
  provider.on('status', onStatus)
  return () => provider.off('status', onStatus)
}
