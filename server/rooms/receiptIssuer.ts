/**
 * Signs a receipt (shared/receipts.ts) for each agreement the ledger just recorded: a clause whose
 * status became agreed, or the facilitator marking the whole protocol agreed. Runs inside the
 * server's transaction that appends those ledger entries, so the entry, its hash and the receipt
 * quoting it reach the store and every peer as one update.
 */
import type * as Y from 'yjs'
import { newId } from '../../shared/ids.ts'
import type { LedgerEntry } from '../../shared/ledger.ts'
import { readClauses } from '../../shared/protocol.ts'
import { readProtocolAgreed } from '../../shared/protocolAgreement.ts'
import { type Receipt, receiptContentFor, receiptSigningBytes } from '../../shared/receipts.ts'
import { getReceiptsArray } from '../../shared/schema.ts'
import type { ReceiptSigner } from '../auth/signingKey.ts'

const isAgreement = (entry: LedgerEntry): boolean =>
  entry.area === 'protocol' && entry.field === 'status' && entry.to === 'agreed' && typeof entry.hash === 'string'

/** Appends a signed receipt for each agreement among `recorded` (entries as chained); answers how many. */
export function issueReceipts(
  doc: Y.Doc,
  roomId: string,
  recorded: readonly LedgerEntry[],
  signer: ReceiptSigner,
): number {
  const receipts: Receipt[] = []
  for (const entry of recorded) {
    if (!isAgreement(entry)) continue
    const whole = entry.subject === ''
    const content = receiptContentFor(
      doc,
      {
        id: newId(),
        kind: whole ? 'protocol' : 'clause',
        clauseIds: whole ? readClauses(doc).map((c) => c.id) : [entry.subject],
        roomId,
        issuedAt: entry.at,
        ledgerHead: entry.hash!,
        markedBy: whole ? (readProtocolAgreed(doc)?.by.name ?? entry.by.name).slice(0, 80) : null,
      },
      signer,
    )
    if (content) receipts.push({ ...content, signature: signer.sign(receiptSigningBytes(content)) })
  }
  if (receipts.length > 0) getReceiptsArray<Receipt>(doc).push(receipts)
  return receipts.length
}
