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
 *
 * Links bound to an organisation also carry the key id of (room, role, organisation), made when
 * the first such link is, and rotated to revoke that organisation's links alone. Those are read
 * lazily, each once, into the room's cache entry (so they leave with it); an instance that missed
 * one being made reads it at its first check.
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '../../shared/roles.ts'
import type { RoleKeyIds, Store } from '../storage/store.ts'
import { LocalBus, type Bus, type KeyRotation } from '../bus/bus.ts'

/** 96 random bits: enough that an old key id never comes back. */
export const newKeyId = (): string => randomBytes(12).toString('base64url')

export const newRoleKeyIds = (): RoleKeyIds => ({
  facilitator: newKeyId(),
  participant: newKeyId(),
  observer: newKeyId(),
})

/** Whether a token's key id is its role's current one. */
export const keyIdIsCurrent = (keys: RoleKeyIds, role: Role, kid: string | null): boolean => keys[role] === kid

const DEFAULT_CACHE_SIZE = 10_000

/** Organisation key ids within a room's cache entry, by role and organisation. */
const orgKeyOf = (role: Role, organisation: string): string => `${role}\u0000${organisation}`

interface CachedRoom {
  roles: RoleKeyIds
  /** The organisation key ids read or made so far; a missing one is read from the store. */
  organisations: Map<string, string>
}

export class RoomKeys {
  private readonly cache = new Map<string, CachedRoom>()
  /** Reads in flight, so that a burst of connections to one room reads the store once. */
  private readonly reading = new Map<string, Promise<RoleKeyIds | undefined>>()
  /** Organisation key reads in flight, by room, role and organisation. */
  private readonly readingOrg = new Map<string, Promise<string | undefined>>()
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
    if (cached) return Promise.resolve(cached.roles)
    let pending = this.reading.get(roomId)
    if (!pending) {
      const generation = this.generation
      pending = this.store.getRoom(roomId).then((room) => {
        if (!room) return undefined
        // A rotation while this read was in flight wins: its key ids are the current ones.
        if (generation !== this.generation) return this.cache.get(roomId)?.roles ?? room.keys
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
    return this.cache.get(roomId)?.roles
  }

  /** Remembers the key ids of a room just created (or read); organisation keys already cached stay. */
  remember(roomId: string, keys: RoleKeyIds): void {
    const organisations = this.cache.get(roomId)?.organisations ?? new Map<string, string>()
    this.cache.delete(roomId)
    this.cache.set(roomId, { roles: keys, organisations })
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
    const keys = { ...(this.cache.get(roomId)?.roles ?? current), [role]: kid }
    this.remember(roomId, keys)
    this.bus.publishKeyRotation({ roomId, role, kid })
    return keys
  }

  /**
   * The current key id of (room, role, organisation): from the cache, else read once from the
   * store. Undefined when no link of the role was ever bound to the organisation (or no room).
   */
  async organisationKey(roomId: string, role: Role, organisation: string): Promise<string | undefined> {
    if (!(await this.get(roomId))) return undefined
    const key = orgKeyOf(role, organisation)
    const cached = this.cache.get(roomId)?.organisations.get(key)
    if (cached !== undefined) return cached
    const readKey = `${roomId}\u0000${key}`
    let pending = this.readingOrg.get(readKey)
    if (!pending) {
      const generation = this.generation
      pending = this.store.getOrganisationKey(roomId, role, organisation).then((kid) => {
        // A rotation while this read was in flight may have changed it: keep what the cache has then.
        if (generation !== this.generation) return this.cache.get(roomId)?.organisations.get(key) ?? kid
        if (kid !== undefined) this.cache.get(roomId)?.organisations.set(key, kid)
        return kid
      })
      pending = pending.finally(() => this.readingOrg.delete(readKey))
      this.readingOrg.set(readKey, pending)
    }
    return pending
  }

  /** The organisation key id cached for (room, role, organisation), without reading the store. */
  peekOrganisationKey(roomId: string, role: Role, organisation: string): string | undefined {
    return this.cache.get(roomId)?.organisations.get(orgKeyOf(role, organisation))
  }

  /**
   * The key id to bind a new link of `role` to `organisation` under: the current one, or a new one
   * stored now when this is the organisation's first link of the role.
   */
  async ensureOrganisationKey(roomId: string, role: Role, organisation: string): Promise<string> {
    const existing = await this.organisationKey(roomId, role, organisation)
    if (existing !== undefined) return existing
    const generation = this.generation
    // Another instance may make the first link at the same moment: the store keeps one of the two.
    const kid = await this.store.ensureOrganisationKey(roomId, role, organisation, newKeyId())
    if (generation === this.generation) this.cache.get(roomId)?.organisations.set(orgKeyOf(role, organisation), kid)
    return kid
  }

  /** Gives (role, organisation) a new key id (stored first, then cached, then announced) and returns it. */
  async rotateOrganisation(roomId: string, role: Role, organisation: string): Promise<string> {
    if (!(await this.get(roomId))) throw new Error('no such room')
    const kid = newKeyId()
    await this.store.setOrganisationKey(roomId, role, organisation, kid)
    this.generation++
    this.cache.get(roomId)?.organisations.set(orgKeyOf(role, organisation), kid)
    this.bus.publishKeyRotation({ roomId, role, kid, organisation })
    return kid
  }

  /** Another instance rotated a key id (already stored): take it into the cache. */
  applyRemoteRotation(rotation: KeyRotation): void {
    this.generation++
    const cached = this.cache.get(rotation.roomId)
    if (!cached) return
    if (rotation.organisation !== undefined)
      cached.organisations.set(orgKeyOf(rotation.role, rotation.organisation), rotation.kid)
    else this.remember(rotation.roomId, { ...cached.roles, [rotation.role]: rotation.kid })
  }

  /** Drops every cached key id, so the next check of each room reads the store. */
  forgetAll(): void {
    this.generation++
    this.cache.clear()
  }
}
