/**
 * Exports of a workshop's state: JSON (the whole picture, for other tools) and Markdown (for
 * minutes); the CSV files are written from the same data by shared/exportCsv.ts. Pure: the
 * server and the client both use it.
 */
import type * as Y from 'yjs'
import { ACTION_STATUS_LABELS, readActionItems } from './actions.ts'
import { BARRIER_STATUS_LABELS, DEPARTMENT_LABELS, readBarriers } from './barriers.ts'
import { formatIsoDate } from './dates.ts'
import type { ExportedActionItem, ExportedBarrier, NamedLink } from './exportCsv.ts'
import { describeLink, LINK_KIND_LABELS, type Link } from './links.ts'
import { readLedger, type LedgerEntry } from './ledger.ts'
import { formatMoney } from './money.ts'
import {
  computePotTotals,
  KIND_LABELS,
  MODE_LABELS,
  POT_KINDS,
  POT_MODES,
  POT_STATUSES,
  readPotLines,
  readTargetPot,
  STATUS_LABELS,
  type PotLine,
} from './pot.ts'
import { getMembersMap, readMeta, type Member, type WorkshopMeta } from './schema.ts'
import {
  checkAgreement,
  clauseBody,
  CLAUSE_STATUS_LABELS,
  participatingOrganisations,
  POSITION_LABELS,
  positionBasisText,
  readClauses,
  type ClauseStatus,
  type StatedPosition,
} from './protocol.ts'
import { readComments, type ClauseComment } from './protocolComments.ts'
import { clauseBodyToMarkdown } from './protocolText.ts'
import { readVotes, type Vote } from './votes.ts'

export interface WorkshopExport {
  meta: WorkshopMeta & { targetPot: number | null }
  members: (Member & { userId: string })[]
  pot: {
    lines: PotLine[]
    totals: {
      total: number
      byPartner: Record<string, number>
      byMode: Record<string, number>
      byStatus: Record<string, number>
      byKind: Record<string, number>
    }
  }
  protocol: {
    organisations: string[]
    /**
     * Each position with its `basis` ('link', 'on-behalf' or 'self-declared'); `passes` counts only
     * positions stated through the organisation's link or on its behalf.
     */
    clauses: {
      id: string
      title: string
      status: ClauseStatus
      text: string
      positions: Record<string, StatedPosition>
      passes: boolean
      comments: ClauseComment[]
    }[]
  }
  /** The barriers register; `dots` is what each barrier got in the latest ended vote (null: never voted on). */
  barriers: ExportedBarrier[]
  /** Dot votes on the barriers, oldest first; an open vote's results are empty until it ends. */
  votes: Pick<
    Vote,
    'id' | 'title' | 'status' | 'dotsPerPerson' | 'visibility' | 'startedAt' | 'endedAt' | 'results' | 'voters'
  >[]
  actions: ExportedActionItem[]
  ledger: LedgerEntry[]
}

const nameLinks = (doc: Y.Doc, links: readonly Link[]): NamedLink[] =>
  links.map((link) => ({ ...link, label: describeLink(doc, link) }))

export function buildExport(doc: Y.Doc): WorkshopExport {
  const lines = readPotLines(doc)
  const totals = computePotTotals(lines)
  const organisations = participatingOrganisations(doc)
  const votes = readVotes(doc)
  const lastEnded = votes.findLast((vote) => vote.status === 'ended')
  const lastResults = lastEnded ? new Map(lastEnded.results.map((r) => [r.barrierId, r.dots])) : null
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
          comments: readComments(doc, clause.id),
        }
      }),
    },
    barriers: readBarriers(doc).map((barrier) => ({
      ...barrier,
      links: nameLinks(doc, barrier.links),
      dots: lastResults?.get(barrier.id) ?? (lastResults ? 0 : null),
    })),
    votes: votes.map(({ id, title, status, dotsPerPerson, visibility, startedAt, endedAt, results, voters }) => ({
      id,
      title,
      status,
      dotsPerPerson,
      visibility,
      startedAt,
      endedAt,
      results,
      voters,
    })),
    actions: readActionItems(doc).map((item) => ({ ...item, links: nameLinks(doc, item.links) })),
    ledger: readLedger(doc),
  }
}

/** Markdown cells cannot hold a pipe or a line break. */
const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

