/**
 * Builds the server bundle, and makes one temporary root for every directory the tests create (server data dirs, browser profiles),
 * removed when the run ends, whatever the outcome.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default function setup(): () => void {
  // Integration and browser tests run the production server bundle; rebuild it so that it is
  // never older than the source under test (esbuild takes well under a second).
  execFileSync(process.execPath, [path.join(import.meta.dirname, '..', 'scripts', 'build-server.mjs')], {
    stdio: 'inherit',
  })
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'commonpot-tests-'))
  process.env.COMMONPOT_TEST_TMP = root
  return () => fs.rmSync(root, { recursive: true, force: true })
}
