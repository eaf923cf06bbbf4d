/**
 * Sends only this page's own presence. The y-websocket client sends every presence change its
 * awareness sees to the server, including those it has just received from the server: in a room
 * of N people each cursor move came back N−1 times (yjs/yjs#732). The server drops such echoes
 * (server/rooms/room.ts), but each still cost every page an upload and the server a decode, and
 * a moving cursor in a room of 50 made ~1,500 of them a second.
 */
import type { WebsocketProvider } from 'y-websocket'

export type PresenceSender = Pick<WebsocketProvider, 'awareness' | '_awarenessUpdateHandler'>

export function sendOwnPresenceOnly(provider: PresenceSender): void {
  const send = provider._awarenessUpdateHandler
  provider.awareness.off('update', send)
  // Replaced in place so that the provider's destroy() removes this handler, not the original.
  // What the server sent (origin: the provider) and others' presence timing out here stay here.
  provider._awarenessUpdateHandler = (changes, origin) => {
    if (origin !== provider && origin !== 'timeout') send(changes, origin)
  }
  provider.awareness.on('update', provider._awarenessUpdateHandler)
}
