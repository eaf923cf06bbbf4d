/**
 * The keyboard model of a spreadsheet over a table of cells, as in Excel and Sheets: one cell is
 * active (and the grid's one Tab stop); arrow keys, Home/End, Ctrl+Home/End and Page Up/Down move
 * it; Shift with them selects a block; Tab and Shift+Tab move along the row and, at its ends, out of
 * the grid (so it is never a trap); Enter on a select opens it. Editing inside a cell (Enter/F2,
 * typing, Escape) belongs to the cell (useCellEdit with `grid`), which keeps the keys it uses and
 * lets the rest through to here. Copy and paste of blocks go to the handlers as text.
 *
 * Cells are any elements with `data-cell`, `data-row` (the row's index among the grid's rows) and
 * `data-col` (a fixed column number; missing ones are skipped). Tab stops and the selection are
 * set on the DOM, not in React state: moving around a 500-row grid re-renders nothing.
 */
import {
  type ClipboardEvent,
  type FocusEvent,
  type KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
} from 'react'

export interface GridRange {
  rows: [number, number]
  cols: [number, number]
}

export interface GridHandlers {
  /** The text to put on the clipboard for a block, or null to leave copying to the browser. */
  copyText?: (range: GridRange) => string | null
  /** A block pasted into the active cell (or over the selection's top-left cell). */
  paste?: (at: HTMLElement, text: string) => void
  /** Asked for more rows when the active cell would move below the last one shown. */
  needRows?: () => void
  /** The active cell changed (null when focus left the grid). */
  activeCell?: (cell: HTMLElement | null) => void
}

// A disabled cell (a locked section, an observer) cannot take focus, so the keyboard passes it by.
const CELL = '[data-cell]:not(:disabled)'
/** Whether a cell is being edited (its text is the person's, not the grid's). */
const isEditing = (target: EventTarget) => (target as HTMLElement).dataset?.editing === 'true'
const num = (el: Element, name: 'row' | 'col') => Number((el as HTMLElement).dataset[name])

export interface GridCellProps {
  'data-cell': ''
  'data-row': number
  'data-col': number
  'data-field': string | undefined
  tabIndex: number
}

/** A cell's props: the coordinates the keyboard model reads, and no Tab stop until it is active. */
export function gridCell(row: number, col: number, field?: string): GridCellProps {
  return { 'data-cell': '', 'data-row': row, 'data-col': col, 'data-field': field, tabIndex: -1 }
}

