/** The pot on paper: the total against the target, the totals by mode, kind, status and partner, and every line. */
import { formatMoney } from '../../shared/money.ts'
import { KIND_LABELS, MODE_LABELS, POT_KINDS, POT_MODES, POT_STATUSES, STATUS_LABELS } from '../../shared/pot.ts'
import type { PotExport } from '../../shared/sections/pot/exports.ts'
import type { ExportContext } from '../../shared/sections/types.ts'

export function PotPrint({ data: pot, context: { meta } }: { data: PotExport; context: ExportContext }) {
  const byPartner = Object.entries(pot.totals.byPartner).sort(([, a], [, b]) => b - a)
  return (
    <>
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
    </>
  )
}
