import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { Role } from '../../shared/roles.ts'
import type { FramedBatch } from './framedBatch.ts'

/**
 * One connection in a room, as the room sees it. The websocket details (framing, buffering,
 * back-pressure) stay in sync/connection.ts.
 */
export interface Peer {
  readonly id: number
  readonly role: Role
  /** The key id of the token the connection was admitted with (revoking the role closes it). */
  readonly kid: string | null
  /** Who the link says this connection is, from the verified token (role, organisation bound to, name, link id). */
  readonly link: LinkIdentity
  /**
   * The organisation key id of a bound link's token (revoking that organisation's links of the
   * role closes it); null or absent for a general link.
   */
  readonly orgKid?: string | null
  /**
   * The user id this connection proved it speaks for, derived from the secret it sent as `?user=`
   * on the sync URL (shared/userKey.ts); null when it sent none (plain y-websocket clients).
   */
  readonly provenUserId?: string | null
  /** Awareness client ids this connection has published; removed when it leaves. */
  readonly controlledClients: Set<number>
  /** Sends one frame now; `written` is called once the frame has been handed to the socket whole (not if it never is). */
  send(frame: Uint8Array, written?: () => void): void
  /** Sends a flush's messages in one write, leaving out those at the indexes in `skip`. */
  sendBatch(batch: FramedBatch, skip: readonly number[] | undefined): void
  close(code: number, reason: string): void
}
