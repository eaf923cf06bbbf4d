import { useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { Actor } from '../../shared/ledger.ts'
import { formatMoney, formatMoneyCompact } from '../../shared/money.ts'
import { ORGANISATIONS } from '../../shared/organisations.ts'
import {
  addPotLine,
  deletePotLine,
  FUNDING_STREAMS,
  KIND_LABELS,
  lineLabel,
  MODE_LABELS,
  POT_KINDS,
  POT_MODES,
  POT_STATUSES,
  setTargetPot,
  STATUS_LABELS,
  updatePotLine,
  type PotLine,
  type PotLineFields,
} from '../../shared/pot.ts'
import { EXAMPLE_POT_LINES } from '../../shared/potExample.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { AddLineForm } from './AddLineForm.tsx'
import { MoneyInput } from './MoneyInput.tsx'
import { PotChart } from './PotChart.tsx'
import { PotHistory } from './PotHistory.tsx'
import { TextCell } from './TextCell.tsx'
import { usePot } from './usePot.ts'

interface Props {
  doc: Y.Doc
  actor: Actor
  canEdit: boolean
  canSetTarget: boolean
  /** Where to download exports of this workshop (the REST export, with this person's token). */
  exportUrl: (format: 'csv' | 'md' | 'json') => string
}

/** The virtual pot: every partner's contribution, live totals against the target, and the history. */
export function PotView({ doc, actor, canEdit, canSetTarget, exportUrl }: Props) {
  const { lines, totals, target, ledger } = usePot(doc)
  const [historyOf, setHistoryOf] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const act = (change: () => void) => {
    try {
      change()
      setProblem(null)
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }
  const update = (line: PotLine, patch: Partial<PotLineFields>) => act(() => updatePotLine(doc, line.id, patch, actor, Date.now()))

  const historyEntries = useMemo(() => (historyOf === null ? ledger : ledger.filter((e) => e.subject === historyOf)), [ledger, historyOf])
  const historyLine = lines.find((l) => l.id === historyOf)
  const gap = target === null ? null : target - totals.total
  const progress = target ? Math.min(100, Math.round((totals.total / target) * 100)) : null

  return (
    <div className="pot">
      <datalist id="pot-partners">
        {ORGANISATIONS.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <datalist id="pot-streams">
        {FUNDING_STREAMS.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>

      <section className="pot-summary" aria-label="Pot totals">
        <div className="pot-total">
          <span className="muted">Virtual pot</span>
          <strong data-testid="pot-total" aria-live="polite">
            {formatMoney(totals.total)}
          </strong>
          <span className="muted">
            {totals.lines} {totals.lines === 1 ? 'contribution' : 'contributions'}
          </span>
        </div>
        <div className="pot-target">
          <MoneyInput
            label="Target pot size"
            value={target}
            disabled={!canSetTarget}
            allowEmpty
            onCommit={(pence) => act(() => setTargetPot(doc, pence, actor, Date.now()))}
            onClear={() => act(() => setTargetPot(doc, null, actor, Date.now()))}
          />
          {progress !== null && gap !== null && (
            <>
              <progress max={100} value={progress} aria-label="Progress towards the target">
                {progress}%
              </progress>
              <span data-testid="pot-gap">{gap > 0 ? `${formatMoneyCompact(gap)} to go (${progress}%)` : `Target reached, ${formatMoneyCompact(-gap)} over`}</span>
            </>
          )}
        </div>
        <div className="pot-exports">
          <a className="button small" href={exportUrl('csv')} download>
            Export CSV
          </a>
          <a className="button small" href={exportUrl('md')} download>
            Export Markdown
          </a>
        </div>
        <dl className="pot-breakdown">
          {POT_MODES.map((m) => (
            <div key={m}>
              <dt>{MODE_LABELS[m]}</dt>
              <dd>{formatMoneyCompact(totals.byMode[m])}</dd>
            </div>
          ))}
          {POT_KINDS.map((k) => (
            <div key={k}>
              <dt>{KIND_LABELS[k]}</dt>
              <dd>{formatMoneyCompact(totals.byKind[k])}</dd>
            </div>
          ))}
          {POT_STATUSES.map((s) => (
            <div key={s}>
              <dt>{STATUS_LABELS[s]}</dt>
              <dd data-testid={`pot-status-${s}`}>{formatMoneyCompact(totals.byStatus[s])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div className="pot-body">
        <div className="pot-main">
          {canEdit && <AddLineForm partnerListId="pot-partners" streamListId="pot-streams" defaultPartner={actor.organisation} onAdd={(fields) => act(() => addPotLine(doc, fields, actor, Date.now()))} />}
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="table-scroll">
            <table className="pot-table">
              <caption className="visually-hidden">Contribution lines</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Funding stream</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Status</th>
                  <th scope="col">Years</th>
                  <th scope="col">Conditions and notes</th>
                  <th scope="col">Proposed by</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.length === 0 && (
                  <tr>
                    <td colSpan={10} className="empty">
                      No contributions yet. {canEdit ? 'Add the first one above, or ' : ''}
                      {canEdit && (
                        <button
                          type="button"
                          className="button small"
                          onClick={() =>
                            act(() => {
                              const now = Date.now()
                              doc.transact(() => EXAMPLE_POT_LINES.forEach((fields, i) => addPotLine(doc, fields, actor, now + i)))
                            })
                          }
                        >
                          Load an example pot
                        </button>
                      )}
                    </td>
                  </tr>
                )}
                {lines.map((line) => (
                  <tr key={line.id} data-line-id={line.id} className={`status-${line.status}`}>
                    <td>
                      <TextCell label={`Partner of ${lineLabel(line)}`} value={line.partner} list="pot-partners" required disabled={!canEdit} maxLength={120} onCommit={(partner) => update(line, { partner })} />
                    </td>
                    <td>
                      <TextCell label={`Funding stream of ${lineLabel(line)}`} value={line.stream} list="pot-streams" disabled={!canEdit} maxLength={120} onCommit={(stream) => update(line, { stream })} />
                    </td>
                    <td className="amount">
                      <MoneyInput compact label={`Amount for ${lineLabel(line)}`} value={line.amount} disabled={!canEdit} onCommit={(amount) => update(line, { amount })} />
                    </td>
                    <td>
                      <EnumSelect label={`Kind of ${lineLabel(line)}`} value={line.kind} options={POT_KINDS} labels={KIND_LABELS} disabled={!canEdit} onChange={(kind) => update(line, { kind })} />
                      {line.kind === 'in-kind' && (
                        <>
                          <TextCell label={`What ${line.partner} gives in kind`} placeholder="What is given" value={line.kindDescription} disabled={!canEdit} onCommit={(kindDescription) => update(line, { kindDescription })} />
                          <TextCell label={`How the ${line.partner} contribution in kind was valued`} placeholder="How valued" value={line.valuation} disabled={!canEdit} onCommit={(valuation) => update(line, { valuation })} />
                        </>
                      )}
                    </td>
                    <td>
                      <EnumSelect label={`Mode of ${lineLabel(line)}`} value={line.mode} options={POT_MODES} labels={MODE_LABELS} disabled={!canEdit} onChange={(mode) => update(line, { mode })} />
                    </td>
                    <td>
                      <EnumSelect label={`Status of ${lineLabel(line)}`} value={line.status} options={POT_STATUSES} labels={STATUS_LABELS} disabled={!canEdit} onChange={(status) => update(line, { status })} />
                    </td>
                    <td>
                      <TextCell label={`Financial years of ${lineLabel(line)}`} value={line.years} disabled={!canEdit} maxLength={40} onCommit={(years) => update(line, { years })} />
                    </td>
                    <td>
                      <TextCell label={`Conditions and notes of ${lineLabel(line)}`} value={line.conditions} disabled={!canEdit} maxLength={2000} onCommit={(conditions) => update(line, { conditions })} />
                    </td>
                    <td className="proposer">
                      {line.proposedBy.name}
                      <span className="muted"> · {line.proposedBy.organisation}</span>
                    </td>
                    <td className="row-actions">
                      <button type="button" className="button small" onClick={() => setHistoryOf(line.id)} aria-label={`History of ${lineLabel(line)}`}>
                        History
                      </button>
                      {canEdit && (
                        <button
                          type="button"
                          className="button small danger"
                          aria-label={`Remove ${lineLabel(line)}`}
                          onClick={() => {
                            if (window.confirm(`Remove ${lineLabel(line)} (${formatMoney(line.amount)}) from the pot? The history keeps a record.`)) {
                              act(() => deletePotLine(doc, line.id, actor, Date.now()))
                            }
                          }}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PotChart totals={totals} />
        </div>
        <aside className="pot-aside">
          {historyOf !== null && (
            <button type="button" className="button small" onClick={() => setHistoryOf(null)}>
              Show the whole pot’s history
            </button>
          )}
          <PotHistory entries={historyEntries} title={historyOf === null ? 'History of the pot' : `History of ${historyLine ? lineLabel(historyLine) : 'a removed line'}`} />
        </aside>
      </div>
    </div>
  )
}
