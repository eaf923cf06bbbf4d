import { Fragment, type JSX, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import {
  addOutcome,
  deleteOutcome,
  OUTCOME_FIELD_LABELS,
  OUTCOME_STATUS_LABELS,
  OUTCOME_STATUSES,
  type Outcome,
  OUTCOMES_KEY,
  type OutcomeStatus,
  updateOutcome,
} from '../../shared/sections/outcomes/model.ts'
import { ConfirmDelete } from '../actions/ConfirmDelete.tsx'
import { DismissibleAlert } from '../ui/DismissibleAlert.tsx'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { UndoButtons, useDeletedNotice } from '../undo/UndoControls.tsx'
import { useSectionUndo } from '../undo/useSectionUndo.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { OutcomeForm } from './OutcomeForm.tsx'
import { emptyOutcome, outcomeFields, patchOf, shortLabel } from './outcomeForm.ts'
import { useOrganisationSuggestions, useOutcomes } from './useOutcomes.ts'
import './outcomes.css'

const COLUMNS = ['outcome', 'measure', 'baseline', 'target', 'ownerOrganisation', 'status'] as const
/** Statuses worth counting in the heading: where the partnership stands on what it agreed. */
const COUNTED: readonly OutcomeStatus[] = ['agreed', 'on-track', 'at-risk', 'met']

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export function OutcomeStatusBadge({ status }: { status: OutcomeStatus }) {
  return <span className={`outcome-status-badge status-${status}`}>{OUTCOME_STATUS_LABELS[status]}</span>
}

/** A value in a cell; an empty one says so in words rather than leaving a gap a screen reader skips. */
const cell = (text: string): ReactNode => (text ? text : <span className="outcome-unset">Not set</span>)

/**
 * Outcomes and success measures: what should change for families, how the partners will measure
 * it, the baseline and the target, who owns it and where it stands. Observers, and participants
 * while the facilitator has locked the section, see the table and change nothing.
 */
export function OutcomesView(): JSX.Element {
  const { doc, actor, permissions } = useWorkshop()
  const canEdit = permissions.canEditSection(OUTCOMES_KEY)
  const outcomes = useOutcomes(doc)
  const suggestions = useOrganisationSuggestions(doc)
  const [adding, setAdding] = useState(false)
  const [addKey, setAddKey] = useState(0)
  const [editingId, setEditingId] = useState<string | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const [problem, run] = useChangeRunner()
  const history = useSectionUndo(doc, 'outcomes', run)
  const deletion = useDeletedNotice(history)
  const uid = useId()
  const organisationListId = `${uid}-organisations`
  const headingRef = useRef<HTMLHeadingElement>(null)
  const addButtonRef = useRef<HTMLButtonElement>(null)
  const tableRef = useRef<HTMLTableElement>(null)

  // An outcome someone else removed, or a lock that came on, closes its edit form.
  useEffect(() => {
    if (editingId !== null && (!canEdit || !outcomes.some((o) => o.id === editingId))) setEditingId(null)
  }, [editingId, canEdit, outcomes])

  /** Gives focus back to an outcome's Edit button once its form has closed. */
  const focusEditButton = (id: string) =>
    requestAnimationFrame(() =>
      tableRef.current
        ?.querySelector<HTMLElement>(`[data-outcome-id="${CSS.escape(id)}"] .outcome-edit-button`)
        ?.focus(),
    )

  const counts = COUNTED.map((status) => [status, outcomes.filter((o) => o.status === status).length] as const)
  const summary = [
    plural(outcomes.length, 'outcome', 'outcomes'),
    ...counts.filter(([, n]) => n > 0).map(([status, n]) => `${n} ${OUTCOME_STATUS_LABELS[status].toLowerCase()}`),
  ].join(' · ')

  const form = (outcome: Outcome, formId: string) => (
    <OutcomeForm
      id={formId}
      base={outcomeFields(outcome)}
      mode="edit"
      label={`Edit outcome ${shortLabel(outcome.outcome)}`}
      organisationListId={organisationListId}
      onSubmit={(fields, touched) => {
        updateOutcome(doc, outcome.id, patchOf(fields, touched))
        setEditingId(null)
        setAnnouncement(`Saved the outcome “${shortLabel(fields.outcome)}”.`)
        focusEditButton(outcome.id)
      }}
      onCancel={() => {
        setEditingId(null)
        focusEditButton(outcome.id)
      }}
    />
  )

  return (
    <section className="outcomes-view" aria-label="Outcomes and success measures">
      <DismissibleAlert className="outcomes-alert" message={problem} onDismiss={() => run(() => undefined)} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {deletion.notice}
      <datalist id={organisationListId}>
        {suggestions.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>

      <header className="outcomes-header">
        <div className="outcomes-heading">
          <h2 ref={headingRef} tabIndex={-1}>
            Outcomes and success measures
          </h2>
          <span className="muted" data-testid="outcomes-summary">
            {summary}
          </span>
        </div>
        {canEdit && <UndoButtons history={history} what="the outcomes" />}
        {canEdit && (
          <button
            ref={addButtonRef}
            type="button"
            className="button primary"
            aria-expanded={adding}
            onClick={() => setAdding((a) => !a)}
          >
            Add outcome
          </button>
        )}
      </header>

      {/* A lock is announced above the view by the shell's lock notice. */}
      {!permissions.canEdit && (
        <p className="outcomes-read-only">You are observing: you can read the outcomes but not change them.</p>
      )}

      {canEdit && adding && (
        <OutcomeForm
          key={addKey}
          base={emptyOutcome(actor.organisation)}
          mode="add"
          label="Add an outcome"
          organisationListId={organisationListId}
          onSubmit={(fields) => {
            addOutcome(doc, fields, actor, Date.now())
            // The form stays open, empty, for the next outcome.
            setAddKey((k) => k + 1)
            setAnnouncement(`Added the outcome “${shortLabel(fields.outcome)}”.`)
          }}
          onCancel={() => {
            setAdding(false)
            requestAnimationFrame(() => addButtonRef.current?.focus())
          }}
        />
      )}

      {outcomes.length === 0 ? (
        <div className="outcomes-empty">
          <p>
            <strong>No outcomes yet.</strong>
          </p>
          <p className="muted">
            An outcome says what should change for families and how the partners will know: a measure, where things
            stand now and a target, for example “Fewer school exclusions”, from 14 fixed-term exclusions per term to 5
            per term by March 2014.
          </p>
          {canEdit && !adding && (
            <button type="button" className="button primary" onClick={() => setAdding(true)}>
              Add the first outcome
            </button>
          )}
        </div>
      ) : (
        <div className="outcomes-table-scroll">
          <table ref={tableRef} className="outcomes-table">
            <caption className="visually-hidden">Outcomes and success measures</caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column} scope="col" className={`col-${column}`}>
                    {OUTCOME_FIELD_LABELS[column]}
                  </th>
                ))}
                {canEdit && (
                  <th scope="col" className="col-changes">
                    <span className="visually-hidden">Changes</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {outcomes.map((outcome) => {
                const name = shortLabel(outcome.outcome)
                const editing = editingId === outcome.id
                const formId = `${uid}-edit-${outcome.id}`
                return (
                  <Fragment key={outcome.id}>
                    <tr
                      data-outcome-id={outcome.id}
                      data-status={outcome.status}
                      className={editing ? 'editing' : undefined}
                    >
                      <th scope="row" className="outcome-text">
                        <span className="outcome-title">{outcome.outcome}</span>
                        {outcome.createdBy.name && (
                          <span className="outcome-provenance">
                            Added by {outcome.createdBy.name}
                            {outcome.createdBy.organisation && ` (${outcome.createdBy.organisation})`}
                          </span>
                        )}
                      </th>
                      <td className="outcome-measure">{cell(outcome.measure)}</td>
                      <td>{cell(outcome.baseline)}</td>
                      <td>{cell(outcome.target)}</td>
                      <td>{cell(outcome.ownerOrganisation)}</td>
                      <td className="outcome-status">
                        {canEdit ? (
                          <span className={`outcome-status-select status-${outcome.status}`}>
                            <EnumSelect<OutcomeStatus>
                              label={`Status of ${name}`}
                              value={outcome.status}
                              options={OUTCOME_STATUSES}
                              labels={OUTCOME_STATUS_LABELS}
                              onChange={(status) =>
                                run(() => {
                                  updateOutcome(doc, outcome.id, { status })
                                  setAnnouncement(`${name}: ${OUTCOME_STATUS_LABELS[status]}.`)
                                })
                              }
                            />
                          </span>
                        ) : (
                          <OutcomeStatusBadge status={outcome.status} />
                        )}
                      </td>
                      {canEdit && (
                        <td className="outcome-row-actions">
                          <button
                            type="button"
                            className="button small outcome-edit-button"
                            aria-label={`Edit outcome ${name}`}
                            aria-expanded={editing}
                            aria-controls={editing ? formId : undefined}
                            onClick={() => setEditingId(editing ? null : outcome.id)}
                          >
                            Edit
                          </button>
                          <ConfirmDelete
                            kind="outcome"
                            itemLabel={name}
                            onDelete={() =>
                              run(() => {
                                deleteOutcome(doc, outcome.id)
                                deletion.show(`Deleted the outcome “${name}”.`)
                                // The row and its buttons are gone: focus goes back to the top of the section.
                                headingRef.current?.focus()
                              })
                            }
                          />
                        </td>
                      )}
                    </tr>
                    {editing && (
                      <tr className="outcome-edit-row">
                        <td colSpan={COLUMNS.length + 1}>{form(outcome, formId)}</td>
                      </tr>
                    )}
                  </Fragment>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
