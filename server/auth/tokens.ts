/**
 * Invite tokens: HS256 JWTs naming one room, one role, the role's key id and an expiry. A token
 * is the only credential; whoever holds the participant link is a participant of that room.
 *
 * Revocation: each room keeps one random key id per role (server/auth/roomKeys.ts), and a token
 * carries the key id it was signed under (`kid` claim). Rotating a role's key id makes every
 * token of that role signed before fail with 'revoked'. Rooms created before key ids existed
 * have none until their first rotation; their tokens carry none either (see roomKeys.ts).
 *
 * Organisation-bound links (issue #16) also carry `org` (the organisation), optionally `name`
 * (the person's name, a label) and `okid`, the key id of (room, role, organisation) they were
 * signed under: revoking one organisation's links rotates that key id alone. Every token signed
 * now carries `lid`, a random id of the link. Tokens from before have none of these and stay
 * valid, as general links.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose'
import { LINK_NAME_MAX, LINK_ORGANISATION_MAX, type LinkIdentity } from '../../shared/linkIdentity.ts'
import { roleSchema, type Role } from '../../shared/roles.ts'
import { credentialsFromSubprotocols } from '../../shared/syncCredentials.ts'

export interface TokenClaims {
  roomId: string
  role: Role
  /** The role's key id the token was signed under; null for tokens of rooms from before key ids. */
  kid: string | null
  /** The organisation the link is bound to (claim `org`); null for a general link. */
  organisation: string | null
  /** The person's name the facilitator put on the link (claim `name`); null when none. */
  name: string | null
  /** The link's random id (claim `lid`); null for tokens signed before link ids. */
  linkId: string | null
  /** The key id of (room, role, organisation) a bound token was signed under (claim `okid`); null when unbound. */
  orgKid: string | null
}

/** What a link is bound to when it is signed: the organisation, its current key id, and a name. */
export interface LinkBinding {
  organisation: string
  orgKid: string
}

export interface SignOptions {
  /** Lifetime in seconds; the signer's default (TOKEN_TTL_DAYS) when not given. */
  ttlSeconds?: number | undefined
  /** Binds the link to an organisation; a general link when not given. */
  binding?: LinkBinding | undefined
  /** The person's name to put on the link. */
  name?: string | undefined
}

/** The identity a verified token gives its holder (what the sync server calls `peer.link`). */
export const linkIdentityOf = (claims: TokenClaims): LinkIdentity => ({
  role: claims.role,
  organisation: claims.organisation,
  name: claims.name,
  linkId: claims.linkId,
})

/** 96 random bits: a link id is for telling links apart in the record, not a secret. */
const newLinkId = (): string => randomBytes(12).toString('base64url')

const optionalText = (value: unknown, max: number): string | null | undefined => {
  if (value === undefined) return null
  if (typeof value !== 'string' || value.length === 0 || value.length > max) return undefined
  return value
}

/** The claims of a verified payload, or null when they are not what this server signs. */
function claimsOf(payload: JWTPayload, roomId: string): TokenClaims | null {
  const role = roleSchema.safeParse(payload.role)
  const kid = optionalText(payload.kid, 200)
  const organisation = optionalText(payload.org, LINK_ORGANISATION_MAX)
  const name = optionalText(payload.name, LINK_NAME_MAX)
  const linkId = optionalText(payload.lid, 200)
  const orgKid = optionalText(payload.okid, 200)
  if (
    !role.success ||
    kid === undefined ||
    organisation === undefined ||
    name === undefined ||
    linkId === undefined ||
    orgKid === undefined
  )
    return null
  // A bound token without its organisation's key id could never be revoked on its own.
  if ((organisation === null) !== (orgKid === null)) return null
  return { roomId, role: role.data, kid, organisation, name, linkId, orgKid }
}

export type TokenFailure = 'missing' | 'expired' | 'invalid' | 'other-room' | 'revoked'
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: Exclude<TokenFailure, 'revoked'> }

export interface SignedToken {
  token: string
  /** When the token expires, in ms since 1970. */
  expiresAt: number
}

export class TokenSigner {
  constructor(
    private readonly secret: Uint8Array,
    readonly defaultTtlSeconds: number,
  ) {}

  /**
   * Signs a token for `role` in `roomId` under the role's key id `kid` (null: none, legacy rooms),
   * with a fresh link id, bound to an organisation when `options.binding` says so.
   */
  async sign(roomId: string, role: Role, kid: string | null, options: SignOptions = {}): Promise<SignedToken> {
    const exp = Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? this.defaultTtlSeconds)
    const claims: JWTPayload = { role, lid: newLinkId() }
    if (kid !== null) claims.kid = kid
    if (options.binding) {
      claims.org = options.binding.organisation
      claims.okid = options.binding.orgKid
    }
    if (options.name !== undefined) claims.name = options.name
    const token = await new SignJWT(claims)
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
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' }
      const claims = claimsOf(payload, payload.sub)
      if (!claims) return { ok: false, reason: 'invalid' }
      if (payload.sub !== roomId) return { ok: false, reason: 'other-room' }
      return { ok: true, claims }
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
 * The token and user secret of a sync connection: from its `Sec-WebSocket-Protocol` header
 * (`commonpot.token.…`, `commonpot.user.…`, see shared/syncCredentials.ts), which is how the app
 * sends them, so that they stay out of URLs and the logs that keep URLs; otherwise `?token=`
 * (or `Authorization: Bearer`) and `?user=`, which standard y-websocket clients and other tools use.
 */
export function syncCredentialsFromRequest(
  url: URL,
  headers: { authorization: string | undefined; subprotocols: string | undefined },
): { token: string | undefined; userSecret: string | null } {
  const offered = credentialsFromSubprotocols(headers.subprotocols)
  return {
    token: offered.token ?? tokenFromRequest(url, headers.authorization),
    userSecret: offered.user ?? url.searchParams.get('user'),
  }
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
