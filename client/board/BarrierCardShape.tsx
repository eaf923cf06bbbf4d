/**
 * A barrier placed on the board as a live card. The shape stores only the barrier's id (and its
 * size); the title, status, department and dots are read from the workshop's Y.Doc as they are now,
 * so a barrier moved on in the Barriers tab moves on every card that names it, on every board.
 */
import { useContext, useEffect, useState, type JSX } from 'react'
import type * as Y from 'yjs'
import { BaseBoxShapeUtil, HTMLContainer, T, type RecordProps, type TLShape } from '@tldraw/tldraw'
import { BARRIER_STATUS_LABELS, DEPARTMENT_LABELS, readBarrier, type Barrier } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import { getBarriersMap, getVotesMap } from '../../shared/schema.ts'
import { BoardDocContext, storeDoc, useSectionItem } from './cardDoc.ts'
import { barrierFace, dotsText, readDots, type CardDots } from './cardFaces.ts'
import { CardSvg } from './cardSvg.tsx'
import './cards.css'

export const BARRIER_SHAPE_TYPE = 'barrier'

declare module '@tldraw/tldraw' {
  interface TLGlobalShapePropsMap {
    [BARRIER_SHAPE_TYPE]: { barrierId: string; w: number; h: number }
  }
}

export type BarrierCardShape = TLShape<typeof BARRIER_SHAPE_TYPE>

export const BARRIER_CARD_SIZE = { w: 260, h: 140 } as const

/** The barrier as it is now in `doc`, or null once it has been removed. */
export function useBarrier(doc: Y.Doc | null, barrierId: string): Barrier | null {
  return useSectionItem(doc, getBarriersMap, barrierId, readBarrier)
}

function sameDots(a: CardDots | null, b: CardDots | null): boolean {
  return a === b || (a !== null && b !== null && a.count === b.count && a.ended === b.ended)
}

/** The barrier's dots, kept current as votes run (re-rendering only when its own count changes). */
export function useBarrierDots(doc: Y.Doc | null, barrierId: string): CardDots | null {
  const [dots, setDots] = useState<CardDots | null>(() => (doc ? readDots(doc, barrierId) : null))
  useEffect(() => {
    if (!doc) {
      setDots(null)
      return
    }
    const votes = getVotesMap(doc)
    const refresh = () => {
      const next = readDots(doc, barrierId)
      setDots((current) => (sameDots(current, next) ? current : next))
    }
    refresh()
    votes.observeDeep(refresh)
    return () => votes.unobserveDeep(refresh)
  }, [doc, barrierId])
  return dots
}

function DotsLine({ dots }: { dots: CardDots }): JSX.Element {
  if (dots.count === null) return <span className="board-card-dots muted">{dotsText(dots)}</span>
  const shown = Math.min(dots.count, 12)
  return (
    <span className="board-card-dots" data-testid="barrier-card-dots">
      <span className="board-card-dot-row" aria-hidden="true">
        {Array.from({ length: shown }, (_, i) => (
          <span key={i} className="board-card-dot" />
        ))}
      </span>
      {dotsText(dots)}
    </span>
  )
}

function BarrierCard({ barrierId }: { barrierId: string }): JSX.Element {
  const doc = useContext(BoardDocContext)
  const barrier = useBarrier(doc, barrierId)
  const dots = useBarrierDots(doc, barrierId)
  if (!barrier) {
    return (
      <div className="board-card board-card-removed" data-barrier-id={barrierId} data-removed="true">
        <p className="board-card-kicker">Barrier</p>
        <p className="board-card-title">Removed barrier</p>
        <p className="board-card-note">This barrier is no longer in the register.</p>
      </div>
    )
  }
  return (
    <div
      className="board-card barrier-card"
      data-barrier-id={barrierId}
      data-status={barrier.status}
      role="group"
      aria-label={`Barrier: ${barrier.title}`}
    >
      <p className="board-card-kicker">
        <span>Barrier</span>
        <span className="board-card-department" title={DEPARTMENT_LABELS[barrier.department]}>
          {barrier.department}
        </span>
      </p>
      <p className="board-card-title" title={barrier.title}>
        {barrier.title}
      </p>
      <div className="board-card-foot">
        <span className="board-card-status" data-testid="barrier-card-status">
          <span className="board-card-swatch" aria-hidden="true" />
          {BARRIER_STATUS_LABELS[barrier.status]}
        </span>
        {dots && <DotsLine dots={dots} />}
        {!dots && barrier.dueDate && <span className="board-card-meta">Due {formatIsoDate(barrier.dueDate)}</span>}
      </div>
    </div>
  )
}

/** A resizable card bound to one barrier by id. */
export class BarrierCardShapeUtil extends BaseBoxShapeUtil<BarrierCardShape> {
  static override type = BARRIER_SHAPE_TYPE
  static override props: RecordProps<BarrierCardShape> = {
    barrierId: T.string,
    w: T.nonZeroNumber,
    h: T.nonZeroNumber,
  }

  override getDefaultProps(): BarrierCardShape['props'] {
    return { barrierId: '', w: BARRIER_CARD_SIZE.w, h: BARRIER_CARD_SIZE.h }
  }

  override canResize(): boolean {
    return true
  }

  override isAspectRatioLocked(): boolean {
    return false
  }

  override component(shape: BarrierCardShape): JSX.Element {
    return (
      <HTMLContainer className="board-card-container" style={{ width: shape.props.w, height: shape.props.h }}>
        <BarrierCard barrierId={shape.props.barrierId} />
      </HTMLContainer>
    )
  }

  /** In pictures of the board: the card drawn from the barrier as it is in the board's document. */
  override toSvg(shape: BarrierCardShape): JSX.Element {
    const face = barrierFace(storeDoc(this.editor.store), shape.props.barrierId)
    return <CardSvg face={face} w={shape.props.w} h={shape.props.h} id={shape.id} />
  }

  override getIndicatorPath(shape: BarrierCardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}
