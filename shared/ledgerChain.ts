/**
 * The ledger as a hash chain, after Certificate Transparency's logs: every entry the server writes
 * holds `prev`, the `hash` of the entry before it (GENESIS for the first), and `hash`, the SHA-256
 * of its own canonical content (every field but `hash`, keys sorted, as JSON). Changing an entry
 * changes its hash; removing one leaves the entry after it pointing at a hash that is not there.
 * Either is found by `verifyLedger`, from the entries alone (an export, offline).
 *
 * Two instances of the server appending at the same moment (multi-instance mode) may both chain
 * from the same head: the log is then a tree, not a line, and every entry still has to point at
 * an entry before it. Entries written before the chain existed carry no hash; they are counted,
 * and may only come before the first chained entry.
 */
import { digest } from 'lib0/hash/sha256'

/** The `prev` of the first chained entry. */
export const GENESIS = '0'.repeat(64)

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`
}

/** The SHA-256, in hex, of an entry's content: everything but its own `hash`. */
export function entryHash(entry: Readonly<Record<string, unknown>>): string {
  const { hash: _hash, ...content } = entry
  return hex(digest(new TextEncoder().encode(canonicalJson(content))))
}

/** `entry` chained after `prev`. */
export function chainEntry<T extends Record<string, unknown>>(
  entry: T,
  prev: string,
): T & { prev: string; hash: string } {
  const linked = { ...entry, prev }
  return { ...linked, hash: entryHash(linked) }
}

const isHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)

/** The hash the next entry chains from: the last chained entry's, or GENESIS. */
export function chainHead(entries: readonly unknown[]): string {
  for (let i = entries.length - 1; i >= 0; i--) {
    const hash = (entries[i] as { hash?: unknown } | null)?.hash
    if (isHash(hash)) return hash
  }
  return GENESIS
}

export interface ChainBreak {
  /** Position in the ledger, from 0. */
  index: number
  /** The entry's id, when it has one. */
  id: string | null
  problem: string
}

export interface LedgerVerification {
  ok: boolean
  entries: number
  chained: number
  /** Entries from before the chain (no hash), all before the first chained one. */
  unchained: number
  /** The last entry's hash: what a receipt or a snapshot can quote. */
  head: string
  breaks: ChainBreak[]
}

/** Checks every entry's hash and link; the entries as exported, in order. */
export function verifyLedger(entries: readonly unknown[]): LedgerVerification {
  const seen = new Set<string>([GENESIS])
  const breaks: ChainBreak[] = []
  let chained = 0
  let unchained = 0
  entries.forEach((raw, index) => {
    const entry = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null
    const id = typeof entry?.id === 'string' ? entry.id : null
    const fail = (problem: string) => breaks.push({ index, id, problem })
    if (!entry) return fail('is not a ledger entry')
    if (entry.hash === undefined && entry.prev === undefined) {
      if (chained > 0) return fail('has no hash, after the chain began: it was added or stripped afterwards')
      unchained++
      return
    }
    chained++
    if (!isHash(entry.hash) || !isHash(entry.prev)) return fail('has a malformed hash or link')
    if (entryHash(entry) !== entry.hash) fail('does not match its hash: its content was changed')
    else if (!seen.has(entry.prev)) fail('points at an entry that is not before it: an entry was removed or moved')
    seen.add(entry.hash)
  })
  return { ok: breaks.length === 0, entries: entries.length, chained, unchained, head: chainHead(entries), breaks }
}
