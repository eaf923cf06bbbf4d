/**
 * Checks an export offline: the ledger's hash chain (shared/ledgerChain.ts), every sign-off
 * receipt's signature (shared/receipts.ts), that each receipt quotes a ledger head the ledger
 * holds, and that each clause still agreed reads exactly as its receipt says it was signed. For a
 * snapshot's JSON, also that the content's ledger head is the one its metadata quotes. What
 * `npx commonpot verify` prints, and what a test can assert.
 */
import { type LedgerVerification, verifyLedger } from './ledgerChain.ts'
import { checkReceiptSignature, clauseTextHash, type Receipt, receiptSchema } from './receipts.ts'
import { receiptHeading } from './receiptsExport.ts'

export interface ReceiptReport {
  index: number
  id: string | null
  heading: string
  keyId: string | null
  ok: boolean
  /** Why it does not hold (empty when ok). */
  problems: string[]
  /** What a reader should know that is not a failure (a clause reopened since it was signed). */
  notes: string[]
}

export interface VerificationReport {
  ok: boolean
  /** 'export' (GET …/export?format=json) or 'snapshot' (GET …/snapshots/:sid). */
  kind: 'export' | 'snapshot'
  ledger: LedgerVerification
  receipts: ReceiptReport[]
  /** Snapshot metadata checks (kind 'snapshot'): problems found, if any. */
  snapshotProblems: string[]
}

interface ExportedClauseLike {
  id?: unknown
  title?: unknown
  text?: unknown
  status?: unknown
}

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null

/** The workshop export inside `json` (itself, or a snapshot response's `content`), and which it was. */
function exportOf(
  json: unknown,
): { kind: 'export' | 'snapshot'; data: Record<string, unknown>; snapshot: Record<string, unknown> | null } | null {
  const record = asRecord(json)
  if (!record) return null
  const snapshot = asRecord(record.snapshot)
  const content = asRecord(record.content)
  if (snapshot && content) return { kind: 'snapshot', data: content, snapshot }
  if (Array.isArray(record.ledger)) return { kind: 'export', data: record, snapshot: null }
  return null
}

export class NotAnExportError extends Error {}

/**
 * Verifies a parsed export. `trustedKey`: the raw public key (base64url) published at
 * /api/signing-key; without it each receipt is checked against the key it carries, and the report
 * names that key for the reader to compare.
 */
export async function verifyExport(json: unknown, trustedKey?: string): Promise<VerificationReport> {
  const found = exportOf(json)
  if (!found) throw new NotAnExportError('This is not a Commonpot export: it has no ledger.')
  const { data, kind, snapshot } = found
  const entries = Array.isArray(data.ledger) ? data.ledger : []
  const ledger = verifyLedger(entries)
  const hashes = new Set(entries.map((e) => asRecord(e)?.hash).filter((h): h is string => typeof h === 'string'))
  const clauses = new Map<string, ExportedClauseLike>()
  const protocol = asRecord(data.protocol)
  if (protocol && Array.isArray(protocol.clauses))
    for (const raw of protocol.clauses) {
      const clause = asRecord(raw) as ExportedClauseLike | null
      if (clause && typeof clause.id === 'string') clauses.set(clause.id, clause)
    }

  const rawReceipts = Array.isArray(data.receipts) ? data.receipts : []
  const receipts: ReceiptReport[] = []
  for (const [index, raw] of rawReceipts.entries()) {
    const parsed = receiptSchema.safeParse(raw)
    const receipt: Receipt | null = parsed.success ? parsed.data : null
    const report: ReceiptReport = {
      index,
      id: receipt?.id ?? (typeof asRecord(raw)?.id === 'string' ? (asRecord(raw)!.id as string) : null),
      heading: receipt ? receiptHeading(receipt) : 'Unreadable receipt',
      keyId: receipt?.keyId ?? null,
      ok: true,
      problems: [],
      notes: [],
    }
    const signature = await checkReceiptSignature(raw, trustedKey)
    if (!signature.ok) report.problems.push(`it ${signature.problem}`)
    if (receipt) {
      if (receipt.snapshot)
        report.notes.push(
          `names snapshot ${receipt.snapshot.id} of the agreed state, SHA-256 ${receipt.snapshot.sha256}: give its .ydoc to check it`,
        )
      if (!hashes.has(receipt.ledgerHead))
        report.problems.push('it quotes a ledger head that is not in this ledger: the ledger was cut or rewritten')
      for (const signed of receipt.clauses) {
        const now = clauses.get(signed.id)
        if (!now) {
          report.notes.push(`“${signed.title}” is no longer in the protocol`)
          continue
        }
        if (now.status !== 'agreed') {
          report.notes.push(`“${signed.title}” has been reopened since it was signed`)
          continue
        }
        const text = typeof now.text === 'string' ? now.text : ''
        const title = typeof now.title === 'string' ? now.title : ''
        if (clauseTextHash({ title, text }) !== signed.textSha256) {
          // A later agreement of new wording has its own, later receipt; only the newest must match.
          const newer = rawReceipts
            .slice(index + 1)
            .some((r) => receiptSchema.safeParse(r).data?.clauses.some((c) => c.id === signed.id))
          if (newer) report.notes.push(`“${signed.title}” was agreed again later, with other wording`)
          else report.problems.push(`the agreed text of “${signed.title}” is not the text that was signed`)
        }
      }
    }
    report.ok = report.problems.length === 0
    receipts.push(report)
  }

  const snapshotProblems: string[] = []
  if (snapshot && typeof snapshot.ledgerHead === 'string' && snapshot.ledgerHead !== ledger.head)
    snapshotProblems.push('its content’s ledger head is not the one its metadata quotes')

  return {
    ok: ledger.ok && receipts.every((r) => r.ok) && snapshotProblems.length === 0,
    kind,
    ledger,
    receipts,
    snapshotProblems,
  }
}

/** The report as a person reads it, one finding per line; the first line is the verdict. */
export function verificationText(report: VerificationReport): string[] {
  const out: string[] = [report.ok ? 'VERIFIED: everything checked holds.' : 'NOT VERIFIED: something does not hold.']
  const { ledger } = report
  out.push(
    ledger.ok
      ? `ok    ledger: ${ledger.chained} chained entr${ledger.chained === 1 ? 'y' : 'ies'}${ledger.unchained > 0 ? ` (and ${ledger.unchained} from before the chain)` : ''}, head ${ledger.head}`
      : `FAIL  ledger: ${ledger.breaks.length} break${ledger.breaks.length === 1 ? '' : 's'}`,
  )
  for (const b of ledger.breaks) out.push(`      entry ${b.index + 1}${b.id ? ` (${b.id})` : ''} ${b.problem}`)
  for (const r of report.receipts) {
    out.push(`${r.ok ? 'ok   ' : 'FAIL '} receipt ${r.index + 1}: ${r.heading}${r.keyId ? ` (key ${r.keyId})` : ''}`)
    for (const p of r.problems) out.push(`      ${p}`)
    for (const n of r.notes) out.push(`      note: ${n}`)
  }
  if (report.receipts.length === 0) out.push('      no sign-off receipts in this export')
  for (const p of report.snapshotProblems) out.push(`FAIL  snapshot: ${p}`)
  const keys = [...new Set(report.receipts.map((r) => r.keyId).filter((k): k is string => k !== null))]
  if (keys.length > 0)
    out.push(
      `Signed with key ${keys.join(', ')}: compare with the key id printed on the agreement or served at /api/signing-key.`,
    )
  return out
}
