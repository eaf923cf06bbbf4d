/**
 * What this device remembers: who the person is, and the invite token of each workshop they
 * opened (so that the token can leave the address bar, where it would show in a screen share).
 */
import { identitySchema, type Identity } from '../shared/presence.ts'
import { newUserSecret, USER_SECRET_PATTERN, userIdOfSecret } from '../shared/userKey.ts'

const IDENTITY_KEY = 'commonpot.identity'
const USER_ID_KEY = 'commonpot.userId'
const USER_SECRET_KEY = 'commonpot.userSecret'
const ORGANISER_KEY_KEY = 'commonpot.organiserKey'
const tokenKey = (roomId: string) => `commonpot.token.${roomId}`
const joinedKey = (roomId: string) => `commonpot.joined.${roomId}`
const invitesShownKey = (roomId: string) => `commonpot.invitesShown.${roomId}`

function read(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key)
  } catch {
    return null
  }
}

function write(storage: Storage, key: string, value: string): void {
  try {
    storage.setItem(key, value)
  } catch {
    // Private browsing or a full quota: the app still works, it just forgets.
  }
}

export function loadIdentity(): Identity | null {
  const raw = read(localStorage, IDENTITY_KEY)
  if (!raw) return null
  try {
    const parsed = identitySchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function saveIdentity(identity: Identity): void {
  write(localStorage, IDENTITY_KEY, JSON.stringify(identity))
}

/**
 * This device's secret, stable across visits. Its digest is the person's user id, and the page
 * sends it when it connects, so that the server knows that id is theirs and nobody else's
 * (shared/userKey.ts). It never goes into the workshop document.
 */
export function deviceUserSecret(): string {
  const existing = read(localStorage, USER_SECRET_KEY)
  if (existing && USER_SECRET_PATTERN.test(existing)) return existing
  const secret = newUserSecret()
  write(localStorage, USER_SECRET_KEY, secret)
  // A random id from before ids were keyed is left behind: the person joins under the keyed one.
  write(localStorage, USER_ID_KEY, userIdOfSecret(secret))
  return secret
}

/** How the workshop knows a returning person: the digest of this device's secret. */
export function deviceUserId(): string {
  return userIdOfSecret(deviceUserSecret())
}

export function loadRoomToken(roomId: string): string | null {
  return read(localStorage, tokenKey(roomId))
}

export function saveRoomToken(roomId: string, token: string): void {
  write(localStorage, tokenKey(roomId), token)
}

type TokenListener = (token: string) => void
const tokenListeners = new Map<string, Set<TokenListener>>()
/** Renewals of this tab's tokens in flight or done: old token → the new one (null: it failed). */
const renewals = new Map<string, Promise<string | null>>()

/**
 * Replaces this device's token for the room with a renewed one of the same role (the facilitator
 * revoked their own role's links and got a new token) and tells the open workshop page, which
 * reconnects with it.
 */
export function renewRoomToken(roomId: string, token: string): void {
  saveRoomToken(roomId, token)
  for (const listener of tokenListeners.get(roomId) ?? []) listener(token)
}

/** Calls `listener` with each renewed token of the room; returns the unsubscribe function. */
export function onRoomTokenRenewed(roomId: string, listener: TokenListener): () => void {
  let set = tokenListeners.get(roomId)
  if (!set) tokenListeners.set(roomId, (set = new Set()))
  set.add(listener)
  return () => {
    set.delete(listener)
    if (set.size === 0) tokenListeners.delete(roomId)
  }
}

/** Records that `oldToken` is being replaced; `renewed` resolves with its successor or null. */
export function expectTokenRenewal(oldToken: string, renewed: Promise<string | null>): void {
  renewals.set(oldToken, renewed)
}

/** The renewal of `token` started in this tab, if any: a connection it closes should wait for it. */
export function tokenRenewal(token: string): Promise<string | null> | undefined {
  return renewals.get(token)
}

/**
 * Whether this browser already went through the join screen for the room. Kept per device, like
 * the token: a person who opens the workshop in a second tab, or comes back tomorrow, is the same
 * person and is not asked again, until they forget the workshop on this device (ForgetOnDevice).
 * Earlier versions kept it per tab (sessionStorage); such a mark is still read.
 */
export function hasJoined(roomId: string): boolean {
  return read(localStorage, joinedKey(roomId)) === '1' || read(sessionStorage, joinedKey(roomId)) === '1'
}

export function markJoined(roomId: string): void {
  write(localStorage, joinedKey(roomId), '1')
}

/**
 * True the first time it is asked for a room on this device, false after: the invite panel opens
 * by itself once. Where storage is unavailable it stays true, and the panel opens each time, as
 * before (better than a facilitator never seeing the links).
 */
export function takeFirstInviteShowing(roomId: string): boolean {
  if (read(localStorage, invitesShownKey(roomId)) === '1') return false
  write(localStorage, invitesShownKey(roomId), '1')
  return true
}

/** Forgets this device's link to the room (its token) and that this person joined it. */
export function forgetRoomAccess(roomId: string): void {
  for (const [storage, key] of [
    [localStorage, tokenKey(roomId)],
    [localStorage, joinedKey(roomId)],
    [localStorage, invitesShownKey(roomId)],
    [sessionStorage, joinedKey(roomId)],
  ] as const) {
    try {
      storage.removeItem(key)
    } catch {
      // Storage unavailable: there was nothing kept in it either.
    }
  }
}

/**
 * The organiser key, kept for this tab only (sessionStorage): an organiser creating several
 * workshops in a row types it once, and closing the tab forgets it, so the next person at a shared
 * computer does not inherit the right to create workshops. Saved only once the server accepted it.
 */
export function loadOrganiserKey(): string {
  return read(sessionStorage, ORGANISER_KEY_KEY) ?? ''
}

export function saveOrganiserKey(key: string): void {
  write(sessionStorage, ORGANISER_KEY_KEY, key)
}

export function forgetOrganiserKey(): void {
  try {
    sessionStorage.removeItem(ORGANISER_KEY_KEY)
  } catch {
    // Storage unavailable: nothing was kept in it.
  }
}
