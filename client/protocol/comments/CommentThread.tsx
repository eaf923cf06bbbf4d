/**
 * A clause's comment thread behind a "Comments (n open)" disclosure: comments oldest first, each
 * with its author, organisation (in the organisation's colour) and time; resolved ones folded to
 * "Resolved by X" with a Reopen button. Observers read the thread but get no form and no buttons
 * (the server would refuse their writes anyway).
 *
 * Selectors for browser tests: the toggle is the button named "Comments (n open)"; the panel is
 * `.comment-thread`, its list is named "Comments on <clause title>", each comment is
 * `li.comment[data-comment-id]` (`.comment-resolved` once resolved); the text box is labelled
 * "Comment on <clause title>".
 */
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react'
import { organisationColour } from '../../../shared/organisations.ts'
import {
  addComment,
  COMMENT_MAX,
  openCommentCount,
  reopenComment,
  resolveComment,
  type ClauseComment,
} from '../../../shared/protocolComments.ts'
import { FormField } from '../../ui/FormField.tsx'
import { useChangeRunner } from '../../ui/useChangeRunner.ts'
import { useWorkshop } from '../../workshop/WorkshopContext.tsx'
import { formatCommentTime } from './commentTime.ts'
import { useClauseComments, useNow } from './useClauseComments.ts'

interface Props {
  clauseId: string
  clauseTitle: string
  canEdit: boolean
}

/** Past this many characters the box shows how many are left. */
const COUNT_FROM = COMMENT_MAX - 200

export function CommentThread({ clauseId, clauseTitle, canEdit }: Props) {
  const { doc, actor } = useWorkshop()
  const comments = useClauseComments(doc, clauseId)
  const [expanded, setExpanded] = useState(false)
  const [draft, setDraft] = useState('')
  const [problem, run] = useChangeRunner()
  const now = useNow(expanded)
  const id = useId()
  const panelId = `${id}-thread`
  const hintId = `${id}-hint`
  const open = openCommentCount(comments)

  function submit() {
    run(() => {
      addComment(doc, clauseId, draft, actor, Date.now())
      setDraft('')
    })
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    submit()
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      submit()
    }
  }

  return (
    <section className="comments">
      <button
        type="button"
        className="button small comments-toggle"
        aria-expanded={expanded}
        aria-controls={panelId}
        onClick={() => setExpanded(!expanded)}
      >
        Comments ({open} open)
      </button>
      {expanded && (
        <div id={panelId} className="comment-thread">
          {comments.length === 0 ? (
            <p className="hint">No comments yet.</p>
          ) : (
            <ol className="comment-list" aria-label={`Comments on ${clauseTitle}`}>
              {comments.map((comment) => (
                <CommentItem
                  key={comment.id}
                  comment={comment}
                  now={now}
                  canEdit={canEdit}
                  onResolve={() => run(() => resolveComment(doc, clauseId, comment.id, actor, Date.now()))}
                  onReopen={() => run(() => reopenComment(doc, clauseId, comment.id))}
                />
              ))}
            </ol>
          )}
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          {canEdit && (
            <form className="comment-form" onSubmit={onSubmit}>
              {/* The hint sits beside the button, below the box, so the field does not place it. */}
              <FormField
                as={null}
                id={`${id}-text`}
                label={`Comment on ${clauseTitle}`}
                labelClassName="visually-hidden"
                describedBy={hintId}
              >
                {(control) => (
                  <textarea
                    {...control}
                    rows={2}
                    value={draft}
                    placeholder="Add a comment"
                    onChange={(event) => setDraft(event.target.value)}
                    onKeyDown={onKeyDown}
                  />
                )}
              </FormField>
              <div className="comment-form-row">
                <span id={hintId} className="hint">
                  Ctrl+Enter (⌘+Enter on a Mac) sends.
                  {draft.length > COUNT_FROM && ` ${draft.trim().length} of ${COMMENT_MAX} characters.`}
                </span>
                <button type="submit" className="button small primary">
                  Comment
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </section>
  )
}

interface ItemProps {
  comment: ClauseComment
  now: number
  canEdit: boolean
  onResolve: () => void
  onReopen: () => void
}

function CommentItem({ comment, now, canEdit, onResolve, onReopen }: ItemProps) {
  const colour = organisationColour(comment.by.organisation)
  const time = formatCommentTime(comment.at, now)
  // Names tell the buttons apart for screen readers when one person comments more than once.
  const which = `comment by ${comment.by.name}: “${excerpt(comment.text)}”`
  const when = (
    <time dateTime={time.iso} title={time.absolute}>
      {time.relative}
    </time>
  )
  if (comment.resolved) {
    return (
      <li className="comment comment-resolved" data-comment-id={comment.id}>
        {/* Folded to one line; the text stays one click (or Enter) away. */}
        <details>
          <summary>
            Resolved by {comment.resolved.by.name}
            <span className="muted">
              {' '}
              · comment by {comment.by.name}, {when}
            </span>
          </summary>
          <p className="comment-text">{comment.text}</p>
        </details>
        {canEdit && (
          <button type="button" className="button small" aria-label={`Reopen ${which}`} onClick={onReopen}>
            Reopen
          </button>
        )}
      </li>
    )
  }
  return (
    <li className="comment" data-comment-id={comment.id} style={{ borderLeftColor: colour }}>
      <div className="comment-meta">
        <strong>{comment.by.name}</strong>
        <span className="comment-organisation" style={{ color: colour }}>
          {comment.by.organisation}
        </span>
        <span className="muted">{when}</span>
        {canEdit && (
          <button type="button" className="button small" aria-label={`Resolve ${which}`} onClick={onResolve}>
            Resolve
          </button>
        )}
      </div>
      <p className="comment-text">{comment.text}</p>
    </li>
  )
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 40 ? `${line.slice(0, 39)}…` : line
}
