import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type * as Y from 'yjs'
import { formatMoney, formatMoneyCompact } from '../../shared/money.ts'
import { getSettingsMap } from '../../shared/schema.ts'
import { organisationSuggestions, readTakingPart } from '../../shared/workshopSettings.ts'
import { useDocValue } from '../sync/useDocValue.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import {
  addPotLine,
  arrangePotLines,
  deletePotLine,
  DEFAULT_ARRANGEMENT,
  FUNDING_STREAMS,
  KIND_LABELS,
  lineLabel,
  MODE_LABELS,
  POT_GROUPS,
  POT_KINDS,
  POT_MODES,
  POT_SORTS,
  POT_STATUSES,
  setTargetPot,
  STATUS_LABELS,
  updatePotLine,
  type PotArrangement,
  type PotGroup,
  type PotGroupOfLines,
  type PotLine,
  type PotLineFields,
  type PotSort,
} from '../../shared/pot.ts'
import { PotGrid } from './PotGrid.tsx'
import type { PastePlan } from '../../shared/potPaste.ts'
import { examplePotLines } from '../../shared/potExample.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { UndoButtons, useDeletedNotice } from '../undo/UndoControls.tsx'
import { useSectionUndo } from '../undo/useSectionUndo.ts'
import { AddLineForm } from './AddLineForm.tsx'
import { ImportCsv } from './ImportCsv.tsx'
import { MoneyInput } from './MoneyInput.tsx'
import { PotChart } from './PotChart.tsx'
import { PotHistory } from './PotHistory.tsx'
import { usePot } from './usePot.ts'
import { useScrollToAnchor } from '../ui/useScrollToAnchor.ts'

interface Props {
  /** Places a line on the board as a live card (the shell switches to the board to do it). */
  onPlaceOnBoard?: (lineId: string) => void
}

const GROUP_LABELS: Record<PotGroup, string> = { none: 'Nothing', partner: 'Partner', status: 'Status', mode: 'Mode' }
const SORT_LABELS: Record<PotSort, string> = {
  added: 'Order added',
  partner: 'Partner',
  amount: 'Amount',
  status: 'Status',
}

const watchSettings = (doc: Y.Doc) => [getSettingsMap(doc)]
const readTakingPartNames = (doc: Y.Doc) => readTakingPart(doc).map((t) => t.organisation)

