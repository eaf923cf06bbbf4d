import { Fragment, memo, type ReactNode } from 'react'
import {
  KIND_LABELS,
  lineLabel,
  MODE_LABELS,
  POT_KINDS,
  POT_MODES,
  POT_STATUSES,
  STATUS_LABELS,
  type PotField,
  type PotLine,
  type PotLineFields,
} from '../../shared/pot.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { type GridCellProps, gridCell } from '../grid/useGridKeyboard.ts'
import { useRemoteChanges } from './useRemoteChanges.ts'
import { MoneyInput } from './MoneyInput.tsx'
import { parseFinancialYears } from '../../shared/financialYears.ts'
import { type CellParse, TextCell } from './TextCell.tsx'
import { CELL_COLUMN, type PotColumnId } from './potColumns.ts'
import type { PeerCursor } from './usePotCursors.ts'

/** A line's years as finance writes them ("2026-27", "2026-27 to 2028-29"). */
const parseYearsCell: CellParse = (text) => {
  const parsed = parseFinancialYears(text)
  return parsed.ok ? { ok: true, value: parsed.years } : parsed
}

/** A choice shown as text where it cannot be changed (the column header names it): still a cell the keyboard selects and copies. */
function ChoiceText({ text, cell }: { text: string; cell: GridCellProps }) {
  return (
    <span className="cell-text" {...cell}>
      {text}
    </span>
  )
}

/** The "changed by" note under a cell someone else just changed. */
function ChangedBy({ name }: { name: string | undefined }) {
  if (!name) return null
  return <span className="changed-by">Changed by {name}</span>
}

/** Who else has this cell selected: a ring in their colour and their name on it. */
function PeerTags({ cursors }: { cursors: readonly PeerCursor[] }) {
  if (cursors.length === 0) return null
  return (
    <span className="peer-tags" aria-hidden="true">
      {cursors.map((c) => (
        <span key={c.userId} className="peer-tag" style={{ backgroundColor: c.colour }}>
          {c.name}
        </span>
      ))}
    </span>
  )
}

interface Props {
  myUserId: string
  line: PotLine
  /** The line's place among the rows shown (the grid's row number). */
  rowIndex: number
  /** The columns shown, joined with spaces (a string, so the row stays memoised). */
  columns: string
  canEdit: boolean
  /** Others with a cell of this line selected. */
  cursors: readonly PeerCursor[]
  /** Fields a refused paste could not take, marked until the next paste. */
  refused: readonly PotField[]
  update: (line: PotLine, patch: Partial<PotLineFields>) => void
  showHistory: (lineId: string) => void
  /** Removes the line (undoable from the view). */
  remove: (line: PotLine) => void
  /** Places the line on the board as a live card; the button shows only to those who can edit. */
  placeOnBoard?: (line: PotLine) => void
}

/**
 * One contribution line, a row of the pot grid, edited in place. Memoised: with stable callbacks,
 * a row re-renders only when its own line, place, columns or cursors change.
 */
