/**
 * Which server closes end the connection for good, and what to show while waiting after one that
 * will pass. The y-websocket 3.x client treats every 4400–4499 close as final; our server keeps
 * those for final refusals and closes with 1013 (try again later) and a reason for everything that
 * passes, so this page and a plain client both come back by themselves.
 */
import { CLOSE_CODES } from '../../shared/api.ts'

export function shouldReconnect(event: { code: number }): boolean {
  return !(event.code >= 4400 && event.code < 4500)
}

const WAITING_MESSAGES: Readonly<Record<string, string>> = {
  'this workshop is full': 'This workshop is full. Waiting for a place…',
  'too many connections from this address': 'Too many connections from this network. Waiting for a place…',
  'sending too fast': 'The server asked this page to slow down. Reconnecting…',
  'too many refused changes':
    'Too many of your changes were refused. Reconnecting… If this keeps happening, reload the page.',
  'no message received in time': 'The connection was too slow to start. Reconnecting…',
}

/** What to show while waiting to reconnect after a close that will pass; null for none. */
export function waitingMessage(event: { code: number; reason: string }): string | null {
  if (event.code !== CLOSE_CODES.tryAgainLater) return null
  return WAITING_MESSAGES[event.reason] ?? 'The server is busy. Reconnecting…'
}
