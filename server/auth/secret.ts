import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * The token-signing secret: SECRET when set, otherwise one generated on first start and kept in
 * DATA_DIR so that invite links survive restarts.
 */
export function loadSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured)
  const file = path.join(dataDir, 'secret')
  try {
    const existing = fs.readFileSync(file, 'utf8').trim()
    if (existing.length >= 32) return new TextEncoder().encode(existing)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const generated = randomBytes(32).toString('base64url')
  fs.mkdirSync(dataDir, { recursive: true })
  // wx: never overwrite a secret another process wrote at the same moment.
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSecret(undefined, dataDir)
    throw error
  }
  return new TextEncoder().encode(generated)
}
