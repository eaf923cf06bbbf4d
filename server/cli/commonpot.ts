/**
 * `npx commonpot verify <file> [<file> …] [--key <public key>]`: checks exports offline and says
 * what holds and what does not (shared/verifyExport.ts).
 *
 * - `.json`: a workshop export (`GET /api/rooms/:id/export?format=json`) or a snapshot
 *   (`GET /api/rooms/:id/snapshots/:sid`): the ledger's hash chain, every receipt's signature,
 *   the ledger heads receipts quote, and the wording of every agreed clause against its receipt.
 * - `.ydoc`: a snapshot's bytes (`?format=ydoc`): its SHA-256 against the metadata of a snapshot
 *   JSON given alongside, or against the agreed state a protocol receipt names, and the same
 *   checks on the workshop it holds.
 * - `--key`: the public key published at /api/signing-key (its base64url `publicKey`, that JSON
 *   saved to a file, or a PEM file): receipts must be signed with it. Without it, receipts are
 *   checked against the key they carry and its id is printed for comparison.
 *
 * Exit status: 0 when everything holds, 1 when something does not, 2 when it could not run.
 */
import { createHash, createPublicKey } from 'node:crypto'
import fs from 'node:fs'
import * as Y from 'yjs'
import { buildExport } from '../../shared/export.ts'
import { NotAnExportError, verificationText, verifyExport } from '../../shared/verifyExport.ts'

const USAGE = 'Usage: npx commonpot verify <export.json | snapshot.json | snapshot.ydoc> … [--key <public key or file>]'

class UsageError extends Error {}

/** The trusted key as raw base64url, from the value given to --key. */
function trustedKeyFrom(value: string): string {
  if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value
  let text: string
  try {
    text = fs.readFileSync(value, 'utf8')
  } catch {
    throw new UsageError(`--key: “${value}” is neither a base64url public key nor a file that can be read`)
  }
  if (text.trimStart().startsWith('{')) {
    const publicKey = (JSON.parse(text) as { publicKey?: unknown }).publicKey
    if (typeof publicKey === 'string') return publicKey
    throw new UsageError(`--key: ${value} has no publicKey`)
  }
  try {
    const jwk = createPublicKey(text).export({ format: 'jwk' })
    if (typeof jwk.x === 'string' && jwk.crv === 'Ed25519') return jwk.x
  } catch {
    // Reported below.
  }
  throw new UsageError(`--key: ${value} is not an Ed25519 public key`)
}

function parseArgs(argv: readonly string[]): { files: string[]; key?: string } {
  const [command, ...rest] = argv
  if (command !== 'verify') throw new UsageError(USAGE)
  const files: string[] = []
  let key: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '--key') {
      const value = rest[++i]
      if (!value) throw new UsageError('--key needs a value')
      key = trustedKeyFrom(value)
    } else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}. ${USAGE}`)
    else files.push(arg)
  }
  if (files.length === 0) throw new UsageError(USAGE)
  return { files, key }
}

/** Runs the command; answers the exit status and writes what it found to `write`. */
export async function runCli(argv: readonly string[], write: (line: string) => void): Promise<number> {
  let args: { files: string[]; key?: string }
  try {
    args = parseArgs(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      write(error.message)
      return 2
    }
    throw error
  }
  const jsons = new Map<string, unknown>()
  const ydocs = new Map<string, Uint8Array>()
  for (const file of args.files) {
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(file)
    } catch (error) {
      write(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
      return 2
    }
    if (file.endsWith('.ydoc')) ydocs.set(file, new Uint8Array(bytes))
    else {
      try {
        jsons.set(file, JSON.parse(bytes.toString('utf8')))
      } catch {
        write(`${file}: is not JSON`)
        return 2
      }
    }
  }
  if (args.key) write(`Trusted key: ${args.key}`)
  let allOk = true
  const declared = new Map<string, string>() // sha256 → file whose snapshot metadata quotes it
  for (const [file, json] of jsons) {
    const sha = (json as { snapshot?: { sha256?: unknown } } | null)?.snapshot?.sha256
    if (typeof sha === 'string') declared.set(sha, file)
    // A receipt of the protocol agreed names the snapshot of the agreed state by its SHA-256.
    const content = (json as { content?: unknown } | null)?.content ?? json
    const receipts = (content as { receipts?: unknown } | null)?.receipts
    if (Array.isArray(receipts))
      for (const [i, receipt] of receipts.entries()) {
        const named = (receipt as { snapshot?: { sha256?: unknown } } | null)?.snapshot?.sha256
        if (typeof named === 'string' && !declared.has(named)) declared.set(named, `receipt ${i + 1} of ${file}`)
      }
    write('')
    write(file)
    try {
      const report = await verifyExport(json, args.key)
      for (const line of verificationText(report)) write(`  ${line}`)
      allOk &&= report.ok
    } catch (error) {
      if (!(error instanceof NotAnExportError)) throw error
      write(`  NOT VERIFIED: ${error.message}`)
      allOk = false
    }
  }
  for (const [file, bytes] of ydocs) {
    write('')
    write(file)
    const sha = createHash('sha256').update(bytes).digest('hex')
    const quotedBy = declared.get(sha)
    if (quotedBy) write(`  ok    SHA-256 ${sha} is the one ${quotedBy} quotes`)
    else if (declared.size > 0) {
      write(`  FAIL  SHA-256 ${sha} is not the one any snapshot given quotes: these bytes were changed`)
      allOk = false
    } else write(`  SHA-256 ${sha} (give the snapshot's JSON too, to compare with what the server recorded)`)
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, bytes)
    } catch {
      write('  NOT VERIFIED: these bytes are not a workshop document')
      allOk = false
      continue
    }
    const report = await verifyExport(buildExport(doc), args.key)
    for (const line of verificationText(report)) write(`  ${line}`)
    allOk &&= report.ok
  }
  write('')
  write(allOk ? 'Everything checked holds.' : 'Something does not hold: see FAIL above.')
  return allOk ? 0 : 1
}
