/**
 * What is not a workshop: the server's clock, what the create page needs to know, health and
 * metrics.
 */
import { Hono } from 'hono'
import type { ServerConfig, ServerTime } from '../../../shared/api.ts'
import type { Config } from '../../config.ts'
import { renderMetrics } from '../../metrics.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'

/** Mounted at /. */
export function serviceRoutes(registry: RoomRegistry, config: Pick<Config, 'roomCreation'>): Hono {
  const routes = new Hono()

  // The shared timer runs on the server's clock: clients measure their offset against this.
  routes.get('/api/time', (c) => c.json({ now: Date.now() } satisfies ServerTime, 200, { 'Cache-Control': 'no-store' }))

  // Whether the create page asks for an organiser key. Not cached: a restart may change the mode.
  routes.get('/api/config', (c) =>
    c.json({ roomCreation: config.roomCreation } satisfies ServerConfig, 200, { 'Cache-Control': 'no-store' }),
  )

  routes.get('/healthz', (c) => c.json({ ok: true, rooms: registry.loadedRooms, peers: registry.connectedPeers }))

  routes.get('/metrics', (c) =>
    c.text(renderMetrics({ rooms_loaded: registry.loadedRooms, peers_connected: registry.connectedPeers }), 200, {
      'Content-Type': 'text/plain; version=0.0.4',
    }),
  )

  return routes
}
