/**
 * Builds client/offline/serviceWorker.ts as dist/sw.js (a fixed name: browsers look for the worker
 * at the same address every time) and writes in front of it the list of this build's files and a
 * version derived from them, so that each build installs its own cache and drops the last one.
 */
import { createHash } from 'node:crypto'
import type { Plugin } from 'vite'
import { precacheFiles, SHELL_MANIFEST_GLOBAL, type ShellManifest } from '../client/offline/shellCache.ts'

const WORKER_FILE = 'sw.js'

export function serviceWorkerPlugin(entry: string): Plugin {
  return {
    name: 'commonpot-service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: WORKER_FILE })
    },
    generateBundle(_options, bundle) {
      const worker = bundle[WORKER_FILE]
      if (worker?.type !== 'chunk') throw new Error(`the service worker was not built as ${WORKER_FILE}`)
      if (worker.imports.length > 0)
        throw new Error(`${WORKER_FILE} must stand alone, but imports ${worker.imports.join(', ')}`)
      const files = precacheFiles(Object.keys(bundle).filter((name) => name !== WORKER_FILE))
      // Asset names carry their content's hash; index.html's content changes with them.
      const hash = createHash('sha256')
      for (const name of files) hash.update(`${name}\n`)
      const page = bundle['index.html']
      if (page?.type === 'asset') hash.update(page.source)
      const manifest: ShellManifest = { version: hash.digest('hex').slice(0, 16), files }
      worker.code = `self.${SHELL_MANIFEST_GLOBAL}=${JSON.stringify(manifest)};\n${worker.code}`
    },
  }
}
