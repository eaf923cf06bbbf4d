/**
 * The bus between instances serving the same rooms (multi-instance mode). Each instance relays
 * what a flush made durable in one room to the other instances that have the room loaded, and
 * announces key rotations so that every instance refuses a revoked link at once. Implementations:
 * LocalBus (one instance: nothing to relay) and RedisBus (REDIS_URL); bus/open.ts picks one.
 */
import type { Role } from '../../shared/roles.ts'

/**
 * A role's key id changed (an invite revocation), stored before it is announced; with
 * `organisation`, the key id of that role's links bound to the organisation changed instead.
 */
export interface KeyRotation {
  roomId: string
  role: Role
  kid: string
  organisation?: string
}

/** Receives the frames one flush of another instance sent to its peers (sync updates, awareness). */
export type RoomFramesHandler = (frames: Uint8Array[]) => void

export interface Bus {
  /** False for the single-instance bus: callers skip building what nobody would receive. */
  readonly shared: boolean
  /**
   * Starts delivering the room's messages from other instances to `handler`; resolves once the
   * subscription is in place, so that nothing published afterwards is missed. Rejects when the
   * bus cannot subscribe (the room load fails and the client retries).
   */
  subscribeRoom(roomId: string, handler: RoomFramesHandler): Promise<void>
  unsubscribeRoom(roomId: string): void
  /** Sends a flush's frames to the other instances; only call once they are durable. */
  publishRoom(roomId: string, frames: readonly Uint8Array[]): void
  publishKeyRotation(rotation: KeyRotation): void
  onKeyRotation(handler: (rotation: KeyRotation) => void): void
  /**
   * Called when the bus reconnects after an outage, during which messages may have been missed:
   * loaded rooms catch up from the store and cached key ids are forgotten.
   */
  onReconnect(handler: () => void): void
  close(): Promise<void>
}

/** One instance: there is nobody to relay to. */
export class LocalBus implements Bus {
  readonly shared = false
  async subscribeRoom(): Promise<void> {}
  unsubscribeRoom(): void {}
  publishRoom(): void {}
  publishKeyRotation(): void {}
  onKeyRotation(): void {}
  onReconnect(): void {}
  async close(): Promise<void> {}
}
