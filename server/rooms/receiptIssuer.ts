/**
 * Signs receipts (shared/receipts.ts) for the agreements the ledger records. A clause becoming
 * agreed is signed inside the server's transaction that appends its ledger entry, so the entry,
 * its hash and the receipt quoting it reach the store and every peer as one update. The protocol
 * marked agreed as a whole is signed a moment later (rooms/registry.ts), once the snapshot of the
 * whole workshop it refers to has been stored: a receipt must never name a snapshot that is not.
 */
import type * as Y from 'yjs'
import { newId } from '../../shared/ids.ts'
import type { LedgerEntry } from '../../shared/ledger.ts'
import { readClauses } from '../../shared/protocol.ts'
import { readProtocolAgreed } from '../../shared/protocolAgreement.ts'
import { type Receipt, type ReceiptContent, receiptContentFor, receiptSigningBytes } from '../../shared/receipts.ts'
import { getReceiptsArray } from '../../shared/schema.ts'
import type { ReceiptSigner } from '../auth/signingKey.ts'

const isAgreement = (entry: LedgerEntry): boolean =>
  entry.area === 'protocol' && entry.field === 'status' && entry.to === 'agreed' && typeof entry.hash === 'string'

/** The entries among `recorded` (as chained) that mark the whole protocol agreed. */
export const protocolAgreements = (recorded: readonly LedgerEntry[]): LedgerEntry[] =>
  recorded.filter((entry) => isAgreement(entry) && entry.subject === '')

const signed = (content: ReceiptContent | null, signer: ReceiptSigner): Receipt | null =>
  content && { ...content, signature: signer.sign(receiptSigningBytes(content)) }

/** Appends a signed receipt for each clause agreement among `recorded`; answers how many. */
export function issueClauseReceipts(
  doc: Y.Doc,
  roomId: string,
  recorded: readonly LedgerEntry[],
  signer: ReceiptSigner,
): number {
  const receipts: Receipt[] = []
  for (const entry of recorded) {
    if (!isAgreement(entry) || entry.subject === '') continue
    const receipt = signed(
      receiptContentFor(
        doc,
        {
          id: newId(),
          kind: 'clause',
          clauseIds: [entry.subject],
          roomId,
          issuedAt: entry.at,
          ledgerHead: entry.hash!,
          markedBy: null,
        },
        signer,
      ),
      signer,
    )
    if (receipt) receipts.push(receipt)
  }
  if (receipts.length > 0) getReceiptsArray<Receipt>(doc).push(receipts)
  return receipts.length
}

/**
 * Appends the signed receipt of the protocol marked agreed by `entry`: every clause's wording as
 * it stands, and `snapshot`, the stored state of the workshop at that moment (null when it could
 * not be taken). Answers whether there was a protocol to sign.
 */
export function issueProtocolReceipt(
  doc: Y.Doc,
  roomId: string,
  entry: LedgerEntry,
  signer: ReceiptSigner,
  snapshot: { id: string; sha256: string } | null,
): boolean {
  const receipt = signed(
    receiptContentFor(
      doc,
      {
        id: newId(),
        kind: 'protocol',
        clauseIds: readClauses(doc).map((c) => c.id),
        roomId,
        issuedAt: entry.at,
        ledgerHead: entry.hash!,
        markedBy: (readProtocolAgreed(doc)?.by.name ?? entry.by.name).slice(0, 80),
        ...(snapshot && { snapshot }),
      },
      signer,
    ),
    signer,
  )
  if (receipt) getReceiptsArray<Receipt>(doc).push([receipt])
  return receipt !== null
}
