/**
 * Refuses requests a browser sent on behalf of another website. Needed where a route takes no
 * credential of its own (creating a workshop): without it any page a person visits could make
 * their browser create workshops, from inside their network and under their address.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiException } from './errors.ts'

const refusal = () =>
  new ApiException(
    403,
    'cross_site_request',
    'This request came from another website. Create workshops from the Commonpot page itself.',
  )

/**
 * 403 when the browser says the request is cross-site (`Sec-Fetch-Site`), or when it names an
 * `Origin` that is neither the host the request was sent to nor PUBLIC_URL's. Same-site is let
 * through by the first check only: the Origin check still holds it to this host. Clients that
 * send neither header (curl, scripts, other servers) are not browsers acting for someone else.
 */
export function sameOriginOnly(publicUrl: string | undefined): MiddlewareHandler {
  // Behind a proxy that rewrites Host, the page's origin is the public one, not the Host we see.
  const publicOrigin = publicUrl === undefined ? null : new URL(publicUrl).origin
  return async (c, next) => {
    if (c.req.header('sec-fetch-site')?.toLowerCase() === 'cross-site') throw refusal()
    const origin = c.req.header('origin')
    if (origin !== undefined && !isOwnOrigin(origin, c.req.header('host'), publicOrigin)) throw refusal()
    await next()
  }
}

function isOwnOrigin(origin: string, host: string | undefined, publicOrigin: string | null): boolean {
  let sent: URL
  try {
    // "null" (a sandboxed frame, a file) does not parse, and is nobody's page here.
    sent = new URL(origin)
  } catch {
    return false
  }
  if (sent.origin === publicOrigin) return true
  if (host === undefined) return false
  try {
    // Read the Host under the origin's scheme, so that a default port written or left out compares equal.
    return new URL(`${sent.protocol}//${host}`).host === sent.host
  } catch {
    return false
  }
}
