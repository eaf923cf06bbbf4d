/**
 * The pot as a spreadsheet: the contribution lines in a grid with the keyboard model of Excel and
 * Sheets (client/grid/useGridKeyboard.ts), blocks copied out as TSV and pasted in from a
 * spreadsheet all or nothing (shared/potPaste.ts), a sticky header, first column and totals row,
 * columns shown or hidden (TanStack Table's column model, kept per device), group rows with their
 * totals, and the cells other people have selected.
 */
import { getCoreRowModel, useReactTable, type ColumnDef, type VisibilityState } from '@tanstack/react-table'
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { z } from 'zod'
import { readTsv, writeTsv } from '../../shared/csv.ts'
import { formatMoney } from '../../shared/money.ts'
import { computePotTotals, lineLabel, type PotField, type PotGroupOfLines, type PotLine } from '../../shared/pot.ts'
import { potCellText } from '../../shared/potCells.ts'
import { planPotPaste, type PastePlan, type PasteProblem } from '../../shared/potPaste.ts'
import { type GridRange, gridCell, useGridKeyboard } from '../grid/useGridKeyboard.ts'
import { ColumnsMenu } from './ColumnsMenu.tsx'
import { PotLineRow } from './PotLineRow.tsx'
import {
  BLOCK_FIELDS,
  CELL_COLUMN,
  ESSENTIAL_COLUMNS,
  POT_COLUMN_HEADERS,
  POT_COLUMN_IDS,
  type PotColumnId,
} from './potColumns.ts'
import { type PeerCursor, usePotCursors } from './usePotCursors.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import type { PotLineFields } from '../../shared/pot.ts'

const ROW_PAGE = 100
const NONE: readonly never[] = []
const HIDDEN_KEY = 'commonpot.pot.hiddenColumns'

/** The last row while more lines are waiting: renders the next page when it scrolls into view. */
function MoreRows({ onVisible, remaining, span }: { onVisible: () => void; remaining: number; span: number }) {
  const ref = useRef<HTMLTableRowElement>(null)
  useEffect(() => {
    const row = ref.current
    if (!row) return
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onVisible(), {
      rootMargin: '400px',
    })
    observer.observe(row)
    return () => observer.disconnect()
  }, [onVisible])
  return (
    <tr ref={ref}>
      <td colSpan={span} className="empty">
        <button type="button" className="button small" onClick={onVisible}>
          Show {Math.min(remaining, ROW_PAGE)} more of {remaining}
        </button>
      </td>
    </tr>
  )
}

const hiddenSchema = z.array(z.enum(POT_COLUMN_IDS))

/** The columns this device hides, as it last left them. */
function loadVisibility(): VisibilityState {
  try {
    const parsed = hiddenSchema.safeParse(JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]'))
    if (!parsed.success) return {}
    return Object.fromEntries(parsed.data.filter((id) => !ESSENTIAL_COLUMNS.has(id)).map((id) => [id, false]))
  } catch {
    return {}
  }
}

const COLUMNS: ColumnDef<PotLine>[] = POT_COLUMN_IDS.map((id) => ({
  id,
  header: POT_COLUMN_HEADERS[id],
  enableHiding: !ESSENTIAL_COLUMNS.has(id),
}))

interface Props {
  groups: readonly PotGroupOfLines[]
  grouped: boolean
  canEdit: boolean
  /** What the grid says when the pot has no lines at all. */
  empty: ReactNode | null
  update: (line: PotLine, patch: Partial<PotLineFields>) => void
  /** Applies a pasted block in one change (one undo step, one update for the others). */
  applyPaste: (plan: PastePlan) => void
  showHistory: (lineId: string) => void
  remove: (line: PotLine) => void
  placeOnBoard?: (line: PotLine) => void
}

