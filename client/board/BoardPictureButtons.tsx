/**
 * "Download picture" as PNG and as SVG, for the live board and for a snapshot's board: anyone who
 * can see the board can take its picture away.
 */
import { useState, type JSX } from 'react'
import { useValue, type Editor } from '@tldraw/tldraw'
import { exportFileName } from '../../shared/exportFileName.ts'
import { downloadBlob } from '../ui/downloadBlob.ts'
import { boardPicture, type PictureFormat, type PictureLabel } from './exportBoard.ts'

export interface BoardPictureButtonsProps {
  editor: Editor | null
  /** Read when the picture is made, so that it names the board as it is then. */
  label: () => PictureLabel & {
    /** The workshop's title, for the file name. */
    workshopTitle: string
    /** After "board" in the file name (a snapshot's name), if anything. */
    part?: string
    /** The London day in the file name: today, or the snapshot's day. */
    when: Date
  }
}

export function BoardPictureButtons({ editor, label }: BoardPictureButtonsProps): JSX.Element {
  const [busy, setBusy] = useState<PictureFormat | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const empty = useValue('board is empty', () => (editor ? editor.getCurrentPageShapeIds().size === 0 : true), [editor])

  async function download(format: PictureFormat) {
    if (!editor) return
    setBusy(format)
    setProblem(null)
    try {
      const { workshopTitle, part, when, ...picture } = label()
      const blob = await boardPicture(editor, format, picture)
      if (!blob) {
        setProblem('The board is empty: there is nothing to draw.')
        return
      }
      const name = exportFileName({ title: workshopTitle, part: 'board', snapshot: part, when, ext: format })
      downloadBlob(blob, name)
    } catch (error) {
      setProblem(`The picture could not be made: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      setBusy(null)
    }
  }

  return (
    <>
      {(['png', 'svg'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button small"
          onClick={() => void download(format)}
          disabled={!editor || busy !== null || empty}
          title={empty ? 'Nothing is on the board yet.' : undefined}
        >
          {busy === format ? 'Making the picture…' : `Download picture (${format.toUpperCase()})`}
        </button>
      ))}
      {problem && (
        <span className="form-error" role="alert">
          {problem}
        </span>
      )}
    </>
  )
}
