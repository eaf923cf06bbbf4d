import {
  checkAgreement,
  CLAUSE_STATUS_LABELS,
  POSITION_BASIS_LABELS,
  POSITION_LABELS,
  positionBasisText,
  type Clause,
} from '../../shared/protocol.ts'

/**
 * Clauses × organisations: each organisation's position on each clause with how it was stated
 * (by link, on behalf, self-declared: only the first two count), and each clause's state.
 */
export function SignOffMatrix({
  clauses,
  organisations,
}: {
  clauses: readonly Clause[]
  organisations: readonly string[]
}) {
  if (clauses.length === 0) return null
  return (
    <section className="signoff" aria-labelledby="signoff-heading">
      <h2 id="signoff-heading">Sign-off</h2>
      <p className="hint">
        Only positions stated by an organisation’s own link or on its behalf by the facilitator count; self-declared
        ones are shown for information.
      </p>
      <div className="table-scroll">
        <table className="signoff-table">
          <thead>
            <tr>
              <th scope="col">Clause</th>
              <th scope="col">State</th>
              {organisations.map((organisation) => (
                <th scope="col" key={organisation}>
                  {organisation}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clauses.map((clause) => {
              const check = checkAgreement(clause, organisations)
              return (
                <tr key={clause.id}>
                  <th scope="row">{clause.title}</th>
                  <td className={`clause-state state-${clause.status}`}>
                    {CLAUSE_STATUS_LABELS[clause.status]}
                    {clause.status === 'proposed' && check.blocks.length > 0 && ' · blocked'}
                  </td>
                  {organisations.map((organisation) => {
                    const stated = clause.positions.get(organisation)
                    if (!stated) {
                      return (
                        <td key={organisation} className="position-none">
                          —
                        </td>
                      )
                    }
                    const how = positionBasisText(organisation, stated)
                    return (
                      <td
                        key={organisation}
                        className={`position-${stated.position} basis-${stated.basis}`}
                        data-basis={stated.basis}
                        title={stated.reason ? `${stated.reason} (${how})` : how}
                      >
                        {POSITION_LABELS[stated.position]}{' '}
                        <span className="basis-tag">{POSITION_BASIS_LABELS[stated.basis]}</span>
                      </td>
                    )
                  })}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}
