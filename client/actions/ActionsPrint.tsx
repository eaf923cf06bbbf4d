/** The actions and decisions on paper. */
import { ACTION_STATUS_LABELS } from '../../shared/actions.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import type { ExportedActionItem } from '../../shared/sections/actions/exports.ts'

export function ActionsPrint({ data: actions }: { data: ExportedActionItem[] }) {
  const actionItems = actions.filter((a) => a.kind === 'action')
  const decisions = actions.filter((a) => a.kind === 'decision')
  return (
    <>
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
    </>
  )
}
