import { type DragEvent, useRef, useState } from 'react'
import { positionChoices, type PositionBasis } from '../../shared/linkIdentity.ts'
import {
  BLOCK_NEEDS_REASON,
  checkAgreement,
  clauseBody,
  CLAUSE_STATUS_LABELS,
  isClauseEditable,
  POSITION_LABELS,
  positionBasisText,
  POSITIONS,
  REASON_MAX,
  type Clause,
  type Position,
} from '../../shared/protocol.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { CopyLinkButton } from '../ui/CopyLinkButton.tsx'
import { FormField } from '../ui/FormField.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { ClauseEditor } from './editor/ClauseEditor.tsx'
import { CommentThread } from './comments/CommentThread.tsx'
import type { DropMark } from './reorder/useClauseDrag.ts'
import type { Receipt } from '../../shared/receipts.ts'
import { ClauseReceipt } from './receipts/ClauseReceipt.tsx'

interface Props {
  clause: Clause
  index: number
  count: number
  organisations: readonly string[]
  /** Whether this person may change the protocol now (it may be locked). */
  canEdit: boolean
  onMove: (clause: Clause, step: -1 | 1) => void
  onPropose: (clause: Clause) => void
  onReopen: (clause: Clause) => void
  onStatePosition: (
    clause: Clause,
    organisation: string,
    position: Position,
    reason: string,
    basis: PositionBasis,
  ) => void
  /** Handlers for the drag handle; the handle is shown to editors only. */
  dragHandle: { draggable: true; onDragStart: (event: DragEvent<HTMLElement>) => void; onDragEnd: () => void }
  /** This clause is being dragged. */
  dragging: boolean
  /** Where a dragged clause would land: the indicator line above or below this one. */
  dropMark: DropMark
  /** The server's signed receipt of this clause's agreement, when it is agreed. */
  receipt?: Receipt
}

