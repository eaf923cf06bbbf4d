/**
 * The HTTP surface: REST under /api, the sync endpoint, health and metrics, and the built client.
 * Each group of routes is a module under http/routes/; this file only decides their order.
 */
import type { ReceiptSigner } from './auth/signingKey.ts'
import { signingKeyRoutes } from './http/routes/signingKey.ts'
import { Hono, type MiddlewareHandler } from 'hono'
import type { Access } from './auth/access.ts'
import type { TokenSigner } from './auth/tokens.ts'
import type { Config } from './config.ts'
import { answerError, ApiException } from './http/errors.ts'
import { inviteLinks } from './http/links.ts'
import { roomGuard } from './http/requireRoom.ts'
import { exportRoutes } from './http/routes/exports.ts'
import { inviteRoutes } from './http/routes/invites.ts'
import { ledgerRoutes } from './http/routes/ledger.ts'
import { roomRoutes } from './http/routes/rooms.ts'
import { serviceRoutes } from './http/routes/service.ts'
import { snapshotRoutes } from './http/routes/snapshots.ts'
import { syncRoutes } from './http/routes/sync.ts'
import { securityHeaders } from './http/securityHeaders.ts'
import { staticSite } from './http/staticFiles.ts'
import type { RoomRegistry } from './rooms/registry.ts'
import type { Store } from './storage/store.ts'

export { newRoomId } from './http/routes/rooms.ts'

export interface AppDeps {
  config: Config
  store: Store
  registry: RoomRegistry
  signer: TokenSigner
  access: Access
  /** Signs sign-off receipts; its public key is served at /api/signing-key. */
  receiptSigner: ReceiptSigner
}

const noStore: MiddlewareHandler = async (c, next) => {
  await next()
  c.res.headers.set('Cache-Control', 'no-store')
}

export function createApp(deps: AppDeps): Hono {
  const { config } = deps
  const app = new Hono()
  app.use('*', securityHeaders())
  // Sub-apps have no handler of their own, so whatever a route throws is answered here.
  app.onError(answerError)

  const routeDeps = { ...deps, links: inviteLinks(config, deps.signer), requireRoom: roomGuard(deps.access) }
  // Every room response answers a token (exports, snapshots, invite links): no browser or proxy
  // may keep one, so a shared machine or cache never hands a workshop to the next person.
  app.use('/api/rooms/*', noStore)
  // The same for whatever else a token reaches: the sync endpoint's answers (the upgrade carries
  // the token, in its subprotocols or its query), an invite link's page (/r/…?token=, whose URL a
  // cache would keep as its key) and any request with a credential in its query.
  app.use('/sync/*', noStore)
  app.use('/r/*', noStore)
  app.use('*', async (c, next) => {
    await next()
    const query = new URL(c.req.url).searchParams
    if (query.has('token') || query.has('user')) c.res.headers.set('Cache-Control', 'no-store')
  })
  app.route('/', serviceRoutes(deps))
  app.route('/', signingKeyRoutes(deps.receiptSigner))
  app.route('/api/rooms', roomRoutes(routeDeps))
  app.route('/api/rooms', inviteRoutes(routeDeps))
  app.route('/api/rooms', exportRoutes(routeDeps))
  app.route('/api/rooms', ledgerRoutes(routeDeps))
  app.route('/api/rooms', snapshotRoutes(routeDeps))
  // After every API route: an unknown one is a JSON 404, never the app shell.
  app.all('/api/*', () => {
    throw new ApiException(404, 'not_found', 'No such API endpoint.')
  })

  app.route('/sync', syncRoutes(deps))

  // Last: every other GET is the client, which routes /r/:roomId and the rest itself.
  const site = staticSite(config.distDir)
  app.get('*', (c) => site.handle(c))

  return app
}
