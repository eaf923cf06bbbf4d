/**
 * Which server closes end the connection for good. The y-websocket 3.x client treats every
 * 4400–4499 close as final; our server also uses 4429 for "too fast" and "too many connections",
 * and 4408 for a socket that said nothing in time (a tab frozen in the background, a network
 * crawling at a venue), which pass, so the client waits (with its backoff) and reconnects instead
 * of giving up.
 */
import { CLOSE_CODES } from '../../shared/api.ts'

export function shouldReconnect(event: { code: number }): boolean {
  if (event.code === CLOSE_CODES.tooManyRequests || event.code === CLOSE_CODES.handshakeTimeout) return true
  return !(event.code >= 4400 && event.code < 4500)
}

/** What to show while waiting to reconnect after a close that will pass; null for none. */
export function waitingMessage(event: { code: number; reason: string }): string | null {
  if (event.code === CLOSE_CODES.tooManyRequests) {
    if (event.reason === 'this workshop is full') return 'This workshop is full. Waiting for a place…'
    return 'The server asked this page to slow down. Reconnecting…'
  }
  if (event.code === CLOSE_CODES.tryAgainLater) return 'The server is busy. Reconnecting…'
  if (event.code === CLOSE_CODES.handshakeTimeout) return 'The connection was too slow to start. Reconnecting…'
  return null
}