/** One clause: its co-edited text, its state, every organisation's position, and its comment thread. */
export function ClauseCard(props: Props) {
  const { clause, index, count, organisations, canEdit } = props
  const { doc, awareness, actor, user, link, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const body = clauseBody(doc, clause.id)
  const check = checkAgreement(clause, organisations)
  // A bound link speaks for its organisation only; a facilitator may also choose to speak on another's behalf.
  const choices = positionChoices(link, actor.organisation, organisations)
  const [speakingFor, setSpeakingFor] = useState(0)
  const choice = choices[speakingFor] ?? choices[0]!
  const mine = clause.positions.get(choice.organisation)
  // The form starts from what this person stated before, never from someone else's words.
  const ownStatement = (organisation: string) => {
    const stated = clause.positions.get(organisation)
    return stated?.by.userId === actor.userId ? stated : undefined
  }
  const [position, setPosition] = useState<Position>(ownStatement(choice.organisation)?.position ?? 'agree')
  const [reason, setReason] = useState(ownStatement(choice.organisation)?.reason ?? '')
  // Checked here too, so that the message sits at the reason (the rule itself is the server's).
  const [reasonError, setReasonError] = useState<string | null>(null)
  const reasonInput = useRef<HTMLInputElement>(null)
  const headingId = `clause-${clause.id}`
  const objections = check.selfDeclared.filter((p) => p.position === 'block' || p.position === 'disagree')
  const choiceLabel = (c: (typeof choices)[number]) =>
    c.basis === 'on-behalf'
      ? `On behalf of ${c.organisation}`
      : `${c.organisation} (${c.basis === 'link' ? 'your link' : 'self-declared'})`

  return (
    <article
      className={`clause clause-${clause.status}${props.dragging ? ' clause-dragging' : ''}${props.dropMark ? ` clause-drop-${props.dropMark}` : ''}`}
      aria-labelledby={headingId}
      data-clause-id={clause.id}
    >
      <header className="clause-header">
        {canEdit && (
          // A mouse affordance only: keyboard users reorder with the ↑ ↓ buttons beside it.
          <span
            className="clause-handle"
            role="img"
            aria-label={`Drag ${clause.title} to reorder`}
            title="Drag to reorder (or use ↑ ↓)"
            {...props.dragHandle}
          >
            ⠿
          </span>
        )}
        <h3 id={headingId}>
          <span className="clause-number">{index + 1}.</span> {clause.title}
        </h3>
        <span className={`clause-state state-${clause.status}`}>{CLAUSE_STATUS_LABELS[clause.status]}</span>
        <CopyLinkButton view="protocol" anchor={headingId} itemName={clause.title} />
        {canEdit && (
          <span className="clause-move">
            <button
              type="button"
              className="button small"
              disabled={index === 0}
              onClick={() => props.onMove(clause, -1)}
              aria-label={`Move ${clause.title} up`}
            >
              ↑
            </button>
            <button
              type="button"
              className="button small"
              disabled={index === count - 1}
              onClick={() => props.onMove(clause, 1)}
              aria-label={`Move ${clause.title} down`}
            >
              ↓
            </button>
          </span>
        )}
        {isFacilitator && (clause.status === 'draft' || clause.status === 'reopened') && (
          <button type="button" className="button small primary" onClick={() => props.onPropose(clause)}>
            Propose for agreement
          </button>
        )}
        {isFacilitator && (clause.status === 'proposed' || clause.status === 'agreed') && (
          <button type="button" className="button small" onClick={() => props.onReopen(clause)}>
            Reopen
          </button>
        )}
      </header>
      {body && (
        <ClauseEditor
          fragment={body}
          awareness={awareness}
          user={{ name: actor.name, organisation: actor.organisation, colour: user.colour }}
          editable={canEdit && isClauseEditable(clause)}
          label={`Text of clause ${clause.title}`}
        />
      )}
      {clause.status === 'agreed' && <p className="hint">Agreed: the text is locked. The facilitator can reopen it.</p>}
      {clause.status === 'agreed' && props.receipt && <ClauseReceipt receipt={props.receipt} />}
      {clause.status === 'proposed' && (
        <section className="positions" aria-label={`Positions on ${clause.title}`}>
          {check.blocks.length > 0 && (
            <div className="form-error" role="alert">
              Blocked, so it cannot pass:
              <ul>
                {check.blocks.map((b) => (
                  <li key={b.organisation}>
                    <strong>{b.organisation}</strong> ({b.by}): {b.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {check.blocks.length === 0 && (check.missing.length > 0 || check.disagreeing.length > 0) && (
            <p className="hint">
              {check.missing.length > 0 && <>Waiting for {check.missing.join(', ')}. </>}
              {check.disagreeing.length > 0 && <>Disagreeing: {check.disagreeing.join(', ')}.</>}
            </p>
          )}
          {objections.length > 0 && (
            <div className="self-declared-note">
              Self-declared objections (shown, but they do not block):
              <ul>
                {objections.map((o) => (
                  <li key={o.organisation}>
                    <strong>{o.organisation}</strong> — {POSITION_LABELS[o.position]} ({o.by})
                    {o.reason && <>: {o.reason}</>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <ul className="position-list">
            {[...clause.positions].map(([organisation, stated]) => (
              <li
                key={organisation}
                className={`position-${stated.position} basis-${stated.basis}`}
                data-basis={stated.basis}
              >
                <strong>{organisation}</strong> — {POSITION_LABELS[stated.position]}
                {stated.reason && <> · “{stated.reason}”</>}{' '}
                <span className="position-basis">({positionBasisText(organisation, stated)})</span>
              </li>
            ))}
          </ul>
          {check.selfDeclared.length > 0 && (
            <p className="hint">
              Self-declared positions are shown but do not count toward agreement: the organisation’s own link, or the
              facilitator on its behalf, states one that does.
            </p>
          )}
          {canEdit && (
            <form
              className="position-form"
              onSubmit={(event) => {
                event.preventDefault()
                if (position === 'block' && !reason.trim()) {
                  setReasonError(BLOCK_NEEDS_REASON)
                  reasonInput.current?.focus()
                  return
                }
                setReasonError(null)
                props.onStatePosition(clause, choice.organisation, position, reason, choice.basis)
              }}
            >
              {/* One line under the positions: the clause's heading and the placeholders say what each control is. */}
              {choices.length > 1 ? (
                <FormField as={null} label={`Whose position on ${clause.title}`} labelClassName="visually-hidden">
                  {(control) => (
                    <select
                      {...control}
                      value={speakingFor}
                      onChange={(e) => {
                        const next = Number(e.currentTarget.value)
                        const stated = ownStatement(choices[next]!.organisation)
                        setSpeakingFor(next)
                        setPosition(stated?.position ?? 'agree')
                        setReason(stated?.reason ?? '')
                      }}
                    >
                      {choices.map((c, i) => (
                        <option key={`${c.basis}:${c.organisation}`} value={i}>
                          {choiceLabel(c)}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
              ) : (
                <span className="position-org">
                  {choice.organisation}{' '}
                  <span className={`basis-tag basis-${choice.basis}`}>
                    {choice.basis === 'link' ? 'your link' : 'self-declared'}
                  </span>
                </span>
              )}
              <FormField
                as={null}
                label={`Position of ${choice.organisation} on ${clause.title}`}
                labelClassName="visually-hidden"
              >
                {(control) => (
                  <EnumSelect
                    {...control}
                    label={`Position of ${choice.organisation} on ${clause.title}`}
                    value={position}
                    options={POSITIONS}
                    labels={POSITION_LABELS}
                    onChange={(next) => {
                      setPosition(next)
                      if (next !== 'block') setReasonError(null)
                      // A reason belongs to the position it was given for: "cannot pool ESF money"
                      // must not follow a block into an agreement and be printed as its reason. What
                      // the person has typed since is theirs, and stays.
                      const stated = ownStatement(choice.organisation)
                      if (!stated) return
                      if (next !== stated.position && reason === stated.reason) setReason('')
                      else if (next === stated.position && reason === '') setReason(stated.reason)
                    }}
                  />
                )}
              </FormField>
              <FormField
                as={null}
                label={`Reason for the position on ${clause.title}`}
                labelClassName="visually-hidden"
                error={reasonError}
              >
                {(control) => (
                  <input
                    {...control}
                    placeholder={position === 'block' ? 'Why you block (required)' : 'Reason (optional)'}
                    ref={reasonInput}
                    value={reason}
                    maxLength={REASON_MAX}
                    onChange={(e) => {
                      setReason(e.target.value)
                      if (e.target.value.trim()) setReasonError(null)
                    }}
                  />
                )}
              </FormField>
              <button type="submit" className="button small primary">
                {mine ? 'Change position' : 'State position'}
              </button>
            </form>
          )}
        </section>
      )}
      <CommentThread clauseId={clause.id} clauseTitle={clause.title} canEdit={canEdit} />
    </article>
  )
}
