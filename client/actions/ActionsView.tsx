import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react'
import {
  addAction,
  addDecision,
  deleteActionItem,
  isOverdue,
  linkActionItem,
  setDecisionAgreement,
  updateAction,
  updateDecision,
  type Action,
  type ActionFields,
  type Decision,
  type DecisionFields,
} from '../../shared/actions.ts'
import type { Link } from '../../shared/links.ts'
import { organisationSuggestions } from '../../shared/workshopSettings.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { UndoButtons, useDeletedNotice } from '../undo/UndoControls.tsx'
import { useSectionUndo } from '../undo/useSectionUndo.ts'
import { ActionForm } from './ActionForm.tsx'
import { shortLabel } from './actionForm.ts'
import { useGridKeyboard } from '../grid/useGridKeyboard.ts'
import { ActionRow } from './ActionRow.tsx'
import { DecisionCard, DecisionForm } from './Decisions.tsx'
import { useActionItems, useOrganisationsTakingPart } from './useActions.ts'
import { useToday } from './useToday.ts'
import './actions.css'
import { DismissibleAlert } from '../ui/DismissibleAlert.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'

export interface ActionsViewProps {
  /** Places an action or decision on the board as a live card (the shell switches to the board). */
  onPlaceOnBoard: (itemId: string) => void
  /** Pre-links a new action to this (e.g. from a barrier's "Create action"): the add form opens with it. */
  linkFrom: Link | null
  /** Called once the action started from `linkFrom` is created, or its form cancelled. */
  onLinkFromUsed: () => void
}

type Filter = 'open' | 'overdue' | 'all'
const FILTERS: { id: Filter; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'all', label: 'All' },
]
type Sort = 'due' | 'added'
const SORTS = ['due', 'added'] as const
const SORT_LABELS: Record<Sort, string> = { due: 'Due date, soonest first', added: 'Order added' }

const isStillOpen = (action: Action) => action.status === 'open' || action.status === 'in-progress'

