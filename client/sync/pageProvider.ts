/**
 * What every workshop page's provider does beyond the y-websocket library: jittered reconnect
 * delays, presence re-announced at each connect, and only its own presence sent. One place, so
 * that tests standing in for browsers (test/helpers/syncClient.ts) behave exactly as pages do.
 */
import type { WebsocketProvider } from 'y-websocket'
import { sendOwnPresenceOnly } from './presenceEcho.ts'
import { reannouncePresenceOnConnect } from './presenceOnReconnect.ts'
import { addReconnectJitter } from './reconnectJitter.ts'

export function behaveAsAPage(provider: WebsocketProvider): void {
  // Pages that lost the server together must not all come back at the same instant.
  addReconnectJitter(provider)
  reannouncePresenceOnConnect(provider)
  sendOwnPresenceOnly(provider)
}
