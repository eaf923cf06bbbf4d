import { isEmptyDiff, summariseDiff, type WorkshopDiff } from '../../shared/diff.ts'
import { formatMoney } from '../../shared/money.ts'

const signed = (pence: number) => `${pence > 0 ? '+' : pence < 0 ? '−' : '±'}${formatMoney(Math.abs(pence))}`

/** What changed between two states of a workshop: totals with deltas, every change in words, and clause text word by word. */
export function DiffView({
  diff,
  beforeLabel,
  afterLabel,
}: {
  diff: WorkshopDiff
  beforeLabel: string
  afterLabel: string
}) {
  if (isEmptyDiff(diff))
    return (
      <p className="diff-empty">
        Nothing changed between {beforeLabel} and {afterLabel}.
      </p>
    )
  const { overall, byPartner } = diff.pot.totals
  const texts = diff.protocol.changed.filter((c) => c.text)
  return (
    <div className="diff" aria-label={`Changes from ${beforeLabel} to ${afterLabel}`}>
      <section>
        <h3>Pot totals</h3>
        <table className="diff-totals">
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {byPartner.map((p) => (
              <tr key={p.partner}>
                <th scope="row">{p.partner}</th>
                <td>{formatMoney(p.before)}</td>
                <td>{formatMoney(p.after)}</td>
                <td className={p.delta >= 0 ? 'delta-up' : 'delta-down'}>{signed(p.delta)}</td>
              </tr>
            ))}
            <tr className="diff-total-row">
              <th scope="row">Whole pot</th>
              <td>{formatMoney(overall.before)}</td>
              <td>{formatMoney(overall.after)}</td>
              <td className={overall.delta >= 0 ? 'delta-up' : 'delta-down'} data-testid="pot-total-delta">
                {signed(overall.delta)}
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      <section>
        <h3>Every change</h3>
        <ul className="diff-list">
          {summariseDiff(diff).map((sentence, i) => (
            <li key={i}>{sentence}</li>
          ))}
        </ul>
      </section>
      {texts.length > 0 && (
        <section>
          <h3>Clause text</h3>
          {texts.map((clause) => (
            <div key={clause.id} className="diff-clause">
              <h4>{clause.title}</h4>
              <p className="diff-words">
                {clause.text!.map((segment, i) =>
                  segment.kind === 'added' ? (
                    <ins key={i}>{segment.text}</ins>
                  ) : segment.kind === 'removed' ? (
                    <del key={i}>{segment.text}</del>
                  ) : (
                    <span key={i}>{segment.text}</span>
                  ),
                )}
              </p>
            </div>
          ))}
        </section>
      )}
    </div>
  )
}
