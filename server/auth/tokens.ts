/**
 * Invite tokens: HS256 JWTs naming one room and one role, with an expiry. A token is the only
 * credential; whoever holds the participant link is a participant of that room.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { roleSchema, type Role } from '../../shared/roles.ts'

export interface TokenClaims {
  roomId: string
  role: Role
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'missing' | 'expired' | 'invalid' | 'other-room' }

export class TokenSigner {
  constructor(private readonly secret: Uint8Array, private readonly ttlSeconds: number) {}

  async sign(roomId: string, role: Role, ttlSeconds = this.ttlSeconds): Promise<string> {
    return new SignJWT({ role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(roomId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.secret)
  }

  /** Checks a token for one room; the reason is for logs and error messages, never the token. */
  async verify(token: string | undefined | null, roomId: string): Promise<TokenCheck> {
    if (!token) return { ok: false, reason: 'missing' }
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] })
      const role = roleSchema.safeParse(payload.role)
      if (!role.success || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
        return { ok: false, reason: 'invalid' }
      }
      if (payload.sub !== roomId) return { ok: false, reason: 'other-room' }
      return { ok: true, claims: { roomId: payload.sub, role: role.data } }
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

export const TOKEN_FAILURE_MESSAGES: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  missing: 'This link has no access token. Ask the facilitator for an invite link.',
  expired: 'This invite link has expired. Ask the facilitator for a new one.',
  invalid: 'This invite link is not valid. Ask the facilitator for a new one.',
  'other-room': 'This invite link is for a different workshop.',
}