export function exportToMarkdown(data: WorkshopExport): string {
  const { meta, pot } = data
  const out: string[] = [`# ${md(meta.title || 'Workshop')}`, '', '## Virtual pot', '']
  out.push(
    `Total: **${formatMoney(pot.totals.total)}**${meta.targetPot !== null ? ` of a target of ${formatMoney(meta.targetPot)}` : ''} (withdrawn lines excluded).`,
    '',
  )
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
  const { protocol } = data
  if (protocol.clauses.length > 0) {
    const agreed = protocol.clauses.filter((c) => c.status === 'agreed').length
    out.push('', '## Protocol', '', `${agreed} of ${protocol.clauses.length} clauses agreed.`)
    protocol.clauses.forEach((clause, i) => {
      out.push(
        '',
        `### ${i + 1}. ${md(clause.title)} (${CLAUSE_STATUS_LABELS[clause.status]})`,
        '',
        clause.text || '_No text yet._',
      )
      const positions = Object.entries(clause.positions)
      if (positions.length > 0) {
        out.push(
          '',
          ...positions.map(
            ([organisation, p]) =>
              `- ${md(organisation)}: **${POSITION_LABELS[p.position]}**${p.reason ? ` (${md(p.reason)})` : ''}, ${md(positionBasisText(organisation, p))}`,
          ),
        )
        if (positions.some(([, p]) => p.basis === 'self-declared'))
          out.push('', '_Self-declared positions are shown but do not count toward agreement._')
      }
      if (clause.comments.length > 0) {
        out.push('', `Comments (${clause.comments.filter((c) => c.resolved === null).length} open):`, '')
        out.push(
          ...clause.comments.map(
            (c) => `- ${md(c.by.name)} (${md(c.by.organisation)})${c.resolved ? ', resolved' : ''}: ${md(c.text)}`,
          ),
        )
      }
    })
  }
  out.push(...barriersMarkdown(data), ...actionsMarkdown(data))
  return `${out.join('\n')}\n`
}

const linksText = (links: readonly NamedLink[]) =>
  links.map((l) => `${LINK_KIND_LABELS[l.kind as Link['kind']] ?? l.kind}: ${md(l.label ?? '(removed)')}`).join('; ')

function barriersMarkdown({ barriers, votes }: WorkshopExport): string[] {
  if (barriers.length === 0) return []
  const out = [
    '',
    '## Barriers (asks)',
    '',
    '| Barrier | Status | Department | Raised by | Champion | Flexibility sought | Impact | Due | Dots |',
    '|---|---|---|---|---|---|---:|---|---:|',
  ]
  for (const b of barriers) {
    const impact = [
      b.impactPence !== null ? formatMoney(b.impactPence) : '',
      b.familiesAffected !== null ? `${b.familiesAffected} families` : '',
    ]
      .filter(Boolean)
      .join(', ')
    out.push(
      `| ${md(b.title)}${b.rule ? ` (rule: ${md(b.rule)})` : ''} | ${BARRIER_STATUS_LABELS[b.status]} | ${md(DEPARTMENT_LABELS[b.department])} | ${md(b.raisedBy)} | ${md(b.champion)} | ${md(b.flexibility)} | ${md(impact)} | ${b.dueDate ? formatIsoDate(b.dueDate) : ''} | ${b.dots ?? ''} |`,
    )
  }
  for (const vote of votes.filter((v) => v.status === 'ended')) {
    const date = new Date(vote.endedAt ?? vote.startedAt).toISOString().slice(0, 10)
    out.push(
      '',
      `### Vote: ${md(vote.title)} (${formatIsoDate(date)}, ${vote.voters} voting, ${vote.dotsPerPerson} dots each)`,
      '',
    )
    out.push(
      ...vote.results
        .filter((r) => r.dots > 0)
        .map((r) => `${r.rank}. ${md(r.title)}: ${r.dots} dot${r.dots === 1 ? '' : 's'}`),
    )
  }
  return out
}

function actionsMarkdown({ actions }: WorkshopExport): string[] {
  if (actions.length === 0) return []
  const out: string[] = []
  const list = actions.filter((a) => a.kind === 'action')
  if (list.length > 0) {
    out.push('', '## Actions', '', '| Action | Owner | Due | Status | Links |', '|---|---|---|---|---|')
    for (const a of list) {
      out.push(
        `| ${md(a.what)} | ${md([a.ownerOrganisation, a.ownerPerson].filter(Boolean).join(' · '))} | ${a.dueDate ? formatIsoDate(a.dueDate) : ''} | ${ACTION_STATUS_LABELS[a.status]} | ${linksText(a.links)} |`,
      )
    }
  }
  const decisions = actions.filter((a) => a.kind === 'decision')
  if (decisions.length > 0) {
    out.push('', '## Decisions', '')
    for (const d of decisions)
      out.push(
        `- ${md(d.what)}${d.agreedBy.length > 0 ? ` (agreed by ${d.agreedBy.map(md).join(', ')})` : ''}${d.links.length > 0 ? ` [${linksText(d.links)}]` : ''}`,
      )
  }
  return out
}