export function useGridKeyboard(handlers: GridHandlers) {
  const gridRef = useRef<HTMLElement | null>(null)
  const active = useRef<HTMLElement | null>(null)
  const anchor = useRef<{ row: number; col: number } | null>(null)
  const selected = useRef<HTMLElement[]>([])
  const latest = useRef(handlers)
  latest.current = handlers

  const rowCells = useCallback((row: number): HTMLElement[] => {
    const grid = gridRef.current
    if (!grid) return []
    return [...grid.querySelectorAll<HTMLElement>(`${CELL}[data-row="${row}"]`)].sort(
      (a, b) => num(a, 'col') - num(b, 'col'),
    )
  }, [])

  const lastRow = useCallback(() => {
    const cells = gridRef.current?.querySelectorAll<HTMLElement>(CELL)
    const last = cells?.[cells.length - 1]
    return last ? num(last, 'row') : -1
  }, [])

  /** The cell at `row` nearest to column `col` (the same, else the nearest to its left, else right). */
  const cellAt = useCallback(
    (row: number, col: number): HTMLElement | null => {
      const cells = rowCells(row)
      return (
        cells.find((c) => num(c, 'col') === col) ??
        cells.filter((c) => num(c, 'col') < col).pop() ??
        cells.find((c) => num(c, 'col') > col) ??
        null
      )
    },
    [rowCells],
  )

  const clearSelection = useCallback(() => {
    for (const cell of selected.current) delete cell.dataset.selected
    selected.current = []
  }, [])

  const select = useCallback(
    (range: GridRange | null) => {
      clearSelection()
      const grid = gridRef.current
      if (!range || !grid) return
      for (const cell of grid.querySelectorAll<HTMLElement>(CELL)) {
        const row = num(cell, 'row')
        const col = num(cell, 'col')
        if (row >= range.rows[0] && row <= range.rows[1] && col >= range.cols[0] && col <= range.cols[1]) {
          cell.dataset.selected = 'true'
          selected.current.push(cell)
        }
      }
    },
    [clearSelection],
  )

  const currentRange = useCallback((): GridRange | null => {
    const from = anchor.current
    const to = active.current
    if (!to) return null
    const here = { row: num(to, 'row'), col: num(to, 'col') }
    const start = from ?? here
    return {
      rows: [Math.min(start.row, here.row), Math.max(start.row, here.row)],
      cols: [Math.min(start.col, here.col), Math.max(start.col, here.col)],
    }
  }, [])

  const makeActive = useCallback((cell: HTMLElement) => {
    if (active.current === cell) return
    if (active.current) active.current.tabIndex = -1
    active.current = cell
    cell.tabIndex = 0
    latest.current.activeCell?.(cell)
  }, [])

  /** Makes sure the grid has one Tab stop: the active cell, or the first one when it has gone. */
  const ensureTabStop = useCallback(() => {
    const grid = gridRef.current
    if (!grid) return
    if (active.current?.isConnected) {
      active.current.tabIndex = 0
      return
    }
    active.current = null
    const first = grid.querySelector<HTMLElement>(CELL)
    if (first) {
      first.tabIndex = 0
      active.current = first
    }
  }, [])

  const moveTo = useCallback(
    (cell: HTMLElement | null, extend: boolean) => {
      if (!cell) return
      const from = active.current
      if (extend) {
        if (!anchor.current && from) anchor.current = { row: num(from, 'row'), col: num(from, 'col') }
      } else anchor.current = null
      makeActive(cell)
      cell.focus()
      cell.scrollIntoView?.({ block: 'nearest', inline: 'nearest' })
      select(extend ? currentRange() : null)
    },
    [makeActive, select, currentRange],
  )

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const target = event.target as HTMLElement
      const cell = target.closest<HTMLElement>(CELL)
      // A cell stops the keys it uses itself (client/grid/gridCellKeys.ts); the rest arrive here.
      if (!cell || event.altKey) return
      const row = num(cell, 'row')
      const col = num(cell, 'col')
      const ctrl = event.ctrlKey || event.metaKey
      const cells = rowCells(row)
      const index = cells.indexOf(cell)
      let next: HTMLElement | null | undefined
      let extend = event.shiftKey
      switch (event.key) {
        case 'ArrowLeft':
          next = ctrl ? cells[0] : cells[index - 1]
          break
        case 'ArrowRight':
          next = ctrl ? cells[cells.length - 1] : cells[index + 1]
          break
        case 'ArrowUp':
          next = cellAt(ctrl ? 0 : row - 1, col)
          break
        case 'ArrowDown':
        case 'Enter': {
          if (event.key === 'Enter') {
            // Enter opens a select and presses a button; on a text cell it arrives after the cell
            // committed its edit, and moves down (Shift+Enter up), as in a spreadsheet.
            if (target instanceof HTMLSelectElement) {
              event.preventDefault()
              target.showPicker?.()
              return
            }
            if (!(target instanceof HTMLInputElement)) return
            extend = false
          }
          const down = event.key === 'Enter' && event.shiftKey ? -1 : 1
          const to = ctrl ? lastRow() : row + down
          next = cellAt(to, col)
          if (!next && to > lastRow() && down > 0) {
            latest.current.needRows?.()
            event.preventDefault()
            // The rows asked for render on the next frames; the move happens once they are there.
            requestAnimationFrame(() => requestAnimationFrame(() => moveTo(cellAt(to, col), extend)))
            return
          }
          break
        }
        case 'Home':
          next = ctrl ? cellAt(0, 0) : cells[0]
          break
        case 'End':
          next = ctrl ? cellAt(lastRow(), Number.MAX_SAFE_INTEGER) : cells[cells.length - 1]
          break
        case 'PageDown':
          next = cellAt(Math.min(lastRow(), row + 10), col)
          break
        case 'PageUp':
          next = cellAt(Math.max(0, row - 10), col)
          break
        case 'Tab': {
          // Along the row; past its end (or before its start) Tab leaves the grid as usual.
          next = event.shiftKey ? cells[index - 1] : cells[index + 1]
          if (!next) return
          extend = false
          break
        }
        case 'Escape':
          if (selected.current.length > 0) {
            anchor.current = null
            clearSelection()
            event.preventDefault()
          }
          return
        default:
          return
      }
      // A select's own arrow keys would change its value: in the grid they move instead.
      event.preventDefault()
      if (next) moveTo(next, extend)
    },
    [rowCells, cellAt, lastRow, moveTo, clearSelection],
  )

  const onFocus = useCallback(
    (event: FocusEvent<HTMLElement>) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>(CELL)
      if (!cell) return
      if (active.current !== cell && !cell.dataset.selected) {
        anchor.current = null
        clearSelection()
      }
      makeActive(cell)
    },
    [makeActive, clearSelection],
  )

  const onBlur = useCallback((event: FocusEvent<HTMLElement>) => {
    const to = event.relatedTarget as Node | null
    if (!to || !gridRef.current?.contains(to)) latest.current.activeCell?.(null)
  }, [])

  const onCopy = useCallback(
    (event: ClipboardEvent<HTMLElement>) => {
      if (isEditing(event.target)) return
      const range = currentRange()
      const text = range ? latest.current.copyText?.(range) : null
      if (text == null) return
      event.preventDefault()
      event.clipboardData.setData('text/plain', text)
    },
    [currentRange],
  )

  const onPaste = useCallback((event: ClipboardEvent<HTMLElement>) => {
    const text = event.clipboardData.getData('text/plain')
    // Inside a cell being edited, text goes in as typed; a block (tabs or lines) always goes to the grid.
    if (isEditing(event.target) && !/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return
    const cell = (event.target as HTMLElement).closest<HTMLElement>(CELL)
    if (!cell || !latest.current.paste) return
    event.preventDefault()
    const start = selected.current.length > 0 ? selected.current[0]! : cell
    latest.current.paste(start, text)
  }, [])

  const gridProps = useMemo(
    () => ({
      ref: (el: HTMLElement | null) => {
        gridRef.current = el
      },
      onKeyDown,
      onFocus,
      onBlur,
      onCopy,
      onPaste,
    }),
    [onKeyDown, onFocus, onBlur, onCopy, onPaste],
  )

  // After every render of the grid's owner: the grid keeps one Tab stop whatever rows came or went.
  useEffect(() => ensureTabStop())

  return { gridProps }
}
