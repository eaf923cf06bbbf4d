/**
 * Two states of the board side by side, each read-only and framed on its content, with what
 * changed outlined: on the left what was removed or changed, on the right what was added or changed.
 */
import { useEffect, useState, type JSX } from 'react'
import type * as Y from 'yjs'
import type { BoardDiff } from '../../shared/diff.ts'
import ReadOnlyBoard from '../board/ReadOnlyBoard.tsx'

const count = (n: number, what: string) => `${n} ${what}`

export default function BoardComparison({
  before,
  after,
  beforeLabel,
  afterLabel,
  diff,
}: {
  before: Y.Doc
  after: Y.Doc
  beforeLabel: string
  afterLabel: string
  diff: BoardDiff
}): JSX.Element {
  const changed = diff.changed.map((s) => s.id)
  // Two boards of thousands of shapes take seconds to draw: the diff above is painted first.
  const [show, setShow] = useState(false)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setShow(true), 0)))
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [])
  if (!show) return <p className="hint">Drawing both boards…</p>
  return (
    <section className="board-pair" aria-label="Boards side by side">
      <figure>
        <figcaption>
          <strong>{beforeLabel}</strong> · {count(diff.removed.length, 'removed')},{' '}
          {count(diff.changed.length, 'changed')}
        </figcaption>
        <ReadOnlyBoard
          doc={before}
          label={`Board: ${beforeLabel}`}
          highlight={[...diff.removed.map((s) => s.id), ...changed]}
          bare
        />
      </figure>
      <figure>
        <figcaption>
          <strong>{afterLabel}</strong> · {count(diff.added.length, 'added')}, {count(diff.changed.length, 'changed')}
        </figcaption>
        <ReadOnlyBoard
          doc={after}
          label={`Board: ${afterLabel}`}
          highlight={[...diff.added.map((s) => s.id), ...changed]}
          bare
        />
      </figure>
    </section>
  )
}
