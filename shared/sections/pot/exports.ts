/**
 * The pot in the exports: its lines with their totals (JSON), the minutes' table, and the CSV of
 * lines.
 */
import type * as Y from 'yjs'
import { londonDateTime } from '../../dates.ts'
import { formatMoney } from '../../money.ts'
import {
  computePotTotals,
  KIND_LABELS,
  MODE_LABELS,
  POT_KINDS,
  POT_MODES,
  POT_STATUSES,
  type PotLine,
  readPotLines,
  STATUS_LABELS,
} from '../../pot.ts'
import { md, pounds } from '../exportKit.ts'
import type { ExportContext, ExportTable, SectionExport } from '../types.ts'

export interface PotExport {
  lines: PotLine[]
  totals: {
    total: number
    byPartner: Record<string, number>
    byMode: Record<string, number>
    byStatus: Record<string, number>
    byKind: Record<string, number>
  }
}

function read(doc: Y.Doc): PotExport {
  const lines = readPotLines(doc)
  const totals = computePotTotals(lines)
  return {
    lines,
    totals: {
      total: totals.total,
      byPartner: Object.fromEntries([...totals.byPartner].map(([partner, p]) => [partner, p.total])),
      byMode: totals.byMode,
      byStatus: totals.byStatus,
      byKind: totals.byKind,
    },
  }
}

function markdown(pot: PotExport, { meta }: ExportContext): string[] {
  const target = meta.targetPot !== null ? ` of a target of ${formatMoney(meta.targetPot)}` : ''
  const out = [
    '## Virtual pot',
    '',
    `Total: **${formatMoney(pot.totals.total)}**${target} (withdrawn lines excluded).`,
    '',
  ]
  out.push(`- ${POT_MODES.map((m) => `${MODE_LABELS[m]}: ${formatMoney(pot.totals.byMode[m] ?? 0)}`).join(' · ')}`)
  out.push(`- ${POT_KINDS.map((k) => `${KIND_LABELS[k]}: ${formatMoney(pot.totals.byKind[k] ?? 0)}`).join(' · ')}`)
  out.push(
    `- ${POT_STATUSES.map((s) => `${STATUS_LABELS[s]}: ${formatMoney(pot.totals.byStatus[s] ?? 0)}`).join(' · ')}`,
    '',
  )
  out.push(
    '| Partner | Funding stream | Amount | Kind | Mode | Status | Years | Conditions |',
    '|---|---|---:|---|---|---|---|---|',
  )
  for (const l of pot.lines) {
    const kind =
      l.kind === 'in-kind' && l.kindDescription ? `${KIND_LABELS[l.kind]}: ${l.kindDescription}` : KIND_LABELS[l.kind]
    out.push(
      `| ${md(l.partner)} | ${md(l.stream)} | ${formatMoney(l.amount)} | ${md(kind)} | ${MODE_LABELS[l.mode]} | ${STATUS_LABELS[l.status]} | ${md(l.years)} | ${md(l.conditions)} |`,
    )
  }
  return out
}

/**
 * The pot's CSV header row, as the Pot view names its columns; the import (shared/potCsv.ts) reads
 * these back, so an exported file can be imported again.
 */
export const POT_CSV_COLUMNS = [
  'Partner',
  'Funding stream',
  'Amount (£)',
  'Kind',
  'What is given in kind',
  'How it was valued',
  'Mode',
  'Status',
  'Financial years',
  'Conditions and notes',
  'Proposed by',
  'Proposed by (organisation)',
  'Added',
] as const

const linesTable: ExportTable<PotExport> = {
  part: 'pot',
  title: 'Pot lines',
  columns: POT_CSV_COLUMNS,
  rows: ({ lines }) =>
    lines.map((l) => [
      l.partner,
      l.stream,
      pounds(l.amount),
      KIND_LABELS[l.kind],
      l.kindDescription,
      l.valuation,
      MODE_LABELS[l.mode],
      STATUS_LABELS[l.status],
      l.years,
      l.conditions,
      l.proposedBy.name,
      l.proposedBy.organisation,
      londonDateTime(l.createdAt),
    ]),
}

export const potExport: SectionExport<PotExport> = { read, markdown, tables: [linesTable] }
