/**
 * How the page carries its credentials to the sync endpoint without putting them in the URL:
 * as websocket subprotocols (the `Sec-WebSocket-Protocol` request header), which a browser lets a
 * page set and which servers, proxies and browser histories do not log the way they log URLs.
 *
 * The page offers `commonpot` (which the server selects and echoes: a browser fails a connection
 * whose server selects none of the protocols it offered), then `commonpot.token.<token>` and
 * `commonpot.user.<secret>`. The server selects `commonpot` only, so neither credential is ever
 * echoed. Clients that cannot set subprotocols keep using `?token=` and `?user=`.
 */
import { z } from 'zod'

/** The subprotocol the server selects; it carries nothing secret. */
export const SYNC_SUBPROTOCOL = 'commonpot'
const TOKEN_PREFIX = `${SYNC_SUBPROTOCOL}.token.`
const USER_PREFIX = `${SYNC_SUBPROTOCOL}.user.`

/**
 * A subprotocol must be an HTTP token (RFC 6455 §4.1, RFC 7230 tchar), or the browser's WebSocket
 * constructor throws. A JWT (base64url and dots) and a user secret (base64url) are tokens as they
 * are; anything else is percent-encoded, with the two characters encodeURIComponent leaves that
 * are not tchars, `(` and `)`, encoded too. A value holding no `%` therefore reads back unchanged,
 * so other tools may put a JWT in verbatim.
 */
export function encodeSubprotocolValue(value: string): string {
  return encodeURIComponent(value).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** The HTTP token characters (RFC 7230 tchar). */
export const SUBPROTOCOL_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** The protocols a page offers: `commonpot` first, then its credentials. */
export function syncSubprotocols({ token, user }: { token: string; user?: string | null }): string[] {
  const protocols = [SYNC_SUBPROTOCOL, TOKEN_PREFIX + encodeSubprotocolValue(token)]
  if (user) protocols.push(USER_PREFIX + encodeSubprotocolValue(user))
  return protocols
}

export interface SubprotocolCredentials {
  token: string | undefined
  user: string | undefined
}

// A request header is whatever the client sent: bounded before it is decoded or verified.
const credentialSchema = z.string().min(1).max(8192)

const decoded = (value: string): string | undefined => {
  try {
    const text = decodeURIComponent(value)
    return credentialSchema.safeParse(text).success ? text : undefined
  } catch {
    return undefined
  }
}

/**
 * The credentials a `Sec-WebSocket-Protocol` header carries (undefined each when absent or not
 * readable); the first of each kind counts.
 */
export function credentialsFromSubprotocols(header: string | null | undefined): SubprotocolCredentials {
  const found: SubprotocolCredentials = { token: undefined, user: undefined }
  if (!header) return found
  let sawToken = false
  let sawUser = false
  for (const raw of header.split(',')) {
    const protocol = raw.trim()
    if (!sawToken && protocol.startsWith(TOKEN_PREFIX)) {
      sawToken = true
      found.token = decoded(protocol.slice(TOKEN_PREFIX.length))
    } else if (!sawUser && protocol.startsWith(USER_PREFIX)) {
      sawUser = true
      found.user = decoded(protocol.slice(USER_PREFIX.length))
    }
  }
  return found
}

/**
 * The protocol the server answers with, given the ones offered: `commonpot` when offered;
 * otherwise, as the `ws` library does by default, the first offered, unless it is one of ours (a
 * credential is never echoed); none (false) when nothing else is left.
 */
export function selectSubprotocol(offered: Iterable<string>): string | false {
  const list = [...offered]
  if (list.includes(SYNC_SUBPROTOCOL)) return SYNC_SUBPROTOCOL
  const other = list.find((p) => !p.startsWith(`${SYNC_SUBPROTOCOL}.`))
  return other ?? false
}
