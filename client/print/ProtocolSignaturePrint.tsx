/**
 * The protocol alone, to be signed: title and date, every clause with its formatted wording and
 * each organisation's current position, the signed sign-off receipts, and a signature block for
 * every organisation taking part (name, role, signature and date lines, filled in by hand).
 */
import type { WorkshopExport } from '../../shared/export.ts'
import { PrintedClause } from '../protocol/ProtocolPrint.tsx'
import { ReceiptsPrint } from '../protocol/receipts/ReceiptsPrint.tsx'
import { type PrintedState, signatories } from './printText.ts'
import { PrintHeader, PrintSection } from './WorkshopPrint.tsx'

const LINES = ['Name', 'Role', 'Signature', 'Date'] as const

function SignatureBlock({ organisation }: { organisation: string }) {
  return (
    <section className="print-signature" aria-label={`Signature for ${organisation}`}>
      <h3>{organisation}</h3>
      <p className="print-note">Signed for and on behalf of {organisation}.</p>
      <dl>
        {LINES.map((line) => (
          <div key={line} className="print-signature-line">
            <dt>{line}</dt>
            <dd />
          </div>
        ))}
      </dl>
    </section>
  )
}

export function ProtocolSignaturePrint({ data, state }: { data: WorkshopExport; state: PrintedState }) {
  const { clauses } = data.protocol
  const agreed = clauses.filter((c) => c.status === 'agreed').length
  const organisations = signatories(data)
  return (
    <article className="print-workshop print-for-signature">
      <PrintHeader data={data} state={state} subtitle="Protocol, for signature" />
      <PrintSection title="Protocol">
        {clauses.length === 0 ? (
          <p className="print-empty">No clauses yet.</p>
        ) : (
          <>
            <p className="print-lead">
              {agreed} of {clauses.length} clauses agreed.
              {organisations.length > 0 && <> Organisations taking part: {organisations.join('; ')}.</>}
            </p>
            {clauses.map((clause, i) => (
              <PrintedClause key={clause.id} clause={clause} number={i + 1} />
            ))}
          </>
        )}
      </PrintSection>
      <PrintSection title="Sign-off receipts">
        <ReceiptsPrint receipts={data.receipts ?? []} origin={window.location.origin} />
      </PrintSection>
      <PrintSection title="Signatures">
        {organisations.length === 0 ? (
          <p className="print-empty">No organisation is taking part yet.</p>
        ) : (
          <>
            <p className="print-lead">
              Each organisation signs to confirm the protocol as set out above
              {state.kind === 'snapshot' && <> (snapshot “{state.name}”, SHA-256 as stated at the top)</>}.
            </p>
            <div className="print-signatures">
              {organisations.map((organisation) => (
                <SignatureBlock key={organisation} organisation={organisation} />
              ))}
            </div>
          </>
        )}
      </PrintSection>
    </article>
  )
}
