/**
 * An action (or decision) placed on the board as a live card. The shape stores only the item's id
 * (and its size); what, owner, due date and status (or, for a decision, who agreed) are read from
 * the workshop's Y.Doc as they are now, and an overdue action says so on every board.
 */
import { useContext, type JSX } from 'react'
import type * as Y from 'yjs'
import { BaseBoxShapeUtil, HTMLContainer, T, type RecordProps, type TLShape } from '@tldraw/tldraw'
import { ACTION_STATUS_LABELS, isOverdue, readActionItem, type ActionItem } from '../../shared/actions.ts'
import { formatIsoDate, localIsoDate } from '../../shared/dates.ts'
import { getActionsMap } from '../../shared/schema.ts'
import { useToday } from '../actions/useToday.ts'
import { BoardDocContext, storeDoc, useSectionItem } from './cardDoc.ts'
import { actionFace } from './cardFaces.ts'
import { CardSvg } from './cardSvg.tsx'
import './cards.css'

export const ACTION_SHAPE_TYPE = 'action'

declare module '@tldraw/tldraw' {
  interface TLGlobalShapePropsMap {
    [ACTION_SHAPE_TYPE]: { actionId: string; w: number; h: number }
  }
}

export type ActionCardShape = TLShape<typeof ACTION_SHAPE_TYPE>

export const ACTION_CARD_SIZE = { w: 260, h: 140 } as const

/** The action or decision as it is now in `doc`, or null once it has been removed. */
export function useActionItem(doc: Y.Doc | null, actionId: string): ActionItem | null {
  return useSectionItem(doc, getActionsMap, actionId, readActionItem)
}

function ActionCard({ actionId }: { actionId: string }): JSX.Element {
  const doc = useContext(BoardDocContext)
  const item = useActionItem(doc, actionId)
  const today = useToday()
  if (!item) {
    return (
      <div className="board-card board-card-removed" data-action-id={actionId} data-removed="true">
        <p className="board-card-kicker">Action</p>
        <p className="board-card-title">Removed action</p>
        <p className="board-card-note">This item is no longer in the action log.</p>
      </div>
    )
  }
  if (item.kind === 'decision') {
    return (
      <div
        className="board-card decision-card"
        data-action-id={actionId}
        role="group"
        aria-label={`Decision: ${item.what}`}
      >
        <p className="board-card-kicker">Decision</p>
        <p className="board-card-title" title={item.what}>
          {item.what}
        </p>
        <p className="board-card-meta" title={item.agreedBy.join(', ')}>
          {item.agreedBy.length === 0 ? 'Not yet agreed by anyone' : `Agreed by ${item.agreedBy.join(', ')}`}
        </p>
      </div>
    )
  }
  const overdue = isOverdue(item, today)
  const owner = [item.ownerOrganisation, item.ownerPerson].filter(Boolean).join(' · ')
  return (
    <div
      className="board-card action-card"
      data-action-id={actionId}
      data-status={item.status}
      data-overdue={overdue}
      role="group"
      aria-label={`Action: ${item.what}`}
    >
      <p className="board-card-kicker">
        <span>Action</span>
        {overdue && <span className="board-card-overdue">Overdue</span>}
      </p>
      <p className="board-card-title" title={item.what}>
        {item.what}
      </p>
      <p className="board-card-meta" title={owner}>
        {owner}
      </p>
      <div className="board-card-foot">
        <span className="board-card-status" data-testid="action-card-status">
          <span className="board-card-swatch" aria-hidden="true" />
          {ACTION_STATUS_LABELS[item.status]}
        </span>
        <span className="board-card-due">{item.dueDate ? `Due ${formatIsoDate(item.dueDate)}` : 'No due date'}</span>
      </div>
    </div>
  )
}

/** A resizable card bound to one action or decision by id. */
export class ActionCardShapeUtil extends BaseBoxShapeUtil<ActionCardShape> {
  static override type = ACTION_SHAPE_TYPE
  static override props: RecordProps<ActionCardShape> = {
    actionId: T.string,
    w: T.nonZeroNumber,
    h: T.nonZeroNumber,
  }

  override getDefaultProps(): ActionCardShape['props'] {
    return { actionId: '', w: ACTION_CARD_SIZE.w, h: ACTION_CARD_SIZE.h }
  }

  override canResize(): boolean {
    return true
  }

  override isAspectRatioLocked(): boolean {
    return false
  }

  override component(shape: ActionCardShape): JSX.Element {
    return (
      <HTMLContainer className="board-card-container" style={{ width: shape.props.w, height: shape.props.h }}>
        <ActionCard actionId={shape.props.actionId} />
      </HTMLContainer>
    )
  }

  /** In pictures of the board: the card drawn from the item as it is in the board's document, overdue as of today. */
  override toSvg(shape: ActionCardShape): JSX.Element {
    const face = actionFace(storeDoc(this.editor.store), shape.props.actionId, localIsoDate(new Date()))
    return <CardSvg face={face} w={shape.props.w} h={shape.props.h} id={shape.id} />
  }

  override getIndicatorPath(shape: ActionCardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}