/** The virtual pot: every partner's contribution, live totals against the target, and the history. */
export function PotView({ onPlaceOnBoard }: Props) {
  const { doc, actor, permissions } = useWorkshop()
  const canEdit = permissions.canEditSection('pot')
  const canSetTarget = permissions.isFacilitator
  // Partners taking part (the facilitator's list) come first among the suggestions.
  const partnerSuggestions = organisationSuggestions(useDocValue(doc, watchSettings, readTakingPartNames))
  const { lines, totals, target, ledger } = usePot(doc)
  useScrollToAnchor('line-', lines.length)
  const [arrangement, setArrangement] = useState<PotArrangement>(DEFAULT_ARRANGEMENT)
  const groups = useMemo(() => arrangePotLines(lines, arrangement), [lines, arrangement])
  const arrange = (patch: Partial<PotArrangement>) => setArrangement((a) => ({ ...a, ...patch }))
  const shown = groups.reduce((n, g) => n + g.lines.length, 0)
  const [historyOf, setHistoryOf] = useState<string | null>(null)
  const [problem, act] = useChangeRunner()
  // Rows are memoised, so the callbacks they get must keep their identity: they read the latest
  // actor and document through a ref.
  const latest = useRef({ doc, actor, act })
  latest.current = { doc, actor, act }
  const latestPlace = useRef(onPlaceOnBoard)
  latestPlace.current = onPlaceOnBoard
  const placeOnBoard = useCallback((line: PotLine) => latestPlace.current?.(line.id), [])
  const update = useCallback((line: PotLine, patch: Partial<PotLineFields>) => {
    const { doc, actor, act } = latest.current
    act(() => updatePotLine(doc, line.id, patch, actor, Date.now()))
  }, [])

  // Undo and redo of this person's own changes to the pot (shared/sectionUndo.ts), and a notice
  // after a removal whose Undo brings the line back.
  const history = useSectionUndo(doc, 'pot', act)
  const removal = useDeletedNotice(history)
  const showRemoval = removal.show
  const remove = useCallback(
    (line: PotLine) => {
      const { doc, actor, act } = latest.current
      act(() => {
        if (deletePotLine(doc, line.id, actor, Date.now())) showRemoval(`Removed ${lineLabel(line)}.`)
      })
    },
    [showRemoval],
  )

  const applyPaste = useCallback((plan: PastePlan) => {
    const { doc, actor, act } = latest.current
    act(() => {
      const now = Date.now()
      doc.transact(() => {
        for (const { lineId, patch } of plan.updates) updatePotLine(doc, lineId, patch, actor, now)
        plan.additions.forEach((fields, i) => addPotLine(doc, fields, actor, now + i))
      })
    })
  }, [])
  const loadExample = () =>
    act(() => {
      const now = Date.now()
      doc.transact(() => examplePotLines(new Date(now)).forEach((fields, i) => addPotLine(doc, fields, actor, now + i)))
    })
  const emptyPot = (
    <>
      No contributions yet. {canEdit ? 'Add the first one above, paste rows from a spreadsheet, or ' : ''}
      {canEdit && (
        <button type="button" className="button small" onClick={loadExample}>
          Load an example pot
        </button>
      )}
    </>
  )

  const historyEntries = useMemo(
    () => (historyOf === null ? ledger : ledger.filter((e) => e.subject === historyOf)),
    [ledger, historyOf],
  )
  const historyLine = lines.find((l) => l.id === historyOf)
  const gap = target === null ? null : target - totals.total
  const progress = target ? Math.min(100, Math.round((totals.total / target) * 100)) : null

  return (
    <div className="pot">
      <datalist id="pot-partners">
        {partnerSuggestions.map((o) => (
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
              <span data-testid="pot-gap">
                {gap > 0
                  ? `${formatMoneyCompact(gap)} to go (${progress}%)`
                  : `Target reached, ${formatMoneyCompact(-gap)} over`}
              </span>
            </>
          )}
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
          {canEdit && <UndoButtons history={history} what="the pot" />}
          {canEdit && (
            <ImportCsv
              onImport={(imported) =>
                act(() => {
                  const now = Date.now()
                  doc.transact(() => imported.forEach((fields, i) => addPotLine(doc, fields, actor, now + i)))
                })
              }
            />
          )}
          {canEdit && (
            <AddLineForm
              partnerListId="pot-partners"
              streamListId="pot-streams"
              defaultPartner={actor.organisation}
              onAdd={(fields) => act(() => addPotLine(doc, fields, actor, Date.now()))}
            />
          )}
          {removal.notice}
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="pot-toolbar" role="group" aria-label="Arrange the contributions">
            <label>
              Group by{' '}
              <EnumSelect
                label="Group by"
                value={arrangement.group}
                options={POT_GROUPS}
                labels={GROUP_LABELS}
                onChange={(group) => arrange({ group })}
              />
            </label>
            <label>
              Sort by{' '}
              <EnumSelect
                label="Sort by"
                value={arrangement.sort}
                options={POT_SORTS}
                labels={SORT_LABELS}
                onChange={(sort) => arrange({ sort })}
              />
            </label>
            <button
              type="button"
              className="button small"
              aria-pressed={arrangement.descending}
              onClick={() => arrange({ descending: !arrangement.descending })}
            >
              {arrangement.descending ? 'Descending' : 'Ascending'}
            </button>
            <label>
              Status{' '}
              <EnumSelect
                label="Show status"
                value={arrangement.status ?? 'any'}
                options={['any', ...POT_STATUSES] as const}
                labels={{ any: 'Any', ...STATUS_LABELS }}
                onChange={(status) => arrange({ status: status === 'any' ? null : status })}
              />
            </label>
            <label>
              Mode{' '}
              <EnumSelect
                label="Show mode"
                value={arrangement.mode ?? 'any'}
                options={['any', ...POT_MODES] as const}
                labels={{ any: 'Any', ...MODE_LABELS }}
                onChange={(mode) => arrange({ mode: mode === 'any' ? null : mode })}
              />
            </label>
            <input
              type="search"
              aria-label="Find a contribution"
              placeholder="Find partner, stream, condition…"
              value={arrangement.search}
              onChange={(e) => arrange({ search: e.target.value })}
            />
            {shown !== lines.length && (
              <span className="muted" role="status">
                Showing {shown} of {lines.length}{' '}
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    setArrangement((a) => ({
                      ...DEFAULT_ARRANGEMENT,
                      sort: a.sort,
                      descending: a.descending,
                      group: a.group,
                    }))
                  }
                >
                  Clear filters
                </button>
              </span>
            )}
          </div>
          <PotGrid
            groups={groups}
            grouped={arrangement.group !== 'none'}
            canEdit={canEdit}
            empty={lines.length === 0 ? emptyPot : null}
            update={update}
            applyPaste={applyPaste}
            showHistory={setHistoryOf}
            remove={remove}
            placeOnBoard={onPlaceOnBoard ? placeOnBoard : undefined}
          />
          <PotChart totals={totals} />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own, so it must take focus for keyboard users to scroll it (WCAG 2.1.1) */}
        <aside className="pot-aside" tabIndex={0} aria-label="History of the pot">
          {historyOf !== null && (
            <button type="button" className="button small" onClick={() => setHistoryOf(null)}>
              Show the whole pot’s history
            </button>
          )}
          <PotHistory
            entries={historyEntries}
            title={
              historyOf === null
                ? 'History of the pot'
                : `History of ${historyLine ? lineLabel(historyLine) : 'a removed line'}`
            }
          />
        </aside>
      </div>
    </div>
  )
}