/** Soonest due first; actions without a date after every dated one; then in the order added. */
function byDueDate(a: Action, b: Action): number {
  if (a.dueDate !== b.dueDate) {
    if (!a.dueDate) return 1
    if (!b.dueDate) return -1
    return a.dueDate < b.dueDate ? -1 : 1
  }
  return a.createdAt - b.createdAt || a.id.localeCompare(b.id)
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The action log: actions (what, owner, due date, status; overdue ones stand out) and decisions
 * (what was decided and which organisations agreed), each linked to the barriers, pot lines and
 * clauses they follow up. Observers see all of it and change nothing.
 */
export function ActionsView({ onPlaceOnBoard, linkFrom, onLinkFromUsed }: ActionsViewProps): JSX.Element {
  const { doc, actor, permissions } = useWorkshop()
  const { canEdit } = permissions
  const items = useActionItems(doc)
  const organisations = useOrganisationsTakingPart(doc)
  const today = useToday()
  const [filter, setFilter] = useState<Filter>('open')
  const [sort, setSort] = useState<Sort>('due')
  // The list takes the grid's keyboard model: arrows between actions and across their fields.
  const grid = useGridKeyboard({})
  const [adding, setAdding] = useState(() => linkFrom !== null && canEdit)
  const [formKey, setFormKey] = useState(0)
  const [recording, setRecording] = useState(false)
  const [decisionKey, setDecisionKey] = useState(0)
  const [announcement, setAnnouncement] = useState('')
  const [problem, run] = useChangeRunner()
  const history = useSectionUndo(doc, 'actions', run)
  const deletion = useDeletedNotice(history)
  const organisationListId = 'action-organisations'

  // "Create action" on a barrier: open a fresh add form, focused, with the barrier linked.
  useEffect(() => {
    if (!linkFrom || !canEdit) return
    setAdding(true)
    setFormKey((k) => k + 1)
  }, [linkFrom, canEdit])

  const actions = useMemo(() => items.filter((i): i is Action => i.kind === 'action'), [items])
  const decisions = useMemo(() => items.filter((i): i is Decision => i.kind === 'decision'), [items])
  const overdueIds = useMemo(
    () => new Set(actions.filter((a) => isOverdue(a, today)).map((a) => a.id)),
    [actions, today],
  )
  const openCount = actions.filter(isStillOpen).length
  const counts: Record<Filter, number> = { open: openCount, overdue: overdueIds.size, all: actions.length }
  const shown = useMemo(() => {
    const kept = actions.filter((a) =>
      filter === 'all' ? true : filter === 'open' ? isStillOpen(a) : overdueIds.has(a.id),
    )
    return sort === 'due' ? [...kept].sort(byDueDate) : kept
  }, [actions, filter, sort, overdueIds])

  // Rows and cards are memoised, so the callbacks they get keep their identity and read the
  // latest document and actor through a ref.
  const latest = useRef({ doc, actor, run, onPlaceOnBoard })
  latest.current = { doc, actor, run, onPlaceOnBoard }
  const updateOne = useCallback((action: Action, patch: Partial<ActionFields>): string | null => {
    const { doc, actor, run } = latest.current
    try {
      updateAction(doc, action.id, patch, actor, Date.now())
      return null
    } catch (error) {
      // A status has no field to show the refusal beside; the view's alert says it instead.
      if (patch.status !== undefined)
        run(() => {
          throw error
        })
      return errorText(error)
    }
  }, [])
  const linkOne = useCallback((item: Action | Decision, link: Link, linked: boolean) => {
    const { doc, run } = latest.current
    run(() => linkActionItem(doc, item.id, link, linked))
  }, [])
  const showDeletion = deletion.show
  const removeOne = useCallback(
    (item: Action | Decision) => {
      const { doc, actor, run } = latest.current
      run(() => {
        deleteActionItem(doc, item.id, actor, Date.now())
        showDeletion(`Deleted ${item.kind} “${shortLabel(item.what)}”.`)
      })
    },
    [showDeletion],
  )
  const placeOne = useCallback((item: Action | Decision) => latest.current.onPlaceOnBoard(item.id), [])
  const updateDecisionText = useCallback((decision: Decision, fields: DecisionFields): string | null => {
    const { doc, actor } = latest.current
    try {
      updateDecision(doc, decision.id, fields, actor, Date.now())
      return null
    } catch (error) {
      return errorText(error)
    }
  }, [])
  const agree = useCallback((decision: Decision, organisation: string, agreed: boolean): string | null => {
    const { doc, actor, run } = latest.current
    try {
      setDecisionAgreement(doc, decision.id, organisation, agreed, actor, Date.now())
      setAnnouncement(`${organisation} ${agreed ? 'agrees' : 'no longer agrees'}.`)
      return null
    } catch (error) {
      run(() => {
        throw error
      })
      return errorText(error)
    }
  }, [])

  const finishAdding = (added: string | null) => {
    if (linkFrom) onLinkFromUsed()
    if (added === null) {
      setAdding(false)
      return
    }
    // The form stays open, empty, for the next action.
    setFormKey((k) => k + 1)
    setAnnouncement(`Added the action “${shortLabel(added)}”.`)
  }

  return (
    <div className="actions-view">
      <DismissibleAlert className="actions-alert" message={problem} onDismiss={() => run(() => undefined)} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {deletion.notice}
      <datalist id={organisationListId}>
        {organisationSuggestions(organisations).map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>

      <header className="actions-header">
        <div className="actions-heading">
          <h2>Actions and decisions</h2>
          <span className="muted" data-testid="actions-summary">
            {actions.length} {actions.length === 1 ? 'action' : 'actions'} · {openCount} open · {decisions.length}{' '}
            {decisions.length === 1 ? 'decision' : 'decisions'}
          </span>
          {overdueIds.size > 0 && (
            <span className="overdue-count" data-testid="overdue-count">
              {overdueIds.size} overdue
            </span>
          )}
        </div>
        {canEdit && <UndoButtons history={history} what="the actions and decisions" />}
      </header>

      <section className="actions-section" aria-labelledby="actions-heading">
        <div className="section-head">
          <h3 id="actions-heading">Actions</h3>
          {canEdit && (
            <button
              type="button"
              className="button primary"
              aria-expanded={adding}
              onClick={() => {
                if (adding && linkFrom) onLinkFromUsed()
                setAdding((a) => !a)
              }}
            >
              Add an action
            </button>
          )}
        </div>
        {canEdit && adding && (
          <ActionForm
            key={formKey}
            defaultOrganisation={actor.organisation}
            organisationListId={organisationListId}
            linkFrom={linkFrom}
            onAdd={(fields, links) => {
              addAction(doc, fields, actor, Date.now(), links)
              finishAdding(fields.what)
            }}
            onCancel={() => finishAdding(null)}
          />
        )}

        {actions.length === 0 ? (
          <div className="actions-empty">
            <p>
              <strong>No actions yet.</strong>
            </p>
            <p className="muted">
              An action says who will do what by when, for example “DH will hold a workshop with the 16 areas by 15
              February”. Start one here or from a barrier’s “Create action”.
            </p>
          </div>
        ) : (
          <>
            <div className="actions-toolbar" role="group" aria-label="Filter and sort the actions">
              <div className="segmented" role="group" aria-label="Show">
                {FILTERS.map(({ id, label }) => (
                  <button
                    key={id}
                    type="button"
                    aria-pressed={filter === id}
                    className={filter === id ? 'active' : undefined}
                    onClick={() => setFilter(id)}
                  >
                    {label} <span className="segmented-count">{counts[id]}</span>
                  </button>
                ))}
              </div>
              <label>
                Sort by{' '}
                <EnumSelect label="Sort by" value={sort} options={SORTS} labels={SORT_LABELS} onChange={setSort} />
              </label>
              {shown.length !== actions.length && (
                <span className="muted" role="status">
                  Showing {shown.length} of {actions.length}
                </span>
              )}
            </div>
            <div className="table-scroll">
              <table className="actions-table" {...grid.gridProps}>
                <caption className="visually-hidden">Actions</caption>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Due</th>
                    <th scope="col">Status</th>
                    <th scope="col">Follows up</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.length === 0 && (
                    <tr>
                      <td colSpan={5} className="empty">
                        {filter === 'overdue' ? 'Nothing is overdue.' : 'No open actions.'}{' '}
                        <button type="button" className="button small" onClick={() => setFilter('all')}>
                          Show all {actions.length}
                        </button>
                      </td>
                    </tr>
                  )}
                  {shown.map((action, index) => (
                    <ActionRow
                      key={action.id}
                      rowIndex={index}
                      action={action}
                      overdue={overdueIds.has(action.id)}
                      canEdit={canEdit}
                      organisationListId={organisationListId}
                      update={updateOne}
                      link={linkOne}
                      remove={removeOne}
                      placeOnBoard={placeOne}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="actions-section" aria-labelledby="decisions-heading">
        <div className="section-head">
          <h3 id="decisions-heading">Decisions</h3>
          {canEdit && (
            <button
              type="button"
              className="button primary"
              aria-expanded={recording}
              onClick={() => setRecording((r) => !r)}
            >
              Record a decision
            </button>
          )}
        </div>
        {canEdit && recording && (
          <DecisionForm
            key={decisionKey}
            organisations={organisations}
            organisationListId={organisationListId}
            onAdd={(fields, agreedBy, links) => {
              addDecision(doc, fields, agreedBy, actor, Date.now(), links)
              setDecisionKey((k) => k + 1)
              setRecording(false)
              setAnnouncement(`Recorded the decision “${shortLabel(fields.what)}”.`)
            }}
            onCancel={() => setRecording(false)}
          />
        )}
        {decisions.length === 0 ? (
          <p className="muted actions-empty-line">No decisions recorded yet.</p>
        ) : (
          <ol className="decisions">
            {decisions.map((decision) => (
              <li key={decision.id}>
                <DecisionCard
                  decision={decision}
                  organisations={organisations}
                  organisationListId={organisationListId}
                  canEdit={canEdit}
                  update={updateDecisionText}
                  agree={agree}
                  link={linkOne}
                  remove={removeOne}
                  placeOnBoard={placeOne}
                />
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  )
}
