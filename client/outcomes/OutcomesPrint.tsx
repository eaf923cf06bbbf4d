/** The outcomes on paper, from the same export data as the Markdown minutes. */
import { OUTCOME_FIELD_LABELS, OUTCOME_STATUS_LABELS, type Outcome } from '../../shared/sections/outcomes/model.ts'

export function OutcomesPrint({ data }: { data: Outcome[] }) {
  if (data.length === 0) return <p className="print-empty">No outcomes yet.</p>
  return (
    <table className="print-table">
      <thead>
        <tr>
          <th scope="col">{OUTCOME_FIELD_LABELS.outcome}</th>
          <th scope="col">{OUTCOME_FIELD_LABELS.measure}</th>
          <th scope="col">{OUTCOME_FIELD_LABELS.baseline}</th>
          <th scope="col">{OUTCOME_FIELD_LABELS.target}</th>
          <th scope="col">{OUTCOME_FIELD_LABELS.ownerOrganisation}</th>
          <th scope="col">{OUTCOME_FIELD_LABELS.status}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((o) => (
          <tr key={o.id}>
            <td>{o.outcome}</td>
            <td>{o.measure}</td>
            <td>{o.baseline}</td>
            <td>{o.target}</td>
            <td>{o.ownerOrganisation}</td>
            <td>{OUTCOME_STATUS_LABELS[o.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
