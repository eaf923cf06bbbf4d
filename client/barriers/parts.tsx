import type { GridCellProps } from '../grid/useGridKeyboard.ts'
/** Small pieces the list, the board and the details panel share. */
import {
  BARRIER_STATUS_LABELS,
  BARRIER_STATUSES,
  canMoveBarrier,
  type Barrier,
  type BarrierStatus,
} from '../../shared/barriers.ts'

export function StatusBadge({ status }: { status: BarrierStatus }) {
  return <span className={`barrier-status status-${status}`}>{BARRIER_STATUS_LABELS[status]}</span>
}

/** The keyboard way to move a barrier: statuses the rules forbid from here are listed but disabled. */
export function StatusSelect({
  barrier,
  onMove,
  disabled,
  gridCell,
}: {
  barrier: Barrier
  onMove: (status: BarrierStatus) => void
  disabled?: boolean
  /** Where the select sits in the register's grid (client/grid/useGridKeyboard.ts). */
  gridCell?: GridCellProps
}) {
  return (
    <select
      className={`status-select status-${barrier.status}`}
      aria-label={`Status of ${barrier.title}`}
      value={barrier.status}
      disabled={disabled}
      onChange={(e) => onMove(e.target.value as BarrierStatus)}
      {...gridCell}
    >
      {BARRIER_STATUSES.map((status) => (
        <option key={status} value={status} disabled={!canMoveBarrier(barrier.status, status)}>
          {BARRIER_STATUS_LABELS[status]}
        </option>
      ))}
    </select>
  )
}

/** Filled circles, one per dot. */
export function Dots({ count, className = '' }: { count: number; className?: string }) {
  return (
    <span className={`dots ${className}`} aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className="dot" />
      ))}
    </span>
  )
}

export interface DotState {
  /** This person's dots on the barrier in the open vote. */
  mine: number
  /** Dots on the barrier in the vote shown (open or last ended); null while results are hidden. */
  total: number | null
  /** Whether this person can place and take back dots now. */
  canVote: boolean
  /** The vote shown has ended (the total is the frozen result). */
  ended: boolean
}

interface DotControlProps {
  title: string
  state: DotState | null
  onPlace: () => void
  onTakeBack: () => void
}

/** A barrier's dots: the total when it may be seen, your own as filled circles, and − / + to move them. */
export function DotControl({ title, state, onPlace, onTakeBack }: DotControlProps) {
  if (!state) return <span className="muted">—</span>
  const total =
    state.total === null ? (
      <span className="dot-total hidden-total" title="Results are hidden until the vote ends">
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">Total hidden until the vote ends</span>
      </span>
    ) : (
      <span className="dot-total" data-testid="dot-total">
        {state.total}
        <span className="visually-hidden"> {state.total === 1 ? 'dot' : 'dots'} in total</span>
      </span>
    )
  if (!state.canVote) {
    return (
      <span className="dot-control readonly">
        {total}
        {state.mine > 0 && (
          <span className="mine-readonly">
            <Dots count={state.mine} className="mine" />
            <span className="visually-hidden">, {state.mine} of them yours</span>
          </span>
        )}
      </span>
    )
  }
  return (
    <span className="dot-control" role="group" aria-label={`Dots on ${title}`}>
      <button
        type="button"
        className="dot-button"
        aria-label={`Take back a dot from ${title}`}
        disabled={state.mine === 0}
        onClick={onTakeBack}
      >
        −
      </button>
      <span className="mine-dots" role="img" aria-label={`${state.mine} of your dots`}>
        {state.mine === 0 ? <span className="dot empty" /> : <Dots count={state.mine} className="mine" />}
      </span>
      <button type="button" className="dot-button place" aria-label={`Place a dot on ${title}`} onClick={onPlace}>
        +
      </button>
      {total}
    </span>
  )
}
