/**
 * Shows or hides the pot grid's columns, as a menu of checkboxes (the essential ones cannot be
 * hidden). A disclosure: it closes on Escape, returning focus to its button, or on a click outside.
 */
import type { Table } from '@tanstack/react-table'
import { useEffect, useId, useRef, useState } from 'react'
import type { PotLine } from '../../shared/pot.ts'
import { POT_COLUMN_HEADERS, type PotColumnId } from './potColumns.ts'

export function ColumnsMenu({ table }: { table: Table<PotLine> }) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!open) return
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      button.current?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide())
  const hidden = hideable.filter((c) => !c.getIsVisible()).length
  return (
    <div className="columns-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button small"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        Columns{hidden > 0 ? ` (${hidden} hidden)` : ''}
      </button>
      {open && (
        <fieldset id={panelId} className="columns-menu-panel">
          <legend>Show columns</legend>
          {hideable.map((column) => (
            <label key={column.id}>
              <input type="checkbox" checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} />{' '}
              {POT_COLUMN_HEADERS[column.id as PotColumnId]}
            </label>
          ))}
          <button type="button" className="button small" onClick={() => table.resetColumnVisibility(true)}>
            Show all
          </button>
        </fieldset>
      )}
    </div>
  )
}
