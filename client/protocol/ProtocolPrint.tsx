/**
 * The protocol on paper: each clause with its formatted text and every organisation's current
 * position, with its reason and how it was stated. Shared by the printed workshop and the
 * protocol printed for signature.
 */
import { CLAUSE_STATUS_LABELS, POSITION_LABELS, positionBasisText } from '../../shared/protocol.ts'
import type { ExportedClause, ProtocolExport } from '../../shared/sections/protocol/exports.ts'
import { RichText } from '../ui/RichText.tsx'

/** One clause: numbered title and status, its wording as the editor formats it, then the positions. */
export function PrintedClause({ clause, number }: { clause: ExportedClause; number: number }) {
  const positions = Object.entries(clause.positions).sort(([a], [b]) => a.localeCompare(b, 'en-GB'))
  return (
    <div className="print-clause" data-clause-id={clause.id}>
      <h3>
        {number}. {clause.title} <span className="print-status">({CLAUSE_STATUS_LABELS[clause.status]})</span>
      </h3>
      <RichText
        blocks={clause.body}
        headingLevel={4}
        className="print-clause-text"
        empty={<p className="print-clause-text print-empty">No text yet.</p>}
      />
      {positions.length === 0 ? (
        <p className="print-note">No organisation has stated a position.</p>
      ) : (
        <ul className="print-positions" aria-label={`Positions on clause ${number}`}>
          {positions.map(([organisation, p]) => (
            <li key={organisation} data-basis={p.basis}>
              {organisation}: <strong>{POSITION_LABELS[p.position]}</strong>
              {p.reason && <> ({p.reason})</>}, {positionBasisText(organisation, p)}
            </li>
          ))}
        </ul>
      )}
      {positions.some(([, p]) => p.basis === 'self-declared') && (
        <p className="print-note">Self-declared positions are shown but do not count toward agreement.</p>
      )}
    </div>
  )
}

export function ProtocolPrint({ data: protocol }: { data: ProtocolExport }) {
  if (protocol.clauses.length === 0) return <p className="print-empty">No clauses yet.</p>
  const agreed = protocol.clauses.filter((c) => c.status === 'agreed').length
  return (
    <>
      <p className="print-lead">
        {agreed} of {protocol.clauses.length} clauses agreed.
      </p>
      {protocol.clauses.map((clause, i) => (
        <PrintedClause key={clause.id} clause={clause} number={i + 1} />
      ))}
    </>
  )
}
