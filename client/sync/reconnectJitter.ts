/**
 * Randomised reconnect delays ("full jitter"). Without them, every page that lost the server at
 * the same moment (a restart, a deploy) retries on the same exponential schedule, so they all
 * arrive together at each retry: a reconnect storm. With full jitter each page waits a uniform
 * random time up to the exponential ceiling, which spreads the arrivals over that whole window.
 *
 * y-websocket 3.x waits min(2^n × 100 ms, provider.maxBackoffTime) after its n-th unsuccessful
 * connection, and emits 'connection-close' just before counting that connection and arming the
 * timer. Setting maxBackoffTime in that event to a random delay no larger than 2^n × 100 ms
 * therefore makes the library wait exactly that delay, without replacing its reconnect logic.
 */
import type { WebsocketProvider } from 'y-websocket'

export interface Backoff {
  /** Ceiling of the first retry's delay is 2 × baseMs; it must not exceed the library's 100 ms. */
  baseMs: number
  /** No delay is longer than this. */
  capMs: number
}

/** The library's own schedule (100 ms base, 2.5 s cap), with jitter below it. */
export const RECONNECT_BACKOFF: Backoff = { baseMs: 100, capMs: 2500 }

/**
 * The delay before the retry that follows the `attempt`-th unsuccessful connection (1 for the
 * first): uniform in [0, min(capMs, baseMs × 2^attempt)], rounded to the millisecond. `random`
 * answers in [0, 1) like Math.random.
 */
export function jitteredDelay(
  attempt: number,
  random: () => number = Math.random,
  backoff: Backoff = RECONNECT_BACKOFF,
): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  return Math.round(Math.min(1, Math.max(0, random())) * ceiling)
}

/** What the jitter needs of a provider (a y-websocket WebsocketProvider). */
export type JitterTarget = Pick<WebsocketProvider, 'maxBackoffTime' | 'wsUnsuccessfulReconnects' | 'on' | 'off'>

/** Makes the provider wait a jittered delay before each reconnect; answers a function that stops it. */
export function addReconnectJitter(
  provider: JitterTarget,
  random: () => number = Math.random,
  backoff: Backoff = RECONNECT_BACKOFF,
): () => void {
  const onClose = () => {
    // The library counts this close right after the event, so the coming retry is number +1.
    provider.maxBackoffTime = jitteredDelay(provider.wsUnsuccessfulReconnects + 1, random, backoff)
  }
  provider.on('connection-close', onClose)
  return () => provider.off('connection-close', onClose)
}
