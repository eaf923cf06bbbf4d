// npm start: build the client when dist/ is missing or older than its sources, then serve
// app, REST and sync on one port.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const builtMarker = path.join(root, 'dist', 'index.html')
const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(root, p))

function newestMtime(target) {
  let stat
  try {
    stat = fs.statSync(target)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

function buildIsStale() {
  let built
  try {
    built = fs.statSync(builtMarker).mtimeMs
  } catch {
    return true
  }
  return sources.some((source) => newestMtime(source) > built)
}

if (process.env.SKIP_BUILD !== '1' && buildIsStale()) {
  console.log(JSON.stringify({ t: new Date().toISOString(), level: 'info', event: 'client.build', reason: 'dist missing or stale' }))
  const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('The client build failed; see the messages above.')
    process.exit(result.status ?? 1)
  }
}

process.chdir(root)
register()
await import('../server/main.ts')
