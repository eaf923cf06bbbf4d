/**
 * The Board tab of a snapshot: the canvas exactly as it was, read-only, with a PNG download.
 * Loaded lazily with tldraw, like the live board.
 */
import { useState, type JSX } from 'react'
import type * as Y from 'yjs'
import type { Editor } from '@tldraw/tldraw'
import ReadOnlyBoard from '../board/ReadOnlyBoard.tsx'
import { boardToPng } from '../board/boardPng.ts'
import { withPngText } from '../../shared/pngText.ts'
import { downloadBlob, fileSlug } from '../ui/downloadBlob.ts'

export interface SnapshotBoardProps {
  doc: Y.Doc
  name: string
  fileName: string
  /** Written into the PNG, so that the image says which exact state it shows. */
  description: string
}

export default function SnapshotBoard({ doc, name, fileName, description }: SnapshotBoardProps): JSX.Element {
  const [editor, setEditor] = useState<Editor | null>(null)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const shapeCount = editor ? editor.getCurrentPageShapeIds().size : null

  async function download() {
    if (!editor) return
    setBusy(true)
    setProblem(null)
    try {
      const png = await boardToPng(editor)
      if (png) {
        const signed = withPngText(new Uint8Array(await png.arrayBuffer()), 'Comment', description)
        downloadBlob(new Blob([signed], { type: 'image/png' }), `${fileSlug(fileName)}-board.png`)
      } else setProblem('The board is empty: there is nothing to export.')
    } catch (error) {
      setProblem(`The image could not be made: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      setBusy(false)
    }
  }

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
        <button
          type="button"
          className="button small"
          onClick={() => void download()}
          disabled={!editor || busy || shapeCount === 0}
        >
          {busy ? 'Making the image…' : 'Download board as PNG'}
        </button>
        {problem && (
          <span className="form-error" role="alert">
            {problem}
          </span>
        )}
      </div>
      <ReadOnlyBoard doc={doc} label={`Board of the snapshot ${name}`} onEditor={setEditor} />
    </div>
  )
}
