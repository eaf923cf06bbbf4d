/**
 * A pot contribution line placed on the board as a live card. The shape stores only the line's id
 * (and its size); the partner, amount and status are read from the workshop's Y.Doc as they are now,
 * so a change made in the Pot tab shows on every card that names the line, on every board.
 */
import { useContext, type JSX } from 'react'
import type * as Y from 'yjs'
import { BaseBoxShapeUtil, HTMLContainer, T, type RecordProps, type TLShape } from '@tldraw/tldraw'
import { lineLabel, readPotLine, STATUS_LABELS, type PotLine } from '../../shared/pot.ts'
import { formatMoney } from '../../shared/money.ts'
import { getPotMap } from '../../shared/schema.ts'
import { STATUS_COLOURS } from '../pot/PotChart.tsx'
import { BoardDocContext, storeDoc, useSectionItem } from './cardDoc.ts'
import { potLineFace } from './cardFaces.ts'
import { CardSvg } from './cardSvg.tsx'

export const POT_LINE_SHAPE_TYPE = 'pot-line'

declare module '@tldraw/tldraw' {
  interface TLGlobalShapePropsMap {
    [POT_LINE_SHAPE_TYPE]: { lineId: string; w: number; h: number }
  }
}

export type PotLineCardShape = TLShape<typeof POT_LINE_SHAPE_TYPE>

export const POT_LINE_CARD_SIZE = { w: 240, h: 120 } as const

/** The line as it is now in `doc`, or null once it has been removed; re-read whenever it changes. */
export function usePotLine(doc: Y.Doc | null, lineId: string): PotLine | null {
  return useSectionItem(doc, getPotMap, lineId, readPotLine)
}

function PotLineCard({ lineId }: { lineId: string }): JSX.Element {
  const doc = useContext(BoardDocContext)
  const line = usePotLine(doc, lineId)
  if (!line) {
    return (
      <div className="pot-card pot-card-removed" data-line-id={lineId} data-removed="true">
        <p className="pot-card-partner">Removed contribution</p>
        <p className="pot-card-note">This line is no longer in the pot.</p>
      </div>
    )
  }
  return (
    <div
      className={`pot-card status-${line.status}`}
      data-line-id={lineId}
      aria-label={`Contribution: ${lineLabel(line)}`}
      role="group"
    >
      <p className="pot-card-partner" title={line.partner}>
        {line.partner}
      </p>
      {line.stream && (
        <p className="pot-card-stream" title={line.stream}>
          {line.stream}
        </p>
      )}
      <p className="pot-card-amount" data-testid="pot-card-amount">
        {formatMoney(line.amount)}
      </p>
      <p className="pot-card-status">
        <span className="swatch" aria-hidden="true" style={{ background: STATUS_COLOURS[line.status] }} />
        {STATUS_LABELS[line.status]}
      </p>
    </div>
  )
}

/** A resizable card bound to one pot line by id. */
export class PotLineCardShapeUtil extends BaseBoxShapeUtil<PotLineCardShape> {
  static override type = POT_LINE_SHAPE_TYPE
  static override props: RecordProps<PotLineCardShape> = {
    lineId: T.string,
    w: T.nonZeroNumber,
    h: T.nonZeroNumber,
  }

  override getDefaultProps(): PotLineCardShape['props'] {
    return { lineId: '', w: POT_LINE_CARD_SIZE.w, h: POT_LINE_CARD_SIZE.h }
  }

  override canResize(): boolean {
    return true
  }

  override isAspectRatioLocked(): boolean {
    return false
  }

  override component(shape: PotLineCardShape): JSX.Element {
    return (
      <HTMLContainer className="pot-card-container" style={{ width: shape.props.w, height: shape.props.h }}>
        <PotLineCard lineId={shape.props.lineId} />
      </HTMLContainer>
    )
  }

  /** In pictures of the board: the card drawn from the line as it is in the board's document. */
  override toSvg(shape: PotLineCardShape): JSX.Element {
    const face = potLineFace(storeDoc(this.editor.store), shape.props.lineId)
    return <CardSvg face={face} w={shape.props.w} h={shape.props.h} id={shape.id} />
  }

  override getIndicatorPath(shape: PotLineCardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}
