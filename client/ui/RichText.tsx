/**
 * A clause body rendered from its structure (shared/richText.ts), wherever it is shown outside the
 * editor: the printed agreement, the protocol for signature, the compare view. Bold is <strong>,
 * italic <em>, links real links that pass on nothing about the workshop, lists real lists. Given
 * a diff (shared/richDiff.ts), added words are <ins> and removed ones <del>, in their formatting.
 */
import { Fragment, type ReactNode } from 'react'
import type { RichDiffBlock, RichDiffRun } from '../../shared/richDiff.ts'
import './richText.css'

/** The export's tree is built by readRichText, which keeps only these; checked again where it is drawn. */
const SAFE_LINK = /^(https?:|mailto:)/i

type HeadingTag = 'h2' | 'h3' | 'h4' | 'h5' | 'h6'
const HEADINGS: readonly HeadingTag[] = ['h2', 'h3', 'h4', 'h5', 'h6']

interface Props {
  /** The body, or a diff of it (a plain body is a diff with nothing marked). */
  blocks: readonly RichDiffBlock[]
  /**
   * The heading level the body's own level-2 headings take on this page, so that they sit below
   * the clause's title (a clause titled in an h3 passes 4). Capped at h6.
   */
  headingLevel?: 3 | 4 | 5 | 6
  className?: string
  /** Shown when the body has no text. */
  empty?: ReactNode
}

/** A run's text, its line breaks (hard breaks in the editor) as <br>. */
function lines(text: string): ReactNode {
  const [first = '', ...rest] = text.split('\n')
  if (rest.length === 0) return first
  return [first, ...rest.flatMap((part, i) => [<br key={`br${i}`} />, part])]
}

function renderRun(run: RichDiffRun, key: number): ReactNode {
  let out: ReactNode = lines(run.text)
  if (run.italic) out = <em>{out}</em>
  if (run.bold) out = <strong>{out}</strong>
  if (run.link && SAFE_LINK.test(run.link))
    out = (
      <a href={run.link} rel="noopener noreferrer nofollow" target="_blank">
        {out}
      </a>
    )
  if (run.change === 'added') return <ins key={key}>{out}</ins>
  if (run.change === 'removed') return <del key={key}>{out}</del>
  return <Fragment key={key}>{out}</Fragment>
}

const changeClass = (block: { change?: 'added' | 'removed' }) =>
  block.change ? `rich-block-${block.change}` : undefined

function renderBlocks(blocks: readonly RichDiffBlock[], headingLevel: number): ReactNode[] {
  return blocks.map((block, i) => {
    if (block.type === 'list') {
      const List = block.ordered ? 'ol' : 'ul'
      return (
        <List key={i}>
          {block.items.map((item, j) => (
            <li key={j}>{renderBlocks(item, headingLevel)}</li>
          ))}
        </List>
      )
    }
    const runs = block.runs.map(renderRun)
    if (block.type === 'heading') {
      const Tag = HEADINGS[Math.min(headingLevel + block.level - 2, 6) - 2]!
      return (
        <Tag key={i} className={changeClass(block)}>
          {runs}
        </Tag>
      )
    }
    return (
      <p key={i} className={changeClass(block)}>
        {runs}
      </p>
    )
  })
}

const hasText = (blocks: readonly RichDiffBlock[]): boolean =>
  blocks.some((block) =>
    block.type === 'list' ? block.items.some(hasText) : block.runs.some((run) => run.text.trim() !== ''),
  )

export function RichText({ blocks, headingLevel = 4, className, empty }: Props) {
  if (!hasText(blocks) && empty !== undefined) return <>{empty}</>
  return <div className={className ? `rich-text ${className}` : 'rich-text'}>{renderBlocks(blocks, headingLevel)}</div>
}
