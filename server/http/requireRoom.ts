import type { MiddlewareHandler } from 'hono'
import type { Access } from '../auth/access.ts'
import { TOKEN_FAILURE_MESSAGES, tokenErrorCode, tokenFromRequest, type TokenClaims } from '../auth/tokens.ts'
import { ApiException, noSuchRoom } from './errors.ts'

/** What `requireRoom` leaves in `c.var` for the handlers after it. */
export interface RoomEnv {
  Variables: {
    /** The workshop in the route's `:id`. */
    roomId: string
    /** Who is asking, from a token that is current for that workshop. */
    claims: TokenClaims
  }
}

export interface RequireRoom {
  /** Any current token for the room in `:id`: 401 for a bad, expired or revoked one, 404 for no room. */
  (): MiddlewareHandler<RoomEnv>
  /** The same, then 403 to every other role, naming the `action` only the facilitator may take. */
  (role: 'facilitator', action: string): MiddlewareHandler<RoomEnv>
}

/**
 * `requireRoom`, checking tokens against `access`. Routes put it before their body validator: a
 * caller without the right link is refused the same way whatever they send.
 */
export function roomGuard(access: Access): RequireRoom {
  return (role?: 'facilitator', action?: string): MiddlewareHandler<RoomEnv> =>
    async (c, next) => {
      const roomId = c.req.param('id')
      if (roomId === undefined) throw new Error('requireRoom is only for routes with an :id')
      const check = await access.check(tokenFromRequest(new URL(c.req.url), c.req.header('authorization')), roomId)
      if (!check.ok) {
        if (check.reason === 'no-room') throw noSuchRoom()
        throw new ApiException(401, tokenErrorCode(check.reason), TOKEN_FAILURE_MESSAGES[check.reason])
      }
      if (role !== undefined && check.claims.role !== role)
        throw new ApiException(403, 'forbidden', `Only the ${role} can ${action}.`)
      c.set('roomId', roomId)
      c.set('claims', check.claims)
      await next()
    }
}
