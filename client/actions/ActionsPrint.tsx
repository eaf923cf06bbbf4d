/** The actions and decisions on paper: each under its own heading, decisions with who agreed them. */
import { ACTION_STATUS_LABELS } from '../../shared/actions.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import type { ExportedActionItem } from '../../shared/sections/actions/exports.ts'

const recorded = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/London',
})

export function ActionsPrint({ data: actions }: { data: ExportedActionItem[] }) {
  const actionItems = actions.filter((a) => a.kind === 'action')
  const decisions = actions.filter((a) => a.kind === 'decision')
  return (
    <>
      <h3 className="print-subheading">Actions</h3>
      {actionItems.length === 0 ? (
        <p className="print-empty">No actions recorded.</p>
      ) : (
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
      <h3 className="print-subheading">Decisions</h3>
      {decisions.length === 0 ? (
        <p className="print-empty">No decisions recorded.</p>
      ) : (
        <table className="print-table print-decisions" aria-label="Decisions">
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col">Agreed by</th>
              <th scope="col">Recorded</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={d.id}>
                <td>{d.what}</td>
                <td>
                  {d.agreedBy.length > 0 ? (
                    d.agreedBy.join(', ')
                  ) : (
                    <span className="print-empty">No organisation has agreed it yet</span>
                  )}
                </td>
                <td>
                  {d.createdAt > 0 && recorded.format(d.createdAt)}
                  {d.createdBy.name && <>, by {d.createdBy.name}</>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