export function PotGrid({
  groups,
  grouped,
  canEdit,
  empty,
  update,
  applyPaste,
  showHistory,
  remove,
  placeOnBoard,
}: Props) {
  const { actor, awareness } = useWorkshop()
  const lines = useMemo(() => groups.flatMap((g) => g.lines), [groups])
  const [visibility, setVisibility] = useState<VisibilityState>(loadVisibility)
  useEffect(() => {
    const hidden = Object.entries(visibility)
      .filter(([, shown]) => !shown)
      .map(([id]) => id)
    localStorage.setItem(HIDDEN_KEY, JSON.stringify(hidden))
  }, [visibility])
  const table = useReactTable({
    data: lines,
    columns: COLUMNS,
    state: { columnVisibility: visibility },
    onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (line) => line.id,
  })
  const shownColumns = table.getVisibleLeafColumns().map((c) => c.id as PotColumnId)
  const columnsKey = shownColumns.join(' ')
  const rowIndex = new Map(table.getRowModel().rows.map((row) => [row.id, row.index]))

  // Rows render a page at a time: a 2,000-line pot would otherwise mount 20,000 inputs before the first paint.
  const [rowLimit, setRowLimit] = useState(ROW_PAGE)
  const showMore = useCallback(() => setRowLimit((n) => n + ROW_PAGE), [])
  const visibleGroups = useMemo(() => {
    let left = rowLimit
    const out: PotGroupOfLines[] = []
    for (const group of groups) {
      if (left <= 0) break
      out.push(group.lines.length <= left ? group : { ...group, lines: group.lines.slice(0, left) })
      left -= group.lines.length
    }
    return out
  }, [groups, rowLimit])

  const { cursors, publish } = usePotCursors(awareness, actor.userId)
  const [pasted, setPasted] = useState<string | null>(null)
  const [problems, setProblems] = useState<PasteProblem[] | null>(null)
  /** A paste refused as a whole, with why. */
  const refuseAll = (message: string) => setProblems([{ row: null, column: null, lineId: null, field: null, message }])
  const refusedByLine = useMemo(() => {
    const map = new Map<string, PotField[]>()
    for (const p of problems ?? []) {
      if (p.lineId && p.field) map.set(p.lineId, [...(map.get(p.lineId) ?? []), p.field])
    }
    return map
  }, [problems])

  const shownFields = useMemo(() => BLOCK_FIELDS.filter((f) => columnsKey.split(' ').includes(f)), [columnsKey])
  /** The block fields shown, from `field` rightwards (a kind detail is pasted into alone). */
  const fieldsFrom = (field: PotField): PotField[] =>
    BLOCK_FIELDS.includes(field) ? shownFields.slice(shownFields.indexOf(field)) : [field]

  const latest = useRef({ lines, fieldsFrom, shownFields, canEdit, actor, applyPaste, refuseAll })
  latest.current = { lines, fieldsFrom, shownFields, canEdit, actor, applyPaste, refuseAll }
  const { gridProps } = useGridKeyboard({
    copyText: (range: GridRange) => {
      const { lines } = latest.current
      let fields = latest.current.shownFields.filter(
        (f) => CELL_COLUMN[f] >= range.cols[0] && CELL_COLUMN[f] <= range.cols[1],
      )
      if (fields.length === 0 && range.cols[0] === range.cols[1]) {
        const detail = (['kindDescription', 'valuation'] as const).find((f) => CELL_COLUMN[f] === range.cols[0])
        if (detail) fields = [detail]
      }
      if (fields.length === 0) return null
      const rows = lines.slice(range.rows[0], range.rows[1] + 1)
      return writeTsv(rows.map((line) => fields.map((f) => potCellText(line, f))))
    },
    paste: (at, text) => {
      const { lines, fieldsFrom, canEdit, actor, applyPaste, refuseAll } = latest.current
      const field = at.dataset.field as PotField | undefined
      if (!canEdit) return refuseAll('You can read the pot but not change it.')
      if (!field) return refuseAll('Select a cell of a line to paste into.')
      const startRow = Number(at.dataset.row)
      const result = planPotPaste({
        block: readTsv(text),
        lines,
        startRow,
        fields: fieldsFrom(field),
        defaultPartner: actor.organisation,
        now: new Date(),
      })
      if (!result.ok) {
        setPasted(null)
        setProblems(result.problems)
        return
      }
      setProblems(null)
      applyPaste(result.plan)
      const { rows, columns, updates, additions } = result.plan
      const changed = updates.length === 1 ? '1 line changed' : `${updates.length} lines changed`
      const added = additions.length === 0 ? '' : `, ${additions.length} added`
      setPasted(
        `Pasted ${rows} ${rows === 1 ? 'row' : 'rows'} × ${columns} ${columns === 1 ? 'column' : 'columns'}: ${changed}${added}.`,
      )
    },
    needRows: showMore,
    activeCell: (cell) => {
      const row = cell?.closest<HTMLElement>('tr')?.dataset.lineId
      const field = cell?.dataset.field ?? cell?.dataset.col
      publish(row && field ? { grid: 'pot', row, field } : null)
    },
  })
  const shownRows = Math.min(rowLimit, lines.length)
  const span = shownColumns.length
  const totals = useMemo(() => computePotTotals(lines), [lines])

  return (
    <div className="pot-grid">
      <div className="pot-grid-bar">
        <ColumnsMenu table={table} />
        <p className="muted pot-grid-hint">
          Arrow keys move between cells · Enter or F2 edits · paste a block copied from a spreadsheet
        </p>
      </div>
      {problems && (
        <div className="form-error paste-problems" role="alert">
          <p>
            {problems.every((p) => p.row === null)
              ? 'Nothing was pasted.'
              : `Nothing was pasted: ${problems.length === 1 ? 'a cell' : `${problems.length} cells`} cannot be taken. Fix ${problems.length === 1 ? 'it' : 'them'} in the spreadsheet and paste again.`}
          </p>
          <ul>
            {problems.slice(0, 20).map((p) => {
              const line = p.lineId ? lines.find((l) => l.id === p.lineId) : undefined
              const where =
                p.row === null ? '' : `Row ${p.row + 1} of the block (${line ? lineLabel(line) : 'a new line'}): `
              return <li key={`${p.row}-${p.column}-${p.message}`}>{`${where}${p.message}`}</li>
            })}
            {problems.length > 20 && <li>and {problems.length - 20} more</li>}
          </ul>
          <button type="button" className="button small" onClick={() => setProblems(null)}>
            Dismiss
          </button>
        </div>
      )}
      <p className={pasted ? 'muted paste-done' : 'visually-hidden'} role="status">
        {pasted ?? ''}
      </p>
      <div className="table-scroll pot-grid-scroll">
        {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a data grid whose cells the arrow keys move between is a grid (WAI-ARIA APG "Data Grid"), and the table keeps its rows and headers */}
        <table className="pot-table" role="grid" {...gridProps}>
          <caption className="visually-hidden">Contribution lines</caption>
          <thead>
            <tr>
              {shownColumns.map((id) => (
                <th key={id} scope="col">
                  {id === 'actions' ? <span className="visually-hidden">Actions</span> : POT_COLUMN_HEADERS[id]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {empty && (
              <tr>
                <td colSpan={span} className="empty">
                  {empty}
                </td>
              </tr>
            )}
            {visibleGroups.map((group) => (
              <GroupRows key={group.key} group={group} grouped={grouped} span={span}>
                {group.lines.map((line) => (
                  <PotLineRow
                    key={line.id}
                    myUserId={actor.userId}
                    line={line}
                    rowIndex={rowIndex.get(line.id) ?? 0}
                    columns={columnsKey}
                    canEdit={canEdit}
                    cursors={(cursors.get(line.id) as readonly PeerCursor[] | undefined) ?? NONE}
                    refused={refusedByLine.get(line.id) ?? NONE}
                    update={update}
                    showHistory={showHistory}
                    remove={remove}
                    placeOnBoard={placeOnBoard}
                  />
                ))}
              </GroupRows>
            ))}
            {shownRows < lines.length && (
              <MoreRows key={shownRows} onVisible={showMore} remaining={lines.length - shownRows} span={span} />
            )}
            {canEdit && shownRows >= lines.length && (
              // The row below the last line, as a spreadsheet's first empty row: a block pasted
              // here (or running past the last line) adds lines.
              <tr className="paste-row">
                <td colSpan={span} {...gridCell(lines.length, CELL_COLUMN.partner, 'partner')}>
                  Paste rows copied from a spreadsheet here to add them as new lines
                </td>
              </tr>
            )}
          </tbody>
          {lines.length > 0 && (
            <tfoot>
              <tr className="totals-row">
                {shownColumns.map((id) =>
                  id === 'partner' ? (
                    <th key={id} scope="row">
                      Total of {lines.length} {lines.length === 1 ? 'line' : 'lines'}
                    </th>
                  ) : id === 'amount' ? (
                    <td key={id} className="amount" data-testid="pot-grid-total">
                      {formatMoney(totals.total)}
                    </td>
                  ) : (
                    <td key={id} />
                  ),
                )}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </div>
  )
}

/** A group's heading row (with its total) followed by its lines. */
function GroupRows({
  group,
  grouped,
  span,
  children,
}: {
  group: PotGroupOfLines
  grouped: boolean
  span: number
  children: ReactNode
}) {
  return (
    <>
      {grouped && (
        <tr className="group-row">
          <th colSpan={span} scope="rowgroup">
            {group.label} · {formatMoney(group.total)} · {group.lines.length}{' '}
            {group.lines.length === 1 ? 'line' : 'lines'}
          </th>
        </tr>
      )}
      {children}
    </>
  )
}
