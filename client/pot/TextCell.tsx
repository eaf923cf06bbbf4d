import type { GridCellProps } from '../grid/useGridKeyboard.ts'
import { FormField } from '../ui/FormField.tsx'
import { useCellEdit } from './useCellEdit.ts'

/** Reads what was typed: the value to store (in its standard form), or why it cannot be. */
export type CellParse = (text: string) => { ok: true; value: string } | { ok: false; error: string }

interface Props {
  label: string
  value: string
  onCommit: (value: string) => void
  disabled?: boolean
  list?: string
  placeholder?: string
  maxLength?: number
  required?: boolean
  /** When given, a value it refuses is not committed: its message shows at the cell until fixed. */
  parse?: CellParse
  /** Where the cell sits in a grid: it then takes the grid's keyboard model. */
  gridCell?: GridCellProps
}

/**
 * A text cell that commits on Enter or blur, not per keystroke: each commit is one change for
 * the other participants (and, for the partner, one ledger entry).
 */
export function TextCell({
  label,
  value,
  onCommit,
  disabled,
  list,
  placeholder,
  maxLength = 500,
  required,
  parse,
  gridCell,
}: Props) {
  const cell = useCellEdit<string>({
    value,
    show: (v) => v,
    read: (text) => {
      const next = text.trim()
      if (required && next === '') return null
      if (next === value || !parse) return { ok: true, value: next }
      return parse(next)
    },
    onCommit,
    grid: gridCell !== undefined,
    disabled,
  })

  return (
    <FormField as="span" label={label} labelClassName="visually-hidden" error={cell.error}>
      {(control) => (
        <input {...control} {...cell.input} {...gridCell} list={list} placeholder={placeholder} maxLength={maxLength} />
      )}
    </FormField>
  )
}
