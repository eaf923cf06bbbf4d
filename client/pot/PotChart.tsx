import { formatMoney, formatMoneyCompact } from '../../shared/money.ts'
import { POT_STATUSES, STATUS_LABELS, type PotStatus, type PotTotals } from '../../shared/pot.ts'

export const STATUS_COLOURS: Record<PotStatus, string> = {
  proposed: '#cbd5e1',
  offered: '#93c5fd',
  agreed: '#3b82f6',
  committed: '#1e3a8a',
  withdrawn: '#fca5a5',
}

/**
 * Contributions by partner, stacked by status. The bars are decoration for sighted users; the
 * same figures are in a table that screen readers read instead.
 */
export function PotChart({ totals }: { totals: PotTotals }) {
  const partners = [...totals.byPartner.entries()].sort((a, b) => b[1].total - a[1].total)
  const largest = Math.max(1, ...partners.map(([, p]) => POT_STATUSES.reduce((sum, s) => sum + p.byStatus[s], 0)))
  if (partners.length === 0) return null
  return (
    <figure className="pot-chart">
      <figcaption>Contributions by partner</figcaption>
      <div aria-hidden="true">
        {partners.map(([partner, p]) => (
          <div className="pot-chart-row" key={partner}>
            <span className="pot-chart-label" title={partner}>
              {partner}
            </span>
            <span className="pot-chart-bar">
              {POT_STATUSES.map((status) =>
                p.byStatus[status] > 0 ? (
                  <span
                    key={status}
                    style={{ width: `${(p.byStatus[status] / largest) * 100}%`, background: STATUS_COLOURS[status] }}
                    title={`${STATUS_LABELS[status]}: ${formatMoney(p.byStatus[status])}`}
                  />
                ) : null,
              )}
            </span>
            <span className="pot-chart-value">{formatMoneyCompact(p.total)}</span>
          </div>
        ))}
        <ul className="pot-chart-legend">
          {POT_STATUSES.map((status) => (
            <li key={status}>
              <span className="swatch" style={{ background: STATUS_COLOURS[status] }} /> {STATUS_LABELS[status]}
            </li>
          ))}
        </ul>
      </div>
      {/* Hidden by its wrapper: a table grows to its content whatever width it is given, and would widen the page. */}
      <div className="visually-hidden">
        <table>
          <caption>Contributions by partner and status</caption>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              {POT_STATUSES.map((s) => (
                <th scope="col" key={s}>
                  {STATUS_LABELS[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {partners.map(([partner, p]) => (
              <tr key={partner}>
                <th scope="row">{partner}</th>
                {POT_STATUSES.map((s) => (
                  <td key={s}>{formatMoney(p.byStatus[s])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
