import { useState, type DragEvent } from 'react'
import {
  BARRIER_STATUS_LABELS,
  BARRIER_STATUSES,
  barriersByStatus,
  canMoveBarrier,
  type Barrier,
  type BarrierStatus,
} from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import { formatMoneyCompact } from '../../shared/money.ts'
import type { BarrierRowModel } from './BarrierList.tsx'
import { DotControl, StatusSelect } from './parts.tsx'

/** The drag payload's type: a barrier id. */
const DRAG_TYPE = 'application/x-commonpot-barrier'

interface Props {
  rows: readonly BarrierRowModel[]
  canEdit: boolean
  openId: string | null
  onOpen: (id: string) => void
  onMove: (barrier: Barrier, status: BarrierStatus) => void
  onPlaceDot: (barrier: Barrier) => void
  onTakeBackDot: (barrier: Barrier) => void
}

/**
 * One column per status. Cards move by dragging (columns the rules forbid are marked while
 * dragging, and a drop there is refused with the rule) or with each card's status select.
 */
export function BarrierBoard({ rows, canEdit, openId, onOpen, onMove, onPlaceDot, onTakeBackDot }: Props) {
  const [dragging, setDragging] = useState<Barrier | null>(null)
  const [over, setOver] = useState<BarrierStatus | null>(null)
  const byId = new Map(rows.map((row) => [row.barrier.id, row]))
  const columns = barriersByStatus(rows.map((row) => row.barrier))

  const endDrag = () => {
    setDragging(null)
    setOver(null)
  }
  const dragOver = (status: BarrierStatus) => (event: DragEvent) => {
    if (!dragging && !event.dataTransfer.types.includes(DRAG_TYPE)) return
    // Every column takes the drop, so that a refused one can say why.
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
    if (over !== status) setOver(status)
  }
  const drop = (status: BarrierStatus) => (event: DragEvent) => {
    event.preventDefault()
    const id = event.dataTransfer.getData(DRAG_TYPE) || dragging?.id
    const barrier = id ? byId.get(id)?.barrier : undefined
    endDrag()
    if (barrier && barrier.status !== status) onMove(barrier, status)
  }

  return (
    <div className={`barrier-board${dragging ? ' is-dragging' : ''}`}>
      {BARRIER_STATUSES.map((status) => {
        const allowed = dragging ? canMoveBarrier(dragging.status, status) : true
        const headingId = `barrier-column-${status}`
        const cards = columns[status]
        const state = !dragging
          ? ''
          : dragging.status === status
            ? ' drop-home'
            : allowed
              ? ' drop-allowed'
              : ' drop-forbidden'
        return (
          <section
            key={status}
            className={`board-column status-${status}${state}${over === status ? ' drop-over' : ''}`}
            aria-labelledby={headingId}
            data-status={status}
            data-drop={dragging ? (dragging.status === status ? 'home' : allowed ? 'allowed' : 'forbidden') : undefined}
            onDragOver={canEdit ? dragOver(status) : undefined}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null) && over === status) setOver(null)
            }}
            onDrop={canEdit ? drop(status) : undefined}
          >
            <header className="board-column-header">
              <h3 id={headingId}>
                <span className={`status-dot status-${status}`} aria-hidden="true" />
                {BARRIER_STATUS_LABELS[status]}
              </h3>
              <span className="count" aria-label={`${cards.length} ${cards.length === 1 ? 'barrier' : 'barriers'}`}>
                {cards.length}
              </span>
            </header>
            {dragging && !allowed && (
              <p className="drop-note" aria-hidden="true">
                ⊘ Not allowed from {BARRIER_STATUS_LABELS[dragging.status].toLowerCase()}
              </p>
            )}
            <ul className="board-cards" aria-labelledby={headingId}>
              {cards.map((barrier) => {
                const row = byId.get(barrier.id)!
                return (
                  <li
                    key={barrier.id}
                    className={`board-card${openId === barrier.id ? ' open' : ''}${dragging?.id === barrier.id ? ' dragging' : ''}`}
                    data-barrier-id={barrier.id}
                    draggable={canEdit}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(DRAG_TYPE, barrier.id)
                      event.dataTransfer.setData('text/plain', barrier.title)
                      event.dataTransfer.effectAllowed = 'move'
                      setDragging(barrier)
                    }}
                    onDragEnd={endDrag}
                  >
                    <button
                      type="button"
                      className="board-card-title"
                      aria-expanded={openId === barrier.id}
                      onClick={() => onOpen(barrier.id)}
                    >
                      {barrier.title}
                    </button>
                    <div className="board-card-meta">
                      <span className="department">{barrier.department}</span>
                      <span className="muted">{barrier.raisedBy}</span>
                    </div>
                    {(barrier.impactPence !== null || barrier.dueDate || row.linkedActions > 0) && (
                      <div className="board-card-meta">
                        {barrier.impactPence !== null && (
                          <span className="impact">{formatMoneyCompact(barrier.impactPence)}</span>
                        )}
                        {barrier.dueDate && (
                          <span className={row.overdue ? 'overdue' : 'muted'}>
                            Due {formatIsoDate(barrier.dueDate)}
                          </span>
                        )}
                        {row.linkedActions > 0 && (
                          <span className="chip">
                            {row.linkedActions} {row.linkedActions === 1 ? 'action' : 'actions'}
                          </span>
                        )}
                      </div>
                    )}
                    <div className="board-card-footer">
                      {canEdit && <StatusSelect barrier={barrier} onMove={(next) => onMove(barrier, next)} />}
                      {row.dots && (
                        <DotControl
                          title={barrier.title}
                          state={row.dots}
                          onPlace={() => onPlaceDot(barrier)}
                          onTakeBack={() => onTakeBackDot(barrier)}
                        />
                      )}
                    </div>
                  </li>
                )
              })}
              {cards.length === 0 && (
                <li className="board-empty">
                  {dragging && allowed && dragging.status !== status ? 'Drop here' : 'Nothing here'}
                </li>
              )}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
