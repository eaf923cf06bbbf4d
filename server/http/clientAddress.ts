import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'

/**
 * The address a request counts against, for the per-address limits (sync connections, workshops
 * created). Behind a load balancer every request comes from the balancer, so with TRUST_PROXY the
 * last X-Forwarded-For hop (the one the balancer added) is used; earlier hops are the client's own
 * say and could be anything.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',')
    const last = hops?.[hops.length - 1]?.trim()
    if (last) return last
  }
  return getConnInfo(c).remote.address ?? 'unknown'
}
