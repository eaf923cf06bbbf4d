/**
 * What a connection needs of the rooms layer, declared here so that sync/ depends on no room
 * implementation: rooms/ implements these (Room, RoomRegistry), and the dependency runs one way.
 */
import type { Peer } from './peer.ts'
import type { IncomingMessage } from './protocol.ts'

/** A loaded room as a connection uses it. */
export interface SyncRoom {
  /** True once the room was unloaded or evicted: a connection then loads it afresh. */
  readonly closed: boolean
  join(peer: Peer): void
  leave(peer: Peer): void
  /** Applies one decoded message; throws for content that cannot be applied (the connection is closed with 4400). */
  handle(peer: Peer, message: IncomingMessage, frame: Uint8Array): void
}

/** Loads rooms for connections. */
export interface RoomSource {
  /** The loaded room, loading it first; undefined when no such room exists; rejects with AtCapacityError when full. */
  acquire(roomId: string): Promise<SyncRoom | undefined>
}

/** A room could not be loaded because every loaded room is in use and the cap is reached. */
export class AtCapacityError extends Error {}
