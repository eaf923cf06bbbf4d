/**
 * Who a request comes from: the address the per-address limits count against (sync connections,
 * workshops created), and whether it is this machine (/metrics without METRICS_TOKEN).
 */
import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'

/**
 * The address a request counts against. Behind a load balancer every request comes from the
 * balancer, so with TRUST_PROXY the last X-Forwarded-For hop (the one the balancer added) is used;
 * earlier hops are the client's own say and could be anything.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',')
    const last = hops?.[hops.length - 1]?.trim()
    if (last) return last
  }
  return getConnInfo(c).remote.address ?? 'unknown'
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1'
}
