import { memo } from 'react'
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  type Action,
  type ActionFields,
  type ActionStatus,
} from '../../shared/actions.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import type { Link } from '../../shared/links.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { gridCell } from '../grid/useGridKeyboard.ts'
import { LinkPicker } from '../ui/LinkPicker.tsx'
import { checkActionField, shortLabel } from './actionForm.ts'
import { ConfirmDelete } from './ConfirmDelete.tsx'
import { InlineField } from './InlineField.tsx'

const LINK_KINDS = ['barrier', 'pot-line', 'clause'] as const

interface Props {
  action: Action
  /** The action's place among the rows shown (the grid's row number). */
  rowIndex: number
  overdue: boolean
  canEdit: boolean
  organisationListId: string
  /** Writes a change; returns the reason it was refused, or null. */
  update: (action: Action, patch: Partial<ActionFields>) => string | null
  link: (action: Action, link: Link, linked: boolean) => void
  remove: (action: Action) => void
  placeOnBoard: (action: Action) => void
}

function OverdueBadge() {
  return <span className="overdue-badge">Overdue</span>
}

/** One action, edited in place; an overdue one is marked in its due date cell and along its edge. */
export const ActionRow = memo(function ActionRow({
  action,
  rowIndex,
  overdue,
  canEdit,
  organisationListId,
  update,
  link,
  remove,
  placeOnBoard,
}: Props) {
  const name = shortLabel(action.what)
  // Each field is checked with the schema's message before it is written; a refusal keeps the text.
  const commit =
    <K extends keyof ActionFields>(key: K) =>
    (value: string): string | null =>
      checkActionField(key, value as ActionFields[K]) ?? update(action, { [key]: value } as Partial<ActionFields>)

  return (
    <tr data-action-id={action.id} data-status={action.status} className={overdue ? 'overdue' : undefined}>
      <td className="action-what">
        {canEdit ? (
          <InlineField
            label={`Description of ${name}`}
            gridCell={gridCell(rowIndex, 0)}
            value={action.what}
            multiline
            maxLength={500}
            onCommit={commit('what')}
          />
        ) : (
          <span className="action-what-text">{action.what}</span>
        )}
        <span className="action-what-foot">
          {action.createdBy.name && (
            <span className="action-provenance">
              Added by {action.createdBy.name}
              {action.createdBy.organisation && ` (${action.createdBy.organisation})`}
            </span>
          )}
          {canEdit && (
            <span className="row-actions">
              <button
                type="button"
                className="button small"
                aria-label={`Place on board: ${name}`}
                onClick={() => placeOnBoard(action)}
              >
                Place on board
              </button>
              <ConfirmDelete kind="action" itemLabel={name} onDelete={() => remove(action)} />
            </span>
          )}
        </span>
      </td>
      <td className="action-owner">
        {canEdit ? (
          <>
            <InlineField
              label={`Owning organisation of ${name}`}
              gridCell={gridCell(rowIndex, 1)}
              value={action.ownerOrganisation}
              list={organisationListId}
              maxLength={120}
              onCommit={commit('ownerOrganisation')}
            />
            <InlineField
              label={`Owner (person) of ${name}`}
              gridCell={gridCell(rowIndex, 2)}
              value={action.ownerPerson}
              placeholder="Person"
              maxLength={120}
              onCommit={commit('ownerPerson')}
              className="secondary"
            />
          </>
        ) : (
          <>
            <span className="owner-organisation">{action.ownerOrganisation}</span>
            {action.ownerPerson && <span className="owner-person">{action.ownerPerson}</span>}
          </>
        )}
      </td>
      <td className="action-due">
        {canEdit ? (
          <InlineField
            label={`Due date of ${name}`}
            gridCell={gridCell(rowIndex, 3)}
            type="date"
            value={action.dueDate}
            onCommit={commit('dueDate')}
          />
        ) : (
          <span>{action.dueDate ? formatIsoDate(action.dueDate) : <span className="muted">No date</span>}</span>
        )}
        {overdue && <OverdueBadge />}
      </td>
      <td className="action-status">
        {canEdit ? (
          <EnumSelect<ActionStatus>
            label={`Status of ${name}`}
            gridCell={gridCell(rowIndex, 4)}
            value={action.status}
            options={ACTION_STATUSES}
            labels={ACTION_STATUS_LABELS}
            onChange={(status) => update(action, { status })}
          />
        ) : (
          <span className={`action-status-badge status-${action.status}`}>{ACTION_STATUS_LABELS[action.status]}</span>
        )}
      </td>
      <td className="action-links">
        <LinkPicker
          kinds={LINK_KINDS}
          links={action.links}
          disabled={!canEdit}
          itemLabel={`action ${name}`}
          onChange={(l, linked) => link(action, l, linked)}
        />
        {!canEdit && action.links.length === 0 && <span className="muted">None</span>}
      </td>
    </tr>
  )
})
