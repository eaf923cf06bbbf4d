import { memo } from 'react'
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
import { useRemoteChanges } from './useRemoteChanges.ts'
import { MoneyInput } from './MoneyInput.tsx'
import { parseFinancialYears } from '../../shared/financialYears.ts'
import { type CellParse, TextCell } from './TextCell.tsx'

/** A line's years as finance writes them ("2026-27", "2026-27 to 2028-29"). */
const parseYearsCell: CellParse = (text) => {
  const parsed = parseFinancialYears(text)
  return parsed.ok ? { ok: true, value: parsed.years } : parsed
}

/** The "changed by" note under a cell someone else just changed. */
function ChangedBy({ name }: { name: string | undefined }) {
  if (!name) return null
  return <span className="changed-by">Changed by {name}</span>
}

interface Props {
  myUserId: string
  line: PotLine
  canEdit: boolean
  update: (line: PotLine, patch: Partial<PotLineFields>) => void
  showHistory: (lineId: string) => void
  /** Removes the line (undoable from the view). */
  remove: (line: PotLine) => void
  /** Places the line on the board as a live card; the button shows only to those who can edit. */
  placeOnBoard?: (line: PotLine) => void
}

/** One contribution line, edited in place. */
/** Memoised: with stable callbacks, a row re-renders only when its own line changes. */
export const PotLineRow = memo(function PotLineRow({
  myUserId,
  line,
  canEdit,
  update,
  showHistory,
  remove,
  placeOnBoard,
}: Props) {
  const changed = useRemoteChanges(line, myUserId)
  const cell = (field: PotField, className = '') => {
    const classes = `${className}${changed[field] ? ' remote-change' : ''}`.trim()
    return classes ? classes : undefined
  }
  return (
    <tr key={line.id} id={`line-${line.id}`} data-line-id={line.id} className={`status-${line.status}`}>
      <td className={cell('partner')}>
        <TextCell
          label={`Partner of ${lineLabel(line)}`}
          value={line.partner}
          list="pot-partners"
          required
          disabled={!canEdit}
          maxLength={120}
          onCommit={(partner) => update(line, { partner })}
        />
        <ChangedBy name={changed.partner} />
      </td>
      <td className={cell('stream')}>
        <TextCell
          label={`Funding stream of ${lineLabel(line)}`}
          value={line.stream}
          list="pot-streams"
          disabled={!canEdit}
          maxLength={120}
          onCommit={(stream) => update(line, { stream })}
        />
        <ChangedBy name={changed.stream} />
      </td>
      <td className={cell('amount', 'amount')}>
        <MoneyInput
          compact
          label={`Amount for ${lineLabel(line)}`}
          value={line.amount}
          disabled={!canEdit}
          onCommit={(amount) => update(line, { amount })}
        />
        <ChangedBy name={changed.amount} />
      </td>
      <td className={cell('kind')}>
        <EnumSelect
          label={`Kind of ${lineLabel(line)}`}
          value={line.kind}
          options={POT_KINDS}
          labels={KIND_LABELS}
          disabled={!canEdit}
          onChange={(kind) => update(line, { kind })}
        />
        {line.kind === 'in-kind' && (
          <>
            <TextCell
              label={`What ${line.partner} gives in kind`}
              placeholder="What is given"
              value={line.kindDescription}
              disabled={!canEdit}
              onCommit={(kindDescription) => update(line, { kindDescription })}
            />
            <TextCell
              label={`How the ${line.partner} contribution in kind was valued`}
              placeholder="How valued"
              value={line.valuation}
              disabled={!canEdit}
              onCommit={(valuation) => update(line, { valuation })}
            />
          </>
        )}
        <ChangedBy name={changed.kind} />
      </td>
      <td className={cell('mode')}>
        <EnumSelect
          label={`Mode of ${lineLabel(line)}`}
          value={line.mode}
          options={POT_MODES}
          labels={MODE_LABELS}
          disabled={!canEdit}
          onChange={(mode) => update(line, { mode })}
        />
        <ChangedBy name={changed.mode} />
      </td>
      <td className={cell('status')}>
        <EnumSelect
          label={`Status of ${lineLabel(line)}`}
          value={line.status}
          options={POT_STATUSES}
          labels={STATUS_LABELS}
          disabled={!canEdit}
          onChange={(status) => update(line, { status })}
        />
        <ChangedBy name={changed.status} />
      </td>
      <td className={cell('years')}>
        <TextCell
          label={`Financial years of ${lineLabel(line)}`}
          value={line.years}
          disabled={!canEdit}
          maxLength={40}
          parse={parseYearsCell}
          onCommit={(years) => update(line, { years })}
        />
        <ChangedBy name={changed.years} />
      </td>
      <td className={cell('conditions')}>
        <TextCell
          label={`Conditions and notes of ${lineLabel(line)}`}
          value={line.conditions}
          disabled={!canEdit}
          maxLength={2000}
          onCommit={(conditions) => update(line, { conditions })}
        />
        <ChangedBy name={changed.conditions} />
      </td>
      <td className="proposer">
        {line.proposedBy.name}
        <span className="muted"> · {line.proposedBy.organisation}</span>
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="button small"
          onClick={() => showHistory(line.id)}
          aria-label={`History of ${lineLabel(line)}`}
        >
          History
        </button>
        {canEdit && placeOnBoard && (
          <button
            type="button"
            className="button small"
            aria-label={`Place on board: ${lineLabel(line)}`}
            onClick={() => placeOnBoard(line)}
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
          >
            Remove
          </button>
        )}
      </td>
    </tr>
  )
})
