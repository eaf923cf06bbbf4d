/**
 * Sign-off receipts on paper: what each says was agreed and when, and the key and hashes a reader
 * needs to check it with `npx commonpot verify` against the key the server publishes.
 */
import type { Receipt } from '../../../shared/receipts.ts'
import { receiptHeading, receiptPositions, receiptTime } from '../../../shared/receiptsExport.ts'
import { SIGNING_KEY_PATH } from '../../../shared/receipts.ts'

export function ReceiptsPrint({ receipts, origin }: { receipts: readonly Receipt[]; origin: string }) {
  if (receipts.length === 0) return <p className="print-empty">No clause has been agreed and signed yet.</p>
  const keys = [...new Map(receipts.map((r) => [r.keyId, r.publicKey])).entries()]
  return (
    <>
      <p className="print-key" data-testid="print-signing-key">
        Signed by the server with Ed25519{' '}
        {keys.map(([keyId, publicKey]) => (
          <span key={keyId}>
            key <code>{keyId}</code> (public key <code className="print-break">{publicKey}</code>)
          </span>
        ))}
        , published at <code className="print-break">{`${origin}${SIGNING_KEY_PATH}`}</code>. Check an export with{' '}
        <code>npx commonpot verify</code>.
      </p>
      {receipts.map((receipt) => (
        <div className="print-receipt" key={receipt.id}>
          <h3>{receiptHeading(receipt)}</h3>
          <p>
            Signed {receiptTime(receipt.issuedAt)} (Europe/London)
            {receipt.markedBy && <>, marked agreed by {receipt.markedBy}</>}.
          </p>
          {receipt.kind === 'clause' && receipt.clauses[0]!.positions.length > 0 && (
            <p>Positions: {receiptPositions(receipt.clauses[0]!).join('; ')}.</p>
          )}
          <dl className="print-receipt-hashes">
            {receipt.clauses.map((clause) => (
              <div key={clause.id}>
                <dt>{receipt.kind === 'protocol' ? `“${clause.title}”` : 'Wording SHA-256'}</dt>
                <dd>
                  <code className="print-break">{clause.textSha256}</code>
                </dd>
              </div>
            ))}
            {receipt.snapshot && (
              <div>
                <dt>Agreed state</dt>
                <dd>
                  snapshot {receipt.snapshot.id}, SHA-256 <code className="print-break">{receipt.snapshot.sha256}</code>
                </dd>
              </div>
            )}
            <div>
              <dt>Ledger head</dt>
              <dd>
                <code className="print-break">{receipt.ledgerHead}</code>
              </dd>
            </div>
            <div>
              <dt>Signature</dt>
              <dd>
                <code className="print-break">{receipt.signature}</code>
              </dd>
            </div>
          </dl>
        </div>
      ))}
    </>
  )
}
