/**
 * CSV exports for spreadsheets: the pot lines, the barriers register and the action log. Every
 * cell goes through `csvCell`, so text a partner typed can never run as a formula.
 */
import type { ActionItem } from './actions.ts'
import type { Barrier } from './barriers.ts'
import type { PotLine } from './pot.ts'
import type { ClauseStatus, StatedPosition } from './protocol.ts'

/**
 * One CSV cell. A cell that a spreadsheet would run as a formula (starting = + - @, tab or
 * carriage return) is prefixed with an apostrophe so it stays text.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return `${[columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`
}

const pounds = (pence: number | null) => (pence === null ? null : (pence / 100).toFixed(2))

/** A link as a spreadsheet reader can follow it: what it points at, by name. */
export interface NamedLink {
  kind: string
  id: string
  label: string | null
}
/** An item as exported: its links named. Distributes over unions, so actions and decisions stay apart. */
export type WithNamedLinks<T> = T extends { links: unknown } ? Omit<T, 'links'> & { links: NamedLink[] } : never
export type ExportedBarrier = WithNamedLinks<Barrier> & { dots: number | null }
export type ExportedActionItem = WithNamedLinks<ActionItem>

const linksCell = (links: readonly NamedLink[]) => links.map((l) => `${l.kind}: ${l.label ?? '(removed)'}`).join('; ')

export const POT_CSV_COLUMNS = [
  'partner',
  'stream',
  'amount_pounds',
  'kind',
  'kind_description',
  'valuation',
  'mode',
  'status',
  'years',
  'conditions',
  'proposed_by',
  'proposed_by_organisation',
] as const

export function potToCsv(lines: readonly PotLine[]): string {
  return toCsv(
    POT_CSV_COLUMNS,
    lines.map((l) => [
      l.partner,
      l.stream,
      pounds(l.amount),
      l.kind,
      l.kindDescription,
      l.valuation,
      l.mode,
      l.status,
      l.years,
      l.conditions,
      l.proposedBy.name,
      l.proposedBy.organisation,
    ]),
  )
}

export const BARRIER_CSV_COLUMNS = [
  'title',
  'status',
  'department',
  'raised_by',
  'champion',
  'description',
  'rule',
  'flexibility_sought',
  'impact_pounds',
  'families_affected',
  'due_date',
  'dots',
  'links',
  'created_by',
  'created_at',
] as const

export function barriersToCsv(barriers: readonly ExportedBarrier[]): string {
  return toCsv(
    BARRIER_CSV_COLUMNS,
    barriers.map((b) => [
      b.title,
      b.status,
      b.department,
      b.raisedBy,
      b.champion,
      b.description,
      b.rule,
      b.flexibility,
      pounds(b.impactPence),
      b.familiesAffected,
      b.dueDate,
      b.dots,
      linksCell(b.links),
      b.createdBy.name,
      new Date(b.createdAt).toISOString(),
    ]),
  )
}

export const ACTION_CSV_COLUMNS = [
  'kind',
  'what',
  'status',
  'owner_organisation',
  'owner_person',
  'due_date',
  'agreed_by',
  'links',
  'created_by',
  'created_at',
] as const

export function actionsToCsv(items: readonly ExportedActionItem[]): string {
  return toCsv(
    ACTION_CSV_COLUMNS,
    items.map((item) =>
      item.kind === 'action'
        ? [
            'action',
            item.what,
            item.status,
            item.ownerOrganisation,
            item.ownerPerson,
            item.dueDate,
            '',
            linksCell(item.links),
            item.createdBy.name,
            new Date(item.createdAt).toISOString(),
          ]
        : [
            'decision',
            item.what,
            '',
            '',
            '',
            '',
            item.agreedBy.join('; '),
            linksCell(item.links),
            item.createdBy.name,
            new Date(item.createdAt).toISOString(),
          ],
    ),
  )
}

/**
 * One row per stated position: `basis` says whether it counts toward agreement ('link',
 * 'on-behalf') or not ('self-declared'); `stated_by` is the person, with their own organisation.
 */
export const PROTOCOL_CSV_COLUMNS = [
  'clause_number',
  'clause',
  'clause_status',
  'organisation',
  'position',
  'basis',
  'reason',
  'stated_by',
  'stated_by_organisation',
  'stated_at',
] as const

export interface ExportedClausePositions {
  title: string
  status: ClauseStatus
  positions: Record<string, StatedPosition>
}

export function protocolToCsv(clauses: readonly ExportedClausePositions[]): string {
  return toCsv(
    PROTOCOL_CSV_COLUMNS,
    clauses.flatMap((clause, i) =>
      Object.entries(clause.positions).map(([organisation, p]) => [
        i + 1,
        clause.title,
        clause.status,
        organisation,
        p.position,
        p.basis,
        p.reason,
        p.by.name,
        p.by.organisation,
        new Date(p.at).toISOString(),
      ]),
    ),
  )
}
