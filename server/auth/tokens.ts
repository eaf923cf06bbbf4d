/**
 * Invite tokens: HS256 JWTs naming one room, one role, the role's key id and an expiry. A token
 * is the only credential; whoever holds the participant link is a participant of that room.
 *
 * Revocation: each room keeps one random key id per role (server/auth/roomKeys.ts), and a token
 * carries the key id it was signed under (`kid` claim). Rotating a role's key id makes every
 * token of that role signed before fail with 'revoked'. Rooms created before key ids existed
 * have none until their first rotation; their tokens carry none either (see roomKeys.ts).
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { roleSchema, type Role } from '../../shared/roles.ts'

export interface TokenClaims {
  roomId: string
  role: Role
  /** The role's key id the token was signed under; null for tokens of rooms from before key ids. */
  kid: string | null
}

export type TokenFailure = 'missing' | 'expired' | 'invalid' | 'other-room' | 'revoked'
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: Exclude<TokenFailure, 'revoked'> }

export interface SignedToken {
  token: string
  /** When the token expires, in ms since 1970. */
  expiresAt: number
}

export class TokenSigner {
  constructor(private readonly secret: Uint8Array, readonly defaultTtlSeconds: number) {}

  /** Signs a token for `role` in `roomId` under the role's key id `kid` (null: none, legacy rooms). */
  async sign(roomId: string, role: Role, kid: string | null, ttlSeconds = this.defaultTtlSeconds): Promise<SignedToken> {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds
    const token = await new SignJWT(kid === null ? { role } : { role, kid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(roomId)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.secret)
    return { token, expiresAt: exp * 1000 }
  }

  /**
   * Checks a token's signature, expiry and room; the reason is for logs and error messages, never
   * the token. Whether its key id is still the role's current one is checked by the caller
   * (server/auth/access.ts), which knows the room's keys.
   */
  async verify(token: string | undefined | null, roomId: string): Promise<TokenCheck> {
    if (!token) return { ok: false, reason: 'missing' }
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] })
      const role = roleSchema.safeParse(payload.role)
      const kid = payload.kid
      if (!role.success || typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || (kid !== undefined && typeof kid !== 'string')) {
        return { ok: false, reason: 'invalid' }
      }
      if (payload.sub !== roomId) return { ok: false, reason: 'other-room' }
      return { ok: true, claims: { roomId: payload.sub, role: role.data, kid: kid ?? null } }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' }
      return { ok: false, reason: 'invalid' }
    }
  }
}

/** Token from `?token=` or `Authorization: Bearer …`. */
export function tokenFromRequest(url: URL, authorization: string | undefined): string | undefined {
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  const match = authorization?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

/**
 * What people are told, over REST (401 `{error: {code: 'token_<reason>', message}}`) and as the
 * reason of the websocket's 4401 close (each fits the 123 bytes a close reason may hold).
 */
export const TOKEN_FAILURE_MESSAGES: Record<TokenFailure, string> = {
  missing: 'This link has no access token. Ask the facilitator for an invite link.',
  expired: 'This invite link has expired. Ask the facilitator for a new one.',
  invalid: 'This invite link is not valid. Ask the facilitator for a new one.',
  'other-room': 'This invite link is for a different workshop.',
  revoked: 'This invite link has been revoked. Ask the facilitator for a new one.',
}

/** The REST error code for a token failure: token_missing, token_expired, token_other_room, … */
export const tokenErrorCode = (reason: TokenFailure): string => `token_${reason.replace('-', '_')}`
