import type { GridCellProps } from '../grid/useGridKeyboard.ts'

interface Props<T extends string> {
  label: string
  value: T
  options: readonly T[]
  labels: Record<T, string>
  onChange: (value: T) => void
  disabled?: boolean
  /** An id for a visible <label htmlFor> (a FormField's control); without one the label is given as aria-label. */
  id?: string
  'aria-invalid'?: true | undefined
  'aria-describedby'?: string | undefined
  /** Where the select sits in a grid (client/grid/useGridKeyboard.ts). */
  gridCell?: GridCellProps
}

/** A select over a fixed set of values, each shown by its label. */
export function EnumSelect<T extends string>({
  label,
  value,
  options,
  labels,
  onChange,
  disabled,
  id,
  gridCell,
  ...described
}: Props<T>) {
  return (
    <select
      id={id}
      aria-label={id ? undefined : label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as T)}
      {...described}
      {...gridCell}
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {labels[option]}
        </option>
      ))}
    </select>
  )
}
