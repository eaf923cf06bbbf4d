import { useState } from 'react'
import { ACTION_STATUS_LABELS, type ActionItem } from '../../shared/actions.ts'
import { DEPARTMENT_LABELS, type Barrier, type BarrierFields } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import type { Link } from '../../shared/links.ts'
import { formatMoney } from '../../shared/money.ts'
import { BarrierForm } from './BarrierForm.tsx'
import { BarrierLinks } from './BarrierLinks.tsx'
import { barrierFormValues, FORM_LABELS, type BarrierFormKey } from './barrierForm.ts'

interface Props {
  barrier: Barrier
  /** Actions and decisions that follow this barrier up. */
  linkedActions: readonly ActionItem[]
  canEdit: boolean
  onSave: (fields: BarrierFields, touched: ReadonlySet<BarrierFormKey>) => void
  onLink: (link: Link, linked: boolean) => void
  onDelete: () => void
  onPlaceOnBoard: () => void
  onCreateAction: () => void
  onClose: () => void
}

const when = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })

/** One barrier in full: its fields (edited in place), links, follow-up actions, and what to do with it. */
export function BarrierDetails({
  barrier,
  linkedActions,
  canEdit,
  onSave,
  onLink,
  onDelete,
  onPlaceOnBoard,
  onCreateAction,
  onClose,
}: Props) {
  const [confirming, setConfirming] = useState(false)
  const headingId = `barrier-details-${barrier.id}`
  const links = (
    <BarrierLinks links={barrier.links} disabled={!canEdit} itemLabel={`barrier ${barrier.title}`} onChange={onLink} />
  )

  return (
    <section
      className="barrier-details"
      aria-labelledby={headingId}
      data-barrier-id={barrier.id}
      onKeyDown={(event) => {
        const field = event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)
        if (event.key === 'Escape' && !field) onClose()
      }}
    >
      <header className="barrier-details-header">
        <h3 id={headingId}>{barrier.title}</h3>
        {canEdit && (
          <span className="barrier-details-tools">
            <button type="button" className="button small" onClick={onPlaceOnBoard}>
              Place on board
            </button>
            <button type="button" className="button small" onClick={onCreateAction}>
              Create action
            </button>
          </span>
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Close the details of ${barrier.title}`}
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <p className="muted barrier-provenance">
        Raised {barrier.createdAt ? `on ${when(barrier.createdAt)} ` : ''}
        {barrier.createdBy.name
          ? `by ${barrier.createdBy.name}${barrier.createdBy.organisation ? ` (${barrier.createdBy.organisation})` : ''}`
          : ''}
      </p>

      {canEdit ? (
        <BarrierForm base={barrierFormValues(barrier)} mode="edit" label={`Edit ${barrier.title}`} onSubmit={onSave}>
          {links}
        </BarrierForm>
      ) : (
        <>
          <dl className="barrier-facts">
            <div>
              <dt>{FORM_LABELS.department}</dt>
              <dd>{DEPARTMENT_LABELS[barrier.department]}</dd>
            </div>
            <div>
              <dt>{FORM_LABELS.raisedBy}</dt>
              <dd>{barrier.raisedBy}</dd>
            </div>
            <div>
              <dt>{FORM_LABELS.champion}</dt>
              <dd>{barrier.champion || '—'}</dd>
            </div>
            <div>
              <dt>{FORM_LABELS.impact}</dt>
              <dd>{barrier.impactPence === null ? '—' : formatMoney(barrier.impactPence)}</dd>
            </div>
            <div>
              <dt>{FORM_LABELS.families}</dt>
              <dd>{barrier.familiesAffected ?? '—'}</dd>
            </div>
            <div>
              <dt>{FORM_LABELS.dueDate}</dt>
              <dd>{barrier.dueDate ? formatIsoDate(barrier.dueDate) : '—'}</dd>
            </div>
            {(['description', 'rule', 'flexibility'] as const).map((key) => (
              <div key={key} className="span-all">
                <dt>{FORM_LABELS[key]}</dt>
                <dd className="prose">{barrier[key] || '—'}</dd>
              </div>
            ))}
          </dl>
          {links}
        </>
      )}

      <section className="barrier-follow-up" aria-label={`Actions following up ${barrier.title}`}>
        <h4>Follow-up actions</h4>
        {linkedActions.length === 0 ? (
          <p className="muted">No actions linked to this barrier yet.</p>
        ) : (
          <ul className="linked-actions">
            {linkedActions.map((item) =>
              item.kind === 'action' ? (
                <li key={item.id} className={`linked-action action-${item.status}`}>
                  <span className="linked-action-what">{item.what}</span>
                  <span className="muted">
                    {item.ownerOrganisation}
                    {item.ownerPerson ? ` (${item.ownerPerson})` : ''} · {ACTION_STATUS_LABELS[item.status]}
                    {item.dueDate ? ` · due ${formatIsoDate(item.dueDate)}` : ''}
                  </span>
                </li>
              ) : (
                <li key={item.id} className="linked-action decision">
                  <span className="linked-action-what">Decision: {item.what}</span>
                  <span className="muted">
                    {item.agreedBy.length === 0 ? 'Not agreed yet' : `Agreed by ${item.agreedBy.join(', ')}`}
                  </span>
                </li>
              ),
            )}
          </ul>
        )}
      </section>

      {canEdit && (
        <div className="barrier-details-actions">
          <span className="spacer" />
          {confirming ? (
            <span className="confirm-delete" role="group" aria-label={`Confirm deleting ${barrier.title}`}>
              <span>Delete for everyone? The history keeps that it existed.</span>
              <button type="button" className="button small danger-solid" autoFocus onClick={onDelete}>
                Delete barrier
              </button>
              <button type="button" className="button small" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button small danger"
              onClick={() => setConfirming(true)}
              aria-label={`Delete ${barrier.title}…`}
            >
              Delete…
            </button>
          )}
        </div>
      )}
    </section>
  )
}
