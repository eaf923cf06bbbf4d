/** The protocol on paper: each clause with its text and every organisation's position, and how it was stated. */
import { CLAUSE_STATUS_LABELS, POSITION_LABELS, positionBasisText } from '../../shared/protocol.ts'
import type { ProtocolExport } from '../../shared/sections/protocol/exports.ts'

export function ProtocolPrint({ data: protocol }: { data: ProtocolExport }) {
  const agreed = protocol.clauses.filter((c) => c.status === 'agreed').length
  return (
    <>
      {protocol.clauses.length === 0 ? (
        <p className="print-empty">No clauses yet.</p>
      ) : (
        <>
          <p>
            {agreed} of {protocol.clauses.length} clauses agreed.
          </p>
          {protocol.clauses.map((clause, i) => {
            const positions = Object.entries(clause.positions)
            return (
              <div className="print-clause" key={clause.id}>
                <h3>
                  {i + 1}. {clause.title} <span className="print-status">({CLAUSE_STATUS_LABELS[clause.status]})</span>
                </h3>
                <p className="print-clause-text">{clause.text || 'No text yet.'}</p>
                {positions.length > 0 && (
                  <ul className="print-positions">
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
          })}
        </>
      )}
    </>
  )
}
