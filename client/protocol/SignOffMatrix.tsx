import { checkAgreement, CLAUSE_STATUS_LABELS, POSITION_LABELS, type Clause } from '../../shared/protocol.ts'

/** Clauses × organisations: each organisation's position on each clause, and each clause's state. */
export function SignOffMatrix({ clauses, organisations }: { clauses: readonly Clause[]; organisations: readonly string[] }) {
  if (clauses.length === 0) return null
  return (
    <section className="signoff" aria-labelledby="signoff-heading">
      <h2 id="signoff-heading">Sign-off</h2>
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
                    return (
                      <td key={organisation} className={stated ? `position-${stated.position}` : 'position-none'} title={stated?.reason || undefined}>
                        {stated ? POSITION_LABELS[stated.position] : '—'}
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
