/**
 * Who is asking: a token checked against its signature, expiry and room (tokens.ts), then against
 * the room's current key id for its role (roomKeys.ts). One function for REST and sync alike, so
 * both refuse the same tokens for the same reasons.
 */
import type { Role } from '../../shared/roles.ts'
import type { RoomKeys } from './roomKeys.ts'
import { keyIdIsCurrent } from './roomKeys.ts'
import type { TokenClaims, TokenFailure, TokenSigner } from './tokens.ts'

export type AccessCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: TokenFailure }
  /** The token is genuine but its room does not exist (any more). */
  | { ok: false; reason: 'no-room' }

export class Access {
  constructor(private readonly signer: TokenSigner, readonly keys: RoomKeys) {}

  async check(token: string | undefined | null, roomId: string): Promise<AccessCheck> {
    const verified = await this.signer.verify(token, roomId)
    if (!verified.ok) return verified
    const keys = await this.keys.get(roomId)
    if (!keys) return { ok: false, reason: 'no-room' }
    const { role, kid } = verified.claims
    if (!keyIdIsCurrent(keys, role, kid)) return { ok: false, reason: 'revoked' }
    return verified
  }

  /**
   * Whether a token admitted earlier is still good, from the in-memory key ids only: used when a
   * connection finally joins its room, in case the role was revoked while the room loaded.
   */
  stillCurrent(roomId: string, role: Role, kid: string | null): boolean {
    const keys = this.keys.peek(roomId)
    return keys ? keyIdIsCurrent(keys, role, kid) : true
  }
}
