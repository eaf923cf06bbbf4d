import type { Role } from '../../shared/roles.ts'

/**
 * One connection in a room, as the room sees it. The websocket details (framing, buffering,
 * back-pressure) stay in sync/connection.ts.
 */
export interface Peer {
  readonly id: number
  readonly role: Role
  /** Awareness client ids this connection has published; removed when it leaves. */
  readonly controlledClients: Set<number>
  /** Sends one frame now. */
  send(frame: Uint8Array): void
  /** Sends several frames as one write. */
  sendBatch(frames: readonly Uint8Array[]): void
  close(code: number, reason: string): void
}
