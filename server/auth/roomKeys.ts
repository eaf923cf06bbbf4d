/**
 * Each room's current key id per role, the thing invite revocation turns on: a token is accepted
 * only while the key id it carries is its role's current one, so rotating a role's key id revokes
 * every link of that role at once.
 *
 * Key ids are read from the store once per room and kept in memory (a bounded cache), so checking
 * a token costs no database read after the first; a rotation writes the store, then the cache.
 * With several instances (multi-instance mode), a rotation is announced on the bus once stored;
 * the others update their caches and close the revoked connections (applyRemoteRotation), and
 * after a bus outage, when an announcement may have been missed, they forget every cached key.
 *
 * Rooms stored before key ids existed have none (null) until their first rotation; a null key id
 * accepts exactly the tokens without one, which are the only kind such a room ever issued.
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '../../shared/roles.ts'
import type { RoleKeyIds, Store } from '../storage/store.ts'
import { LocalBus, type Bus, type KeyRotation } from '../bus/bus.ts'

/** 96 random bits: enough that an old key id never comes back. */
export const newKeyId = (): string => randomBytes(12).toString('base64url')

export const newRoleKeyIds = (): RoleKeyIds => ({ facilitator: newKeyId(), participant: newKeyId(), observer: newKeyId() })

/** Whether a token's key id is its role's current one. */
export const keyIdIsCurrent = (keys: RoleKeyIds, role: Role, kid: string | null): boolean => keys[role] === kid

const DEFAULT_CACHE_SIZE = 10_000

export class RoomKeys {
  private readonly cache = new Map<string, RoleKeyIds>()
  /** Reads in flight, so that a burst of connections to one room reads the store once. */
  private readonly reading = new Map<string, Promise<RoleKeyIds | undefined>>()
  /** Bumped by every rotation, so that a read that started before one is not cached after it. */
  private generation = 0

  constructor(
    private readonly store: Store,
    private readonly maxCached = DEFAULT_CACHE_SIZE,
    private readonly bus: Bus = new LocalBus(),
  ) {}

  /** The room's key ids; undefined when there is no such room. */
  get(roomId: string): Promise<RoleKeyIds | undefined> {
    const cached = this.cache.get(roomId)
    if (cached) return Promise.resolve(cached)
    let pending = this.reading.get(roomId)
    if (!pending) {
      const generation = this.generation
      pending = this.store.getRoom(roomId).then((room) => {
        if (!room) return undefined
        // A rotation while this read was in flight wins: its key ids are the current ones.
        if (generation !== this.generation) return this.cache.get(roomId) ?? room.keys
        this.remember(roomId, room.keys)
        return room.keys
      })
      pending = pending.finally(() => this.reading.delete(roomId))
      this.reading.set(roomId, pending)
    }
    return pending
  }

  /** The cached key ids, without reading the store (undefined when not cached). */
  peek(roomId: string): RoleKeyIds | undefined {
    return this.cache.get(roomId)
  }

  /** Remembers the key ids of a room just created. */
  remember(roomId: string, keys: RoleKeyIds): void {
    this.cache.delete(roomId)
    this.cache.set(roomId, keys)
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
  }

  /** Gives `role` a new key id (stored first, then cached) and returns the room's key ids. */
  async rotate(roomId: string, role: Role): Promise<RoleKeyIds> {
    const current = await this.get(roomId)
    if (!current) throw new Error('no such room')
    const kid = newKeyId()
    await this.store.setRoleKey(roomId, role, kid)
    this.generation++
    const keys = { ...(this.cache.get(roomId) ?? current), [role]: kid }
    this.remember(roomId, keys)
    this.bus.publishKeyRotation({ roomId, role, kid })
    return keys
  }

  /** Another instance rotated a key id (already stored): take it into the cache. */
  applyRemoteRotation(rotation: KeyRotation): void {
    this.generation++
    const cached = this.cache.get(rotation.roomId)
    if (cached) this.remember(rotation.roomId, { ...cached, [rotation.role]: rotation.kid })
  }

  /** Drops every cached key id, so the next check of each room reads the store. */
  forgetAll(): void {
    this.generation++
    this.cache.clear()
  }
}
