/**
 * The Board tab of a snapshot: the canvas exactly as it was, read-only, with its picture (PNG or
 * SVG) to download. Loaded lazily with tldraw, like the live board.
 */
import { useState, type JSX } from 'react'
import type * as Y from 'yjs'
import type { Editor } from '@tldraw/tldraw'
import { BoardPictureButtons } from '../board/BoardPictureButtons.tsx'
import ReadOnlyBoard from '../board/ReadOnlyBoard.tsx'

export interface SnapshotBoardProps {
  doc: Y.Doc
  /** The snapshot's name. */
  name: string
  /** The workshop's title as it was, for the picture's file name. */
  workshopTitle: string
  /** When the snapshot was taken: the day in the picture's file name. */
  takenAt: Date
  /** Written into the picture, so that it says which exact state it shows. */
  description: string
}

export default function SnapshotBoard({
  doc,
  name,
  workshopTitle,
  takenAt,
  description,
}: SnapshotBoardProps): JSX.Element {
  const [editor, setEditor] = useState<Editor | null>(null)
  const shapeCount = editor ? editor.getCurrentPageShapeIds().size : null
  const label = () => ({
    workshopTitle,
    part: name,
    when: takenAt,
    title: `Board of ${workshopTitle || 'the workshop'}, snapshot ${name}`,
    description,
  })

  return (
    <div className="snapshot-board">
      <div className="snapshot-board-bar">
        <span className="hint">
          {shapeCount === null
            ? 'Loading the board…'
            : shapeCount === 0
              ? 'Nothing was on the board.'
              : `${shapeCount} shape${shapeCount === 1 ? '' : 's'} on the board, as they were.`}
        </span>
        <BoardPictureButtons editor={editor} label={label} />
      </div>
      <ReadOnlyBoard doc={doc} label={`Board of the snapshot ${name}`} onEditor={setEditor} />
    </div>
  )
}
