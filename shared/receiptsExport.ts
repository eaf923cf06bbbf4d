/**
 * Sign-off receipts as the minutes and the printed agreement show them: what was agreed, when
 * (Europe/London), each organisation's position and how it was stated, and the hashes and key a
 * reader needs to check the receipt with `npx commonpot verify`.
 */
import { POSITION_BASIS_LABELS, POSITION_LABELS } from './protocol.ts'
import type { Receipt, ReceiptClause } from './receipts.ts'
import { md } from './sections/exportKit.ts'

const londonTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/** "4 Dec 2026, 14:05" in Europe/London. */
export const receiptTime = (ms: number): string => londonTime.format(new Date(ms))

/** "Clause agreed: “Data sharing”" or "Protocol agreed as a whole (7 clauses)". */
export function receiptHeading(receipt: Receipt): string {
  if (receipt.kind === 'protocol')
    return `Protocol agreed as a whole (${receipt.clauses.length} clause${receipt.clauses.length === 1 ? '' : 's'})`
  return `Clause agreed: “${receipt.clauses[0]!.title}”`
}

/** "DWP: Agree (by link, Dana Smith)" for each position, in the receipt's order. */
export function receiptPositions(clause: ReceiptClause): string[] {
  return clause.positions.map(
    (p) => `${p.organisation}: ${POSITION_LABELS[p.position]} (${POSITION_BASIS_LABELS[p.basis]}, ${p.by})`,
  )
}

export function receiptsMarkdown(receipts: readonly Receipt[]): string[] {
  if (receipts.length === 0) return []
  const keys = [...new Set(receipts.map((r) => r.keyId))]
  const out = [
    '## Sign-off receipts',
    '',
    `Each receipt is signed by the server with its Ed25519 key (key id ${keys.map((k) => `\`${k}\``).join(', ')}); the public key is published at \`/api/signing-key\`. Check an export with \`npx commonpot verify <export.json>\`.`,
  ]
  for (const receipt of receipts) {
    out.push('', `### ${md(receiptHeading(receipt))}`, '')
    out.push(`- Signed: ${receiptTime(receipt.issuedAt)} (Europe/London)`)
    if (receipt.markedBy) out.push(`- Marked agreed by: ${md(receipt.markedBy)}`)
    for (const clause of receipt.clauses) {
      const positions = receiptPositions(clause)
      const prefix = receipt.kind === 'protocol' ? `“${md(clause.title)}”: ` : ''
      out.push(`- ${prefix}text SHA-256 \`${clause.textSha256}\``)
      if (receipt.kind === 'clause' && positions.length > 0) out.push(`- Positions: ${md(positions.join('; '))}`)
    }
    if (receipt.snapshot)
      out.push(`- Agreed state: snapshot \`${receipt.snapshot.id}\`, SHA-256 \`${receipt.snapshot.sha256}\``)
    out.push(`- Ledger head: \`${receipt.ledgerHead}\``)
    out.push(`- Receipt \`${receipt.id}\`, key \`${receipt.keyId}\`, signature \`${receipt.signature}\``)
  }
  return out
}
