// npm start: build the client (dist/) and the server bundle (dist-server/) when missing or older
// than their sources, then serve app, REST and sync on one port.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const builds = [
  {
    name: 'client',
    output: path.join(root, 'dist', 'index.html'),
    sources: ['client', 'shared', 'vite.config.ts', 'package-lock.json'],
    command: [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
  },
  {
    name: 'server',
    output: path.join(root, 'dist-server', 'main.mjs'),
    sources: ['server', 'shared', 'scripts/build-server.mjs', 'package-lock.json'],
    command: [path.join(root, 'scripts', 'build-server.mjs')],
  },
]

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

function isStale(build) {
  let built
  try {
    built = fs.statSync(build.output).mtimeMs
  } catch {
    return true
  }
  return build.sources.some((source) => newestMtime(path.join(root, source)) > built)
}

for (const build of builds) {
  if (process.env.SKIP_BUILD === '1' || !isStale(build)) continue
  console.log(
    JSON.stringify({
      t: new Date().toISOString(),
      level: 'info',
      event: `${build.name}.build`,
      reason: 'missing or stale',
    }),
  )
  const result = spawnSync(process.execPath, build.command, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`The ${build.name} build failed; see the messages above.`)
    process.exit(result.status ?? 1)
  }
}

process.chdir(root)
await import('../dist-server/main.mjs')
