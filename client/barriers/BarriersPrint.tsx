/** The barriers register on paper. */
import { BARRIER_STATUS_LABELS, DEPARTMENT_LABELS } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import { formatMoney } from '../../shared/money.ts'
import type { ExportedBarrier } from '../../shared/sections/barriers/exports.ts'

export function BarriersPrint({ data: barriers }: { data: ExportedBarrier[] }) {
  return (
    <>
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
    </>
  )
}
