/**
 * Who is asking: a token checked against its signature, expiry and room (tokens.ts), then against
 * the room's current key id for its role and, for a link bound to an organisation, the current
 * key id of that organisation's links of the role (roomKeys.ts). One function for REST and sync
 * alike, so both refuse the same tokens for the same reasons.
 */
import type { RoomKeys } from './roomKeys.ts'
import { keyIdIsCurrent } from './roomKeys.ts'
import type { TokenClaims, TokenFailure, TokenSigner } from './tokens.ts'

export type AccessCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: TokenFailure }
  /** The token is genuine but its room does not exist (any more). */
  | { ok: false; reason: 'no-room' }

export class Access {
  constructor(
    private readonly signer: TokenSigner,
    readonly keys: RoomKeys,
  ) {}

  async check(token: string | undefined | null, roomId: string): Promise<AccessCheck> {
    const verified = await this.signer.verify(token, roomId)
    if (!verified.ok) return verified
    const keys = await this.keys.get(roomId)
    if (!keys) return { ok: false, reason: 'no-room' }
    const { role, kid, organisation, orgKid } = verified.claims
    if (!keyIdIsCurrent(keys, role, kid)) return { ok: false, reason: 'revoked' }
    if (organisation !== null && (await this.keys.organisationKey(roomId, role, organisation)) !== orgKid)
      return { ok: false, reason: 'revoked' }
    return verified
  }

  /**
   * Whether a token admitted earlier is still good, from the in-memory key ids only: used when a
   * connection finally joins its room, in case the role or its organisation's links were revoked
   * while the room loaded.
   */
  stillCurrent(roomId: string, claims: Pick<TokenClaims, 'role' | 'kid' | 'organisation' | 'orgKid'>): boolean {
    const keys = this.keys.peek(roomId)
    if (keys && !keyIdIsCurrent(keys, claims.role, claims.kid)) return false
    if (claims.organisation === null) return true
    const orgKid = this.keys.peekOrganisationKey(roomId, claims.role, claims.organisation)
    return orgKid === undefined || orgKid === claims.orgKid
  }
}
