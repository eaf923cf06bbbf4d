/**
 * Organiser keys: with ROOM_CREATION=key, creating a workshop needs one of the keys in
 * ORGANISER_KEYS, sent as `Authorization: Bearer <key>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

export type OrganiserKeyCheck = 'ok' | 'missing' | 'wrong'

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

export class OrganiserKeys {
  // Compared as SHA-256 digests: timingSafeEqual needs equal lengths, and digests have them
  // whatever was sent, so the time taken says nothing about a key's length or its first characters.
  private readonly digests: readonly Buffer[]

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest)
  }

  /** Checks the key in an Authorization header; every configured key is compared, match or not. */
  check(authorization: string | undefined): OrganiserKeyCheck {
    const presented = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
    if (presented === undefined) return 'missing'
    const sent = digest(presented)
    let matched = false
    for (const known of this.digests) matched = timingSafeEqual(sent, known) || matched
    return matched ? 'ok' : 'wrong'
  }
}
