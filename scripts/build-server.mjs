// Bundles the server's own code (server/ and shared/) into dist-server/main.mjs, so production
// runs plain JavaScript without a TypeScript loader. Packages stay external: Node loads them from
// node_modules as usual (better-sqlite3 is native and cannot be bundled).
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

await build({
  entryPoints: [path.join(root, 'server', 'main.ts')],
  outfile: path.join(root, 'dist-server', 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
