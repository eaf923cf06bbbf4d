/**
 * Puts zod in "jitless" mode before any module of the app runs.
 *
 * The CSP allows no eval, so zod's compiled parsers are out of reach anyway; but zod probes for
 * eval (`new Function`) as each object schema is built, and the browser reports that probe as a
 * CSP violation: noise among the violations that would show an injected script. Calling
 * `z.config()` from a module is too late, because bundled chunks that build schemas at load run
 * before the entry's own code. A classic script in the page's head runs before every module
 * script, and zod reads the setting from `globalThis.__zod_globalConfig` when it loads.
 */
import { createHash } from 'node:crypto'
import type { Plugin } from 'vite'

const SOURCE =
  'globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });\n'
// Under assets/ with its content's hash: served immutable, and kept by the service worker.
const FILE = `assets/zod-jitless-${createHash('sha256').update(SOURCE).digest('hex').slice(0, 8)}.js`

export function zodJitlessPlugin(): Plugin {
  return {
    name: 'commonpot-zod-jitless',
    transformIndexHtml: () => [{ tag: 'script', attrs: { src: `/${FILE}` }, injectTo: 'head-prepend' }],
    configureServer(server) {
      server.middlewares.use(`/${FILE}`, (_request, response) => {
        response.setHeader('Content-Type', 'text/javascript; charset=utf-8')
        response.end(SOURCE)
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: FILE, source: SOURCE })
    },
  }
}
