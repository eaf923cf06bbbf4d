import { memo, useId, useState, type FormEvent } from 'react'
import type { Decision, DecisionFields } from '../../shared/actions.ts'
import { type Link, withLink } from '../../shared/links.ts'
import { FormField } from '../ui/FormField.tsx'
import { LinkPicker } from '../ui/LinkPicker.tsx'
import { checkDecision, DECISION_LABEL, shortLabel } from './actionForm.ts'
import { AddOrganisation, AgreementChips } from './Agreement.tsx'
import { ConfirmDelete } from './ConfirmDelete.tsx'
import { InlineField } from './InlineField.tsx'

const LINK_KINDS = ['barrier', 'pot-line', 'clause'] as const

/** Those taking part first, then any other organisation named, each once, in alphabetical order. */
function offered(takingPart: readonly string[], extra: Iterable<string>): string[] {
  return [...new Set([...takingPart, ...extra])].sort((a, b) => a.localeCompare(b, 'en-GB'))
}

interface FormProps {
  organisations: readonly string[]
  organisationListId: string
  /** Writes the decision; throwing refuses it with the error's message and keeps what was typed. */
  onAdd: (fields: DecisionFields, agreedBy: string[], links: Link[]) => void
  onCancel: () => void
}

/** A new decision: what was decided, who agreed it, and what it settles. */
export function DecisionForm({ organisations, organisationListId, onAdd, onCancel }: FormProps) {
  const id = useId()
  const [what, setWhat] = useState('')
  const [agreed, setAgreed] = useState<ReadonlySet<string>>(new Set())
  const [added, setAdded] = useState<string[]>([])
  const [links, setLinks] = useState<Link[]>([])
  const [error, setError] = useState<string | null>(null)

  function submit(event: FormEvent) {
    event.preventDefault()
    const refusal = checkDecision({ what })
    if (refusal) {
      setError(refusal)
      document.getElementById(`${id}-what`)?.focus()
      return
    }
    try {
      onAdd({ what: what.trim() }, [...agreed], links)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <form className="decision-form" aria-label="Record a decision" onSubmit={submit} noValidate>
      <FormField id={`${id}-what`} label={DECISION_LABEL} error={error}>
        {(control) => (
          <textarea
            {...control}
            autoFocus
            rows={2}
            value={what}
            maxLength={1000}
            placeholder="e.g. The Troubled Families money is pooled from April"
            onChange={(e) => {
              setWhat(e.target.value)
              setError(null)
            }}
          />
        )}
      </FormField>
      <div className="field" role="group" aria-labelledby={`${id}-agreed`}>
        <span className="field-label" id={`${id}-agreed`}>
          Agreed by
        </span>
        <AgreementChips
          organisations={offered(organisations, [...added, ...agreed])}
          agreed={agreed}
          label="Organisations agreeing the new decision"
          onToggle={(organisation, on) =>
            setAgreed((current) => {
              const next = new Set(current)
              if (on) next.add(organisation)
              else next.delete(organisation)
              return next
            })
          }
        />
        <AddOrganisation
          label="Add an organisation that agreed"
          listId={organisationListId}
          onAdd={(organisation) => {
            setAdded((a) => [...a, organisation])
            setAgreed((current) => new Set(current).add(organisation))
            return null
          }}
        />
      </div>
      <div className="field" role="group" aria-label="What the decision settles">
        <span className="field-label">Settles</span>
        <LinkPicker
          kinds={LINK_KINDS}
          links={links}
          itemLabel="the new decision"
          onChange={(link, linked) => setLinks((ls) => withLink(ls, link, linked))}
        />
      </div>
      <div className="action-form-buttons">
        <button type="submit" className="button primary">
          Record decision
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

interface CardProps {
  decision: Decision
  organisations: readonly string[]
  organisationListId: string
  canEdit: boolean
  /** Each returns the reason the change was refused, or null. */
  update: (decision: Decision, fields: DecisionFields) => string | null
  agree: (decision: Decision, organisation: string, agreed: boolean) => string | null
  link: (decision: Decision, link: Link, linked: boolean) => void
  remove: (decision: Decision) => void
  placeOnBoard: (decision: Decision) => void
}

const when = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })

/** One decision: what was decided (edited in place), who agreed it, and what it settles. */
export const DecisionCard = memo(function DecisionCard({
  decision,
  organisations,
  organisationListId,
  canEdit,
  update,
  agree,
  link,
  remove,
  placeOnBoard,
}: CardProps) {
  const name = shortLabel(decision.what)
  const headingId = useId()
  const agreed = new Set(decision.agreedBy)
  const all = offered(organisations, decision.agreedBy)
  const takingPartAgreed = organisations.filter((o) => agreed.has(o)).length
  return (
    <article className="decision" data-decision-id={decision.id} aria-labelledby={headingId}>
      <h4 id={headingId} className="visually-hidden">
        Decision: {name}
      </h4>
      <div className="decision-what">
        {canEdit ? (
          <InlineField
            label={`What was decided: ${name}`}
            value={decision.what}
            multiline
            maxLength={1000}
            onCommit={(what) => checkDecision({ what }) ?? update(decision, { what })}
          />
        ) : (
          <p className="decision-what-text">{decision.what}</p>
        )}
      </div>
      <div className="decision-agreement">
        <p className="decision-agreement-summary" data-testid="decision-agreement">
          {decision.agreedBy.length === 0
            ? 'Not yet agreed by anyone'
            : organisations.length > 0
              ? `Agreed by ${takingPartAgreed} of ${organisations.length} organisations taking part${decision.agreedBy.length > takingPartAgreed ? ` (and ${decision.agreedBy.length - takingPartAgreed} more)` : ''}`
              : `Agreed by ${decision.agreedBy.length} ${decision.agreedBy.length === 1 ? 'organisation' : 'organisations'}`}
        </p>
        <AgreementChips
          organisations={all}
          agreed={agreed}
          label={`Organisations agreeing ${name}`}
          disabled={!canEdit}
          onToggle={(organisation, on) => agree(decision, organisation, on)}
        />
        {canEdit && (
          <AddOrganisation
            compact
            label="Another organisation agrees"
            listId={organisationListId}
            onAdd={(organisation) => agree(decision, organisation, true)}
          />
        )}
      </div>
      <div className="decision-links">
        <span className="field-label">Settles</span>
        <LinkPicker
          kinds={LINK_KINDS}
          links={decision.links}
          disabled={!canEdit}
          itemLabel={`decision ${name}`}
          onChange={(l, linked) => link(decision, l, linked)}
        />
        {!canEdit && decision.links.length === 0 && <span className="muted">Nothing linked</span>}
      </div>
      <footer className="decision-foot">
        <span className="muted">
          Recorded{decision.createdAt ? ` on ${when(decision.createdAt)}` : ''}
          {decision.createdBy.name
            ? ` by ${decision.createdBy.name}${decision.createdBy.organisation ? ` (${decision.createdBy.organisation})` : ''}`
            : ''}
        </span>
        {canEdit && (
          <span className="row-actions">
            <button
              type="button"
              className="button small"
              aria-label={`Place on board: decision ${name}`}
              onClick={() => placeOnBoard(decision)}
            >
              Place on board
            </button>
            <ConfirmDelete kind="decision" itemLabel={name} onDelete={() => remove(decision)} />
          </span>
        )}
      </footer>
    </article>
  )
})
