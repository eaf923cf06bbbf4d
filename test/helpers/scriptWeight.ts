/**
 * The JavaScript a page fetches, weighed as it travels (gzip, as the server's compression or a
 * CDN would send it): for the first-page budget (test/e2e/lightFirstPage.test.ts) and the bundle
 * figures (test/bench/bundleSizes.ts).
 */
import zlib from 'node:zlib'
import type { BrowserContext, Page, Response } from 'playwright-core'

export interface ScriptFile {
  /** The path of the file (`/assets/index-….js`). */
  path: string
  /** Its body's size once gzipped (node's default level). */
  gzipBytes: number
  body: string
  /** Fetched by a service worker (installing, it fetches every file), not by the page. */
  byWorker: boolean
}

export interface ScriptWatch {
  /** Every script the page has fetched so far, bodies read. */
  files(): Promise<ScriptFile[]>
}

const isScript = (response: Response): boolean =>
  response.request().resourceType() === 'script' || /javascript/.test(response.headers()['content-type'] ?? '')

/**
 * Starts collecting script responses (set up before the page navigates). A context's include what
 * its service workers fetch, a page's only the page's own.
 */
export function watchScripts(target: Page | BrowserContext): ScriptWatch {
  const pending: Promise<ScriptFile | null>[] = []
  target.on('response', (response: Response) => {
    if (!isScript(response)) return
    pending.push(
      response.body().then(
        (body) => ({
          path: new URL(response.url()).pathname,
          gzipBytes: zlib.gzipSync(body).length,
          body: body.toString('utf8'),
          byWorker: response.request().serviceWorker() !== null,
        }),
        () => null,
      ),
    )
  })
  return {
    async files() {
      const files = (await Promise.all(pending)).filter((file): file is ScriptFile => file !== null)
      // A module preloaded and then imported, or also fetched by a worker, is one file: count it once.
      const byPath = new Map<string, ScriptFile>()
      for (const file of files) {
        const seen = byPath.get(file.path)
        if (!seen || (seen.byWorker && !file.byWorker)) byPath.set(file.path, file)
      }
      return [...byPath.values()]
    },
  }
}

export const totalGzip = (files: readonly ScriptFile[]): number => files.reduce((sum, file) => sum + file.gzipBytes, 0)

/** tldraw's chunk is named so by the build (vite.config.ts). */
export const isTldrawChunk = (file: ScriptFile): boolean => /\/tldraw-[^/]*\.js$/.test(file.path)

/** ProseMirror's view names its editable element's class: present in any chunk holding TipTap. */
export const holdsTipTap = (file: ScriptFile): boolean => file.body.includes('ProseMirror-focused')
