import { formatMoney, parseMoney } from '../../shared/money.ts'
import type { GridCellProps } from '../grid/useGridKeyboard.ts'
import { FormField } from '../ui/FormField.tsx'
import { useCellEdit } from './useCellEdit.ts'

interface Props {
  label: string
  /** Pence, or null for empty. */
  value: number | null
  onCommit: (pence: number) => void
  disabled?: boolean
  /** Hide the label visually (inside a table row, where the column header says it). */
  compact?: boolean
  allowEmpty?: boolean
  onClear?: () => void
  /** Where the cell sits in a grid: it then takes the grid's keyboard model. */
  gridCell?: GridCellProps
}

/**
 * An amount field that takes what officials type (£1.2m, 250k, 1,500,000) and commits on Enter or
 * when it loses focus; a value it cannot read is refused with the reason and the last good value kept.
 */
export function MoneyInput({ label, value, onCommit, disabled, compact, allowEmpty, onClear, gridCell }: Props) {
  const cell = useCellEdit<number | null>({
    value,
    show: (pence) => (pence === null ? '' : formatMoney(pence)),
    read: (text) => {
      if (allowEmpty && text.trim() === '') return { ok: true, value: null }
      const parsed = parseMoney(text)
      return parsed.ok ? { ok: true, value: parsed.pence } : parsed
    },
    onCommit: (pence) => (pence === null ? onClear?.() : onCommit(pence)),
    grid: gridCell !== undefined,
    disabled,
  })

  return (
    <FormField
      as="span"
      className="money-input"
      label={label}
      labelClassName={compact ? 'visually-hidden' : undefined}
      error={cell.error}
    >
      {(control) => <input {...control} {...cell.input} {...gridCell} inputMode="decimal" />}
    </FormField>
  )
}
