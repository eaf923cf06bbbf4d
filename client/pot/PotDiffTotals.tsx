/** A comparison's pot totals: each partner whose total changed, and the whole pot, before and after. */
import { formatMoney } from '../../shared/money.ts'
import type { PotDiff } from '../../shared/sections/pot/diff.ts'
import type { DiffPartProps } from '../sections/types.ts'

const signed = (pence: number) => `${pence > 0 ? '+' : pence < 0 ? '−' : '±'}${formatMoney(Math.abs(pence))}`

export function PotDiffTotals({ diff, beforeLabel, afterLabel }: DiffPartProps<PotDiff>) {
  const { overall, byPartner } = diff.totals
  return (
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
  )
}
