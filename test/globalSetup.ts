/**
 * One temporary root for every directory the tests create (server data dirs, browser profiles),
 * removed when the run ends, whatever the outcome.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'commonpot-tests-'))
  process.env.COMMONPOT_TEST_TMP = root
  return () => fs.rmSync(root, { recursive: true, force: true })
}
