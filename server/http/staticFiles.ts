/**
 * Serves the built client from dist/: hashed assets with a year's caching, and index.html for
 * every other GET so that client-side routes (/r/:roomId) load the app.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Context } from 'hono'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

export interface StaticSite {
  handle(c: Context): Response
}

export function staticSite(distDir: string): StaticSite {
  const root = path.resolve(distDir)
  const indexFile = path.join(root, 'index.html')

  // The app shell is served for every client route; dist/ does not change while the server runs
  // (npm start builds before serving), so read it once.
  let indexHtml: string | null = null
  const missingBuild = (c: Context): Response =>
    c.text('The client is not built. Run `npm run build` (npm start does it for you).', 503)

  return {
    handle(c) {
      let pathname: string
      try {
        pathname = decodeURIComponent(new URL(c.req.url).pathname)
      } catch {
        return c.text('Bad path', 400)
      }
      const file = path.join(root, path.normalize(pathname))
      if (file.startsWith(root + path.sep) && !pathname.endsWith('/')) {
        try {
          const stat = fs.statSync(file)
          if (stat.isFile()) {
            const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
            const immutable = pathname.startsWith('/assets/')
            return new Response(fs.readFileSync(file), {
              headers: {
                'Content-Type': type,
                'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
              },
            })
          }
        } catch {
          // fall through to the app shell
        }
      }
      if (path.extname(pathname) !== '' && !pathname.startsWith('/r/')) return c.text('Not found', 404)
      try {
        indexHtml ??= fs.readFileSync(indexFile, 'utf8')
        return new Response(indexHtml, { headers: { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' } })
      } catch {
        return missingBuild(c)
      }
    },
  }
}
