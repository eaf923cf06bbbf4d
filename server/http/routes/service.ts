/**
 * What is not a workshop: the server's clock, what the create page needs to know, health and
 * metrics.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { ServerConfig, ServerTime } from '../../../shared/api.ts'
import type { Config } from '../../config.ts'
import { errorMessage, log } from '../../log.ts'
import { renderMetrics } from '../../metrics.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import type { Store } from '../../storage/store.ts'
import { clientAddress, isLoopback } from '../clientAddress.ts'
import { ApiException } from '../errors.ts'

export interface ServiceRouteDeps {
  config: Pick<Config, 'metricsToken' | 'trustProxy' | 'roomCreation'>
  registry: RoomRegistry
  store: Store
}

/**
 * How long /healthz waits for the store. A balancer's health check gives up after a few seconds;
 * a store slower than this is reported as failing rather than leaving the check to time out.
 */
export const HEALTH_STORE_TIMEOUT_MS = 2000

type StoreHealth = 'ok' | 'unreadable' | 'timeout'

async function storeHealth(store: Store): Promise<{ health: StoreHealth; error?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), HEALTH_STORE_TIMEOUT_MS)
  })
  try {
    const outcome = await Promise.race([store.check().then(() => 'ok' as const), timedOut])
    return { health: outcome }
  } catch (error) {
    return { health: 'unreadable', error: errorMessage(error) }
  } finally {
    clearTimeout(timer)
  }
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** Mounted at /. */
export function serviceRoutes({ config, registry, store }: ServiceRouteDeps): Hono {
  const routes = new Hono()

  // The shared timer runs on the server's clock: clients measure their offset against this.
  routes.get('/api/time', (c) => c.json({ now: Date.now() } satisfies ServerTime, 200, { 'Cache-Control': 'no-store' }))

  // Whether the create page asks for an organiser key. Not cached: a restart may change the mode.
  routes.get('/api/config', (c) =>
    c.json({ roomCreation: config.roomCreation } satisfies ServerConfig, 200, { 'Cache-Control': 'no-store' }),
  )

  // Health is whether this instance can serve: a store it cannot read would lose every edit, so
  // a balancer must take it out (503), not keep sending people to it.
  let lastHealth: StoreHealth = 'ok'
  routes.get('/healthz', async (c) => {
    const { health, error } = await storeHealth(store)
    // Logged when it changes, not on every probe of a balancer.
    if (health !== lastHealth)
      log(health === 'ok' ? 'info' : 'error', 'health.store', { health, ...(error ? { error } : {}) })
    lastHealth = health
    const status = { rooms: registry.loadedRooms, peers: registry.connectedPeers, checks: { store: health } }
    const headers = { 'Cache-Control': 'no-store' }
    if (health === 'ok') return c.json({ ok: true, ...status }, 200, headers)
    const message =
      health === 'timeout'
        ? `The store did not answer within ${HEALTH_STORE_TIMEOUT_MS} ms.`
        : 'The store could not be read.'
    return c.json({ ok: false, ...status, error: { code: 'store_unavailable', message } }, 503, headers)
  })

  // Metrics tell who is connected where and what is being refused: with METRICS_TOKEN set only its
  // bearer reads them; without it, only this machine (a developer's, or a scraper beside the server).
  routes.get('/metrics', (c) => {
    if (config.metricsToken !== undefined) {
      const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
      if (bearer === undefined || !sameSecret(bearer, config.metricsToken))
        throw new ApiException(401, 'metrics_unauthorized', 'Metrics need the bearer token set as METRICS_TOKEN.', {
          'WWW-Authenticate': 'Bearer realm="metrics"',
          'Cache-Control': 'no-store',
        })
    } else if (!isLoopback(clientAddress(c, config.trustProxy))) {
      throw new ApiException(
        403,
        'metrics_local_only',
        'Metrics are served to this machine only; set METRICS_TOKEN to read them from elsewhere.',
        { 'Cache-Control': 'no-store' },
      )
    }
    return c.text(
      renderMetrics({ rooms_loaded: registry.loadedRooms, peers_connected: registry.connectedPeers }),
      200,
      {
        'Content-Type': 'text/plain; version=0.0.4',
        'Cache-Control': 'no-store',
      },
    )
  })

  return routes
}
