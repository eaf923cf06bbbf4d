import { Fragment, type ReactNode } from 'react'
import { DEPARTMENT_LABELS, type Barrier, type BarrierStatus } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import { formatMoney } from '../../shared/money.ts'
import { DotControl, StatusBadge, StatusSelect, type DotState } from './parts.tsx'
import { gridCell, useGridKeyboard } from '../grid/useGridKeyboard.ts'

export interface BarrierRowModel {
  barrier: Barrier
  dots: DotState | null
  linkedActions: number
  overdue: boolean
}

interface Props {
  rows: readonly BarrierRowModel[]
  canEdit: boolean
  openId: string | null
  /** The details panel of the open barrier, shown as an expanded row under it. */
  details: ReactNode
  /** Whether there is a vote to show dots of (the column is left out before the first vote). */
  showDots: boolean
  voteTitle: string | null
  onToggle: (id: string) => void
  onMove: (barrier: Barrier, status: BarrierStatus) => void
  onPlaceDot: (barrier: Barrier) => void
  onTakeBackDot: (barrier: Barrier) => void
}

/**
 * The register as a table; a row opens into the barrier's details. The titles and statuses take
 * the grid's keyboard model (arrows between barriers and across, Enter to open or choose).
 */
export function BarrierList({
  rows,
  canEdit,
  openId,
  details,
  showDots,
  voteTitle,
  onToggle,
  onMove,
  onPlaceDot,
  onTakeBackDot,
}: Props) {
  const { gridProps } = useGridKeyboard({})
  return (
    <div className="table-scroll barrier-table-scroll">
      <table className="barrier-table" {...gridProps}>
        <caption className="visually-hidden">Barriers</caption>
        <thead>
          <tr>
            <th scope="col">Barrier</th>
            {showDots && (
              <th scope="col" className="dots-col">
                Dots{voteTitle && <span className="visually-hidden"> in the vote “{voteTitle}”</span>}
              </th>
            )}
            <th scope="col">Status</th>
            <th scope="col">Department · champion</th>
            <th scope="col">Raised by</th>
            <th scope="col" className="num">
              Impact
            </th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ barrier, dots, linkedActions, overdue }, index) => {
            const open = openId === barrier.id
            const detailsId = `barrier-row-details-${barrier.id}`
            return (
              <Fragment key={barrier.id}>
                <tr
                  className={`barrier-row status-${barrier.status}${open ? ' open' : ''}`}
                  data-barrier-id={barrier.id}
                >
                  <td className="barrier-title-cell">
                    <button
                      type="button"
                      className="barrier-title-button"
                      aria-expanded={open}
                      aria-controls={open ? detailsId : undefined}
                      onClick={() => onToggle(barrier.id)}
                      {...gridCell(index, 0)}
                    >
                      <span className="chevron" aria-hidden="true">
                        ›
                      </span>
                      <span className="barrier-title-text">{barrier.title}</span>
                    </button>
                    {(barrier.rule || linkedActions > 0) && (
                      <span className="barrier-subline">
                        {barrier.rule && <span className="barrier-rule">{barrier.rule}</span>}
                        {linkedActions > 0 && (
                          <span className="chip">
                            {linkedActions} {linkedActions === 1 ? 'action' : 'actions'}
                          </span>
                        )}
                      </span>
                    )}
                  </td>
                  {showDots && (
                    <td className="dots-col">
                      <DotControl
                        title={barrier.title}
                        state={dots}
                        onPlace={() => onPlaceDot(barrier)}
                        onTakeBack={() => onTakeBackDot(barrier)}
                      />
                    </td>
                  )}
                  <td>
                    {canEdit ? (
                      <StatusSelect
                        barrier={barrier}
                        onMove={(status) => onMove(barrier, status)}
                        gridCell={gridCell(index, 2)}
                      />
                    ) : (
                      <StatusBadge status={barrier.status} />
                    )}
                  </td>
                  <td>
                    <span className="department" title={DEPARTMENT_LABELS[barrier.department]}>
                      {barrier.department}
                    </span>
                    {barrier.champion && <span className="champion">{barrier.champion}</span>}
                  </td>
                  <td>{barrier.raisedBy}</td>
                  <td className="num">
                    {barrier.impactPence === null ? <span className="muted">—</span> : formatMoney(barrier.impactPence)}
                    {barrier.familiesAffected !== null && (
                      <span className="families">
                        {barrier.familiesAffected.toLocaleString('en-GB')}{' '}
                        {barrier.familiesAffected === 1 ? 'family' : 'families'}
                      </span>
                    )}
                  </td>
                  <td className={overdue ? 'overdue' : undefined}>
                    {barrier.dueDate ? formatIsoDate(barrier.dueDate) : <span className="muted">—</span>}
                    {overdue && <span className="chip overdue-chip">Overdue</span>}
                  </td>
                </tr>
                {open && (
                  <tr className="barrier-details-row" id={detailsId}>
                    <td colSpan={showDots ? 7 : 6}>{details}</td>
                  </tr>
                )}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
