/**
 * The sync endpoint: a y-websocket connection per browser tab, admitted with the same token check
 * as REST, then served by sync/connection.ts.
 */
import { Hono, type Context } from 'hono'
import { upgradeWebSocket } from '@hono/node-server'
import type { WebSocket } from 'ws'
import { CLOSE_CODES } from '../../../shared/api.ts'
import { USER_SECRET_PATTERN, userIdOfSecret } from '../../../shared/userKey.ts'
import type { Access } from '../../auth/access.ts'
import { linkIdentityOf, syncCredentialsFromRequest, TOKEN_FAILURE_MESSAGES } from '../../auth/tokens.ts'
import type { Config } from '../../config.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import { serveConnection, type Admission, type ConnectionOptions } from '../../sync/connection.ts'
import { ConnectionSlots } from '../../sync/limits.ts'
import { clientAddress } from '../clientAddress.ts'
import { ApiException } from '../errors.ts'

const ROOM_ID = /^[A-Za-z0-9_-]{16,64}$/

export interface SyncRouteDeps {
  config: Config
  registry: RoomRegistry
  access: Access
}

/** Mounted at /sync. */
export function syncRoutes({ config, registry, access }: SyncRouteDeps): Hono {
  const routes = new Hono()
  const connectionLimits = {
    maxBufferedBytes: config.maxBufferedBytes,
    rate: config.rate,
    maxAwarenessBytes: config.maxAwarenessBytes,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    slots: new ConnectionSlots({ perIp: config.maxConnectionsPerIp, perRoom: config.maxConnectionsPerRoom }),
  }

  /** Whether the connection may join `roomId`, and as whom; refusals are close codes, not HTTP answers. */
  const admit = async (c: Context, roomId: string): Promise<Admission> => {
    if (!ROOM_ID.test(roomId)) return { ok: false, code: CLOSE_CODES.noSuchRoom, reason: 'no such workshop' }
    const { token, userSecret: secret } = syncCredentialsFromRequest(new URL(c.req.url), {
      authorization: c.req.header('authorization'),
      subprotocols: c.req.header('sec-websocket-protocol'),
    })
    const check = await access.check(token, roomId)
    if (check.ok) {
      const { claims } = check
      return {
        ok: true,
        role: claims.role,
        kid: claims.kid,
        link: linkIdentityOf(claims),
        orgKid: claims.orgKid,
        provenUserId: secret !== null && USER_SECRET_PATTERN.test(secret) ? userIdOfSecret(secret) : null,
        recheck: () => (access.stillCurrent(roomId, claims) ? null : TOKEN_FAILURE_MESSAGES.revoked),
      }
    }
    if (check.reason === 'no-room') return { ok: false, code: CLOSE_CODES.noSuchRoom, reason: 'no such workshop' }
    // The close reason is what the person is told (the client shows it).
    return { ok: false, code: CLOSE_CODES.unauthorized, reason: TOKEN_FAILURE_MESSAGES[check.reason] }
  }

  routes.get(
    '/:roomId',
    upgradeWebSocket(async (c) => {
      const roomId = c.req.param('roomId') ?? ''
      const admission = await admit(c, roomId)
      const options: ConnectionOptions = { ...connectionLimits, ip: clientAddress(c, config.trustProxy) }
      return {
        onOpen(_event, ws) {
          serveConnection(ws.raw as WebSocket, roomId, admission, registry, options)
        },
      }
    }),
  )
  // Anything else here, a plain GET included, is not a websocket upgrade.
  routes.all('/*', () => {
    throw new ApiException(
      426,
      'upgrade_required',
      'The sync endpoint speaks the y-websocket protocol over a websocket.',
    )
  })

  return routes
}
