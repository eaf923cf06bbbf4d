/**
 * The whole workshop on paper: the pot with its totals, the protocol with every partner's
 * position, the barriers and the actions, from the same export data as the Markdown report.
 */
import type { ReactNode } from 'react'
import { ACTION_STATUS_LABELS } from '../../shared/actions.ts'
import { BARRIER_STATUS_LABELS, DEPARTMENT_LABELS } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import type { WorkshopExport } from '../../shared/export.ts'
import { formatMoney } from '../../shared/money.ts'
import { KIND_LABELS, MODE_LABELS, POT_KINDS, POT_MODES, POT_STATUSES, STATUS_LABELS } from '../../shared/pot.ts'
import { CLAUSE_STATUS_LABELS, POSITION_LABELS, positionBasisText } from '../../shared/protocol.ts'

export interface PrintHeading {
  /** "Snapshot — End of day one, 3 Dec 2026, 17:40" or "Live state, printed …". */
  state: string
  /** The snapshot's SHA-256, for a reader to check against the server. */
  sha256?: string
  /** Where the SHA-256 can be checked. */
  checkUrl?: string
}

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="print-section" aria-label={title}>
    <h2>{title}</h2>
    {children}
  </section>
)

export function WorkshopPrint({ data, heading }: { data: WorkshopExport; heading: PrintHeading }) {
  const { meta, pot, protocol, barriers, actions } = data
  const byPartner = Object.entries(pot.totals.byPartner).sort(([, a], [, b]) => b - a)
  const agreed = protocol.clauses.filter((c) => c.status === 'agreed').length
  const actionItems = actions.filter((a) => a.kind === 'action')
  const decisions = actions.filter((a) => a.kind === 'decision')
  return (
    <article className="print-workshop">
      <header className="print-header">
        <h1>{meta.title || 'Workshop'}</h1>
        <p className="print-state">{heading.state}</p>
        {heading.sha256 && (
          <p className="print-hash">
            SHA-256 of this state: <code data-testid="print-sha256">{heading.sha256}</code>
            {heading.checkUrl && <> · check it at {heading.checkUrl}</>}
          </p>
        )}
      </header>

      <Section title="Virtual pot">
        <p data-testid="print-pot-total">
          Total <strong>{formatMoney(pot.totals.total)}</strong>
          {meta.targetPot !== null && <> of a target of {formatMoney(meta.targetPot)}</>} (withdrawn lines excluded)
        </p>
        <ul className="print-facts">
          {[
            POT_MODES.map((m) => `${MODE_LABELS[m]} ${formatMoney(pot.totals.byMode[m] ?? 0)}`),
            POT_KINDS.map((k) => `${KIND_LABELS[k]} ${formatMoney(pot.totals.byKind[k] ?? 0)}`),
            POT_STATUSES.map((s) => `${STATUS_LABELS[s]} ${formatMoney(pot.totals.byStatus[s] ?? 0)}`),
          ].map((facts, i) => (
            <li key={i}>{facts.join(' · ')}</li>
          ))}
        </ul>
        {byPartner.length > 0 && (
          <table className="print-table print-totals">
            <caption>By partner</caption>
            <tbody>
              {byPartner.map(([partner, total]) => (
                <tr key={partner}>
                  <th scope="row">{partner}</th>
                  <td className="money">{formatMoney(total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pot.lines.length === 0 ? (
          <p className="print-empty">No contributions yet.</p>
        ) : (
          <table className="print-table">
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Funding stream</th>
                <th scope="col" className="money">
                  Amount
                </th>
                <th scope="col">Kind</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Years</th>
                <th scope="col">Conditions</th>
              </tr>
            </thead>
            <tbody>
              {pot.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.partner}</td>
                  <td>{l.stream}</td>
                  <td className="money">{formatMoney(l.amount)}</td>
                  <td>
                    {l.kind === 'in-kind' && l.kindDescription
                      ? `${KIND_LABELS[l.kind]}: ${l.kindDescription}`
                      : KIND_LABELS[l.kind]}
                  </td>
                  <td>{MODE_LABELS[l.mode]}</td>
                  <td>{STATUS_LABELS[l.status]}</td>
                  <td>{l.years}</td>
                  <td>{l.conditions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Protocol">
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
                    {i + 1}. {clause.title}{' '}
                    <span className="print-status">({CLAUSE_STATUS_LABELS[clause.status]})</span>
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
      </Section>

      <Section title="Barriers (asks)">
        {barriers.length === 0 ? (
          <p className="print-empty">No barriers raised.</p>
        ) : (
          <table className="print-table">
            <thead>
              <tr>
                <th scope="col">Barrier</th>
                <th scope="col">Status</th>
                <th scope="col">Department</th>
                <th scope="col">Raised by</th>
                <th scope="col">Champion</th>
                <th scope="col">Flexibility sought</th>
                <th scope="col">Impact</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {barriers.map((b) => (
                <tr key={b.id}>
                  <td>
                    {b.title}
                    {b.rule && <div className="print-note">Rule: {b.rule}</div>}
                  </td>
                  <td>{BARRIER_STATUS_LABELS[b.status]}</td>
                  <td>{DEPARTMENT_LABELS[b.department]}</td>
                  <td>{b.raisedBy}</td>
                  <td>{b.champion}</td>
                  <td>{b.flexibility}</td>
                  <td>
                    {[
                      b.impactPence !== null ? formatMoney(b.impactPence) : '',
                      b.familiesAffected !== null ? `${b.familiesAffected} families` : '',
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                  <td>{b.dueDate ? formatIsoDate(b.dueDate) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Actions and decisions">
        {actionItems.length === 0 && decisions.length === 0 && (
          <p className="print-empty">No actions or decisions recorded.</p>
        )}
        {actionItems.length > 0 && (
          <table className="print-table">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {actionItems.map((a) => (
                <tr key={a.id}>
                  <td>{a.what}</td>
                  <td>{[a.ownerOrganisation, a.ownerPerson].filter(Boolean).join(' · ')}</td>
                  <td>{a.dueDate ? formatIsoDate(a.dueDate) : ''}</td>
                  <td>{ACTION_STATUS_LABELS[a.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {decisions.length > 0 && (
          <ul className="print-decisions">
            {decisions.map((d) => (
              <li key={d.id}>
                {d.what}
                {d.agreedBy.length > 0 && <> (agreed by {d.agreedBy.join(', ')})</>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </article>
  )
}
