/**
 * Exports of a workshop's state: JSON (the whole picture, for other tools), CSV (the pot lines,
 * for spreadsheets) and Markdown (for minutes). Pure: the server and the client both use it.
 */
import type * as Y from 'yjs'
import { readLedger, type LedgerEntry } from './ledger.ts'
import { formatMoney } from './money.ts'
import { computePotTotals, KIND_LABELS, MODE_LABELS, POT_KINDS, POT_MODES, POT_STATUSES, readPotLines, readTargetPot, STATUS_LABELS, type PotLine } from './pot.ts'
import { getMembersMap, readMeta, type Member, type WorkshopMeta } from './schema.ts'
import { checkAgreement, clauseBody, CLAUSE_STATUS_LABELS, participatingOrganisations, POSITION_LABELS, readClauses, type ClauseStatus, type StatedPosition } from './protocol.ts'
import { clauseBodyToMarkdown } from './protocolText.ts'

export interface WorkshopExport {
  meta: WorkshopMeta & { targetPot: number | null }
  members: (Member & { userId: string })[]
  pot: {
    lines: PotLine[]
    totals: { total: number; byPartner: Record<string, number>; byMode: Record<string, number>; byStatus: Record<string, number>; byKind: Record<string, number> }
  }
  protocol: {
    organisations: string[]
    clauses: { id: string; title: string; status: ClauseStatus; text: string; positions: Record<string, StatedPosition>; passes: boolean }[]
  }
  ledger: LedgerEntry[]
}

export function buildExport(doc: Y.Doc): WorkshopExport {
  const lines = readPotLines(doc)
  const totals = computePotTotals(lines)
  const organisations = participatingOrganisations(doc)
  const members: WorkshopExport['members'] = []
  getMembersMap(doc).forEach((member, userId) => members.push({ userId, ...member }))
  return {
    meta: { ...readMeta(doc), targetPot: readTargetPot(doc) },
    members,
    pot: {
      lines,
      totals: {
        total: totals.total,
        byPartner: Object.fromEntries([...totals.byPartner].map(([partner, p]) => [partner, p.total])),
        byMode: totals.byMode,
        byStatus: totals.byStatus,
        byKind: totals.byKind,
      },
    },
    protocol: {
      organisations,
      clauses: readClauses(doc).map((clause) => {
        const body = clauseBody(doc, clause.id)
        return {
          id: clause.id,
          title: clause.title,
          status: clause.status,
          text: body ? clauseBodyToMarkdown(body) : '',
          positions: Object.fromEntries(clause.positions),
          passes: checkAgreement(clause, organisations).passes,
        }
      }),
    },
    ledger: readLedger(doc),
  }
}

/**
 * One CSV cell. A cell that a spreadsheet would run as a formula (starting = + - @, tab or
 * carriage return) is prefixed with an apostrophe so it stays text.
 */
export function csvCell(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const POT_CSV_COLUMNS = ['partner', 'stream', 'amount_pounds', 'kind', 'kind_description', 'valuation', 'mode', 'status', 'years', 'conditions', 'proposed_by', 'proposed_by_organisation'] as const

export function potToCsv(lines: readonly PotLine[]): string {
  const rows = lines.map((l) =>
    [l.partner, l.stream, (l.amount / 100).toFixed(2), l.kind, l.kindDescription, l.valuation, l.mode, l.status, l.years, l.conditions, l.proposedBy.name, l.proposedBy.organisation].map(csvCell).join(','),
  )
  return [POT_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n'
}

/** Markdown cells cannot hold a pipe or a line break. */
const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

export function exportToMarkdown(data: WorkshopExport): string {
  const { meta, pot } = data
  const out: string[] = [`# ${md(meta.title || 'Workshop')}`, '', '## Virtual pot', '']
  out.push(`Total: **${formatMoney(pot.totals.total)}**${meta.targetPot !== null ? ` of a target of ${formatMoney(meta.targetPot)}` : ''} (withdrawn lines excluded).`, '')
  out.push(`- ${POT_MODES.map((m) => `${MODE_LABELS[m]}: ${formatMoney(pot.totals.byMode[m] ?? 0)}`).join(' · ')}`)
  out.push(`- ${POT_KINDS.map((k) => `${KIND_LABELS[k]}: ${formatMoney(pot.totals.byKind[k] ?? 0)}`).join(' · ')}`)
  out.push(`- ${POT_STATUSES.map((s) => `${STATUS_LABELS[s]}: ${formatMoney(pot.totals.byStatus[s] ?? 0)}`).join(' · ')}`, '')
  out.push('| Partner | Funding stream | Amount | Kind | Mode | Status | Years | Conditions |', '|---|---|---:|---|---|---|---|---|')
  for (const l of pot.lines) {
    const kind = l.kind === 'in-kind' && l.kindDescription ? `${KIND_LABELS[l.kind]}: ${l.kindDescription}` : KIND_LABELS[l.kind]
    out.push(`| ${md(l.partner)} | ${md(l.stream)} | ${formatMoney(l.amount)} | ${md(kind)} | ${MODE_LABELS[l.mode]} | ${STATUS_LABELS[l.status]} | ${md(l.years)} | ${md(l.conditions)} |`)
  }
  const { protocol } = data
  if (protocol.clauses.length > 0) {
    const agreed = protocol.clauses.filter((c) => c.status === 'agreed').length
    out.push('', '## Protocol', '', `${agreed} of ${protocol.clauses.length} clauses agreed.`)
    protocol.clauses.forEach((clause, i) => {
      out.push('', `### ${i + 1}. ${md(clause.title)} (${CLAUSE_STATUS_LABELS[clause.status]})`, '', clause.text || '_No text yet._')
      const positions = Object.entries(clause.positions)
      if (positions.length > 0) {
        out.push('', ...positions.map(([organisation, p]) => `- ${md(organisation)}: **${POSITION_LABELS[p.position]}**${p.reason ? ` (${md(p.reason)})` : ''}, ${md(p.by.name)}`))
      }
    })
  }
  return out.join('\n') + '\n'
}
