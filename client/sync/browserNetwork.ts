/**
 * Acts on the browser's own news about the network. A socket whose network has gone can stay
 * "open" for up to 30 s (until y-websocket notices the silence), and the changes made meanwhile
 * would look sent; and once the network is back the provider may be sleeping in its backoff. So
 * on `offline` the socket is dropped at once (the provider goes on trying, which fails fast while
 * offline and succeeds at once where `offline` was wrong, e.g. a server on this machine), and on
 * `online` a reconnection starts straight away.
 */
import type { WebsocketProvider } from 'y-websocket'

/** Where the news comes from: the window in a page, any EventTarget in a test. */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void
  removeEventListener(type: 'online' | 'offline', listener: () => void): void
}

export function followBrowserNetwork(provider: WebsocketProvider, target: NetworkEvents = window): () => void {
  const restart = () => {
    // Not after a final refusal, nor once the page has let go of the room.
    if (!provider.shouldConnect) return
    provider.disconnect()
    provider.connect()
  }
  const onOffline = () => {
    if (provider.wsconnected || provider.wsconnecting) restart()
  }
  const onOnline = () => {
    if (!provider.wsconnected) restart()
  }
  target.addEventListener('offline', onOffline)
  target.addEventListener('online', onOnline)
  return () => {
    target.removeEventListener('offline', onOffline)
    target.removeEventListener('online', onOnline)
  }
}