export const PotLineRow = memo(function PotLineRow({
  myUserId,
  line,
  rowIndex,
  columns,
  canEdit,
  cursors,
  refused,
  update,
  showHistory,
  remove,
  placeOnBoard,
}: Props) {
  const changed = useRemoteChanges(line, myUserId)
  const shown = new Set(columns.split(' '))
  const at = (slot: keyof typeof CELL_COLUMN, field?: PotField) => gridCell(rowIndex, CELL_COLUMN[slot], field)
  const cellOf = (fields: readonly PotField[], content: ReactNode, className = '') => {
    const mine = cursors.filter((c) => fields.includes(c.field as PotField))
    const classes = [
      className,
      fields.some((f) => changed[f]) ? 'remote-change' : '',
      fields.some((f) => refused.includes(f)) ? 'paste-refused' : '',
      mine.length > 0 ? 'peer-cursor' : '',
    ]
      .filter(Boolean)
      .join(' ')
    return (
      <td className={classes || undefined} style={mine[0] ? { ['--peer' as string]: mine[0].colour } : undefined}>
        {content}
        <ChangedBy name={fields.map((f) => changed[f]).find(Boolean)} />
        <PeerTags cursors={mine} />
      </td>
    )
  }
  /** A choice: a select for those who can edit, its label as a selectable cell for those who cannot. */
  const choice = <F extends 'kind' | 'mode' | 'status'>(
    field: F,
    name: string,
    options: readonly PotLineFields[F][],
    labels: Record<PotLineFields[F], string>,
  ) =>
    canEdit ? (
      <EnumSelect<PotLineFields[F]>
        label={`${name} of ${lineLabel(line)}`}
        value={line[field]}
        options={options}
        labels={labels}
        onChange={(value) => update(line, { [field]: value })}
        gridCell={at(field, field)}
      />
    ) : (
      <ChoiceText text={labels[line[field]]} cell={at(field, field)} />
    )
  const cells: Record<PotColumnId, () => ReactNode> = {
    partner: () =>
      cellOf(
        ['partner'],
        <TextCell
          label={`Partner of ${lineLabel(line)}`}
          value={line.partner}
          list="pot-partners"
          required
          disabled={!canEdit}
          maxLength={120}
          onCommit={(partner) => update(line, { partner })}
          gridCell={at('partner', 'partner')}
        />,
      ),
    stream: () =>
      cellOf(
        ['stream'],
        <TextCell
          label={`Funding stream of ${lineLabel(line)}`}
          value={line.stream}
          list="pot-streams"
          disabled={!canEdit}
          maxLength={120}
          onCommit={(stream) => update(line, { stream })}
          gridCell={at('stream', 'stream')}
        />,
      ),
    amount: () =>
      cellOf(
        ['amount'],
        <MoneyInput
          compact
          label={`Amount for ${lineLabel(line)}`}
          value={line.amount}
          disabled={!canEdit}
          onCommit={(amount) => update(line, { amount })}
          gridCell={at('amount', 'amount')}
        />,
        'amount',
      ),
    kind: () =>
      cellOf(
        ['kind', 'kindDescription', 'valuation'],
        <>
          {choice('kind', 'Kind', POT_KINDS, KIND_LABELS)}
          {line.kind === 'in-kind' && (
            <>
              <TextCell
                label={`What ${line.partner} gives in kind`}
                placeholder="What is given"
                value={line.kindDescription}
                disabled={!canEdit}
                onCommit={(kindDescription) => update(line, { kindDescription })}
                gridCell={at('kindDescription', 'kindDescription')}
              />
              <TextCell
                label={`How the ${line.partner} contribution in kind was valued`}
                placeholder="How valued"
                value={line.valuation}
                disabled={!canEdit}
                onCommit={(valuation) => update(line, { valuation })}
                gridCell={at('valuation', 'valuation')}
              />
            </>
          )}
        </>,
      ),
    mode: () => cellOf(['mode'], choice('mode', 'Mode', POT_MODES, MODE_LABELS)),
    status: () => cellOf(['status'], choice('status', 'Status', POT_STATUSES, STATUS_LABELS)),
    years: () =>
      cellOf(
        ['years'],
        <TextCell
          label={`Financial years of ${lineLabel(line)}`}
          value={line.years}
          disabled={!canEdit}
          maxLength={40}
          parse={parseYearsCell}
          onCommit={(years) => update(line, { years })}
          gridCell={at('years', 'years')}
        />,
      ),
    conditions: () =>
      cellOf(
        ['conditions'],
        <TextCell
          label={`Conditions and notes of ${lineLabel(line)}`}
          value={line.conditions}
          disabled={!canEdit}
          maxLength={2000}
          onCommit={(conditions) => update(line, { conditions })}
          gridCell={at('conditions', 'conditions')}
        />,
      ),
    proposer: () => (
      <td className="proposer" {...at('proposer')}>
        {line.proposedBy.name}
        <span className="muted"> · {line.proposedBy.organisation}</span>
      </td>
    ),
    actions: () => (
      <td className="row-actions">
        <button
          type="button"
          className="button small"
          onClick={() => showHistory(line.id)}
          aria-label={`History of ${lineLabel(line)}`}
          {...at('history')}
        >
          History
        </button>
        {canEdit && placeOnBoard && (
          <button
            type="button"
            className="button small"
            aria-label={`Place on board: ${lineLabel(line)}`}
            onClick={() => placeOnBoard(line)}
            {...at('place')}
          >
            Place on board
          </button>
        )}
        {canEdit && (
          <button
            type="button"
            className="button small danger"
            aria-label={`Remove ${lineLabel(line)}`}
            onClick={() => remove(line)}
            {...at('remove')}
          >
            Remove
          </button>
        )}
      </td>
    ),
  }
  return (
    <tr id={`line-${line.id}`} data-line-id={line.id} className={`status-${line.status}`}>
      {[...shown].map((column) => (
        <Fragment key={column}>{cells[column as PotColumnId]?.()}</Fragment>
      ))}
    </tr>
  )
})
