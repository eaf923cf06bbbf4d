/**
 * The protocol as a whole: the facilitator marks it agreed once every clause is (the server signs
 * a receipt listing every clause's wording), or withdraws the mark; everyone sees whether it stands.
 */
import type { Clause } from '../../../shared/protocol.ts'
import {
  markProtocolAgreed,
  protocolAgreementBlocker,
  withdrawProtocolAgreed,
} from '../../../shared/protocolAgreement.ts'
import { receiptTime } from '../../../shared/receiptsExport.ts'
import { useChangeRunner } from '../../ui/useChangeRunner.ts'
import { useWorkshop } from '../../workshop/WorkshopContext.tsx'
import { ReceiptDetails } from './ClauseReceipt.tsx'
import { ReceiptCheck } from './ReceiptCheck.tsx'
import type { ReceiptsState } from './useReceipts.ts'

export function ProtocolAgreementBar({ clauses, receipts }: { clauses: readonly Clause[]; receipts: ReceiptsState }) {
  const { doc, actor, permissions } = useWorkshop()
  const [problem, run] = useChangeRunner()
  const { protocolAgreed, protocolReceipt } = receipts
  const blocker = protocolAgreementBlocker(clauses)
  const canMark = permissions.isFacilitator && permissions.canEditSection('protocol')

  if (protocolAgreed) {
    const signed = protocolReceipt && protocolReceipt.issuedAt >= protocolAgreed.at ? protocolReceipt : null
    return (
      <section
        className="protocol-agreement agreed"
        aria-label="The protocol as a whole"
        data-testid="protocol-agreement"
      >
        <p>
          <strong>Protocol agreed as a whole</strong> on {receiptTime(protocolAgreed.at)}, marked by{' '}
          {protocolAgreed.by.name}.
          {canMark && (
            <button type="button" className="button small" onClick={() => run(() => withdrawProtocolAgreed(doc))}>
              Withdraw the mark
            </button>
          )}
        </p>
        {signed ? (
          <details className="receipt">
            <summary>Signed receipt for the whole protocol</summary>
            <ReceiptDetails receipt={signed} />
            <ReceiptCheck receipt={signed} />
          </details>
        ) : (
          <p className="hint">Waiting for the server’s signed receipt…</p>
        )}
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
      </section>
    )
  }
  if (!canMark) return null
  return (
    <section className="protocol-agreement" aria-label="The protocol as a whole">
      <button
        type="button"
        className="button primary"
        disabled={blocker !== null}
        aria-describedby={blocker ? 'protocol-agreement-blocker' : undefined}
        onClick={() => run(() => markProtocolAgreed(doc, actor, Date.now()))}
      >
        Mark the protocol agreed
      </button>
      {blocker ? (
        <span id="protocol-agreement-blocker" className="hint">
          {blocker}
        </span>
      ) : (
        <span className="hint">
          Every clause is agreed. The server will sign a receipt listing each clause’s wording.
        </span>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  )
}
