import type { MiddlewareHandler } from 'hono'

/**
 * A Host header that is a host name or bracketed IPv6 address with an optional port. The header
 * is the client's to choose and lands inside the policy, so anything else (a `;` would start a
 * directive of the client's making) is left out rather than echoed.
 */
const PLAIN_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * Headers on every response. Scripts, styles, fonts and images come from this origin only (tldraw's
 * assets are self-hosted); the one extra source is this server's own websocket origin.
 * 'unsafe-inline' styles are needed by tldraw, which positions shapes with inline styles.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const host = c.req.header('host') ?? ''
    const wsOrigins = PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : ''
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        // data: because Vite inlines tldraw's smallest translation files, which tldraw fetches.
        `connect-src 'self' data:${wsOrigins}`,
        // tldraw's blob: workers, and the app's service worker (/sw.js) that keeps it for offline reloads.
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    )
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('X-Frame-Options', 'DENY')
    // Invite links carry tokens in the query string: never leak them to other sites.
    c.header('Referrer-Policy', 'no-referrer')
  }
}
