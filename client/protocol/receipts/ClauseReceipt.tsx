/** The signed receipt of an agreed clause, folded under the clause: when, which key, which hashes. */
import type { Receipt } from '../../../shared/receipts.ts'
import { receiptTime } from '../../../shared/receiptsExport.ts'
import { ReceiptCheck } from './ReceiptCheck.tsx'

export function ReceiptDetails({ receipt }: { receipt: Receipt }) {
  return (
    <dl className="receipt-details">
      <dt>Signed</dt>
      <dd>{receiptTime(receipt.issuedAt)}</dd>
      <dt>Key</dt>
      <dd>
        <code>{receipt.keyId}</code> (Ed25519)
      </dd>
      {receipt.clauses.map((clause) => (
        <div key={clause.id} className="receipt-row">
          <dt>{receipt.kind === 'protocol' ? `“${clause.title}”` : 'Wording SHA-256'}</dt>
          <dd>
            <code className="receipt-hash">{clause.textSha256}</code>
          </dd>
        </div>
      ))}
      {receipt.snapshot && (
        <div className="receipt-row">
          <dt>Agreed state</dt>
          <dd>
            snapshot <code>{receipt.snapshot.id}</code>, SHA-256{' '}
            <code className="receipt-hash">{receipt.snapshot.sha256}</code>
          </dd>
        </div>
      )}
      <dt>Ledger head</dt>
      <dd>
        <code className="receipt-hash">{receipt.ledgerHead}</code>
      </dd>
      <dt>Receipt</dt>
      <dd>
        <code>{receipt.id}</code>
      </dd>
    </dl>
  )
}

export function ClauseReceipt({ receipt }: { receipt: Receipt }) {
  return (
    <details className="receipt" data-testid="clause-receipt">
      <summary>Signed receipt · {receiptTime(receipt.issuedAt)}</summary>
      <ReceiptDetails receipt={receipt} />
      <ReceiptCheck receipt={receipt} />
    </details>
  )
}
