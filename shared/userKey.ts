/**
 * A person's user id, provable. The browser keeps a random secret (never written into the
 * document) and uses as its user id a digest of it; it sends the secret when it connects (`user`
 * on the sync URL), and the server derives the same id. Whoever does not hold the secret cannot
 * speak for that id: not write its member record, lower its hand, or place its dots (see
 * server/sync/writeGuard.ts). Pure JavaScript SHA-256 (lib0), as Web Crypto is absent over plain
 * http on a LAN address.
 */
import { digest } from 'lib0/hash/sha256'
import { toBase64UrlEncoded } from 'lib0/buffer'

/** Secrets are 32 random bytes, base64url: 43 characters. */
export const USER_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/

const base64url = (bytes: Uint8Array): string => toBase64UrlEncoded(bytes).replace(/=+$/, '')

/** The user id a secret stands for: 22 base64url characters (132 bits) of its SHA-256. */
export function userIdOfSecret(secret: string): string {
  return `k${base64url(digest(new TextEncoder().encode(`commonpot-user:${secret}`))).slice(0, 21)}`
}

export function newUserSecret(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64url(random(new Uint8Array(32)))
}
