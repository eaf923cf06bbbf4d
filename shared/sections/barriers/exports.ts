/**
 * The barriers register in the exports: each barrier with its links named and its dots in the
 * latest ended vote (JSON, CSV), and the minutes' table followed by the ended votes' results.
 */
import type * as Y from 'yjs'
import { BARRIER_STATUS_LABELS, type Barrier, DEPARTMENT_LABELS, readBarriers } from '../../barriers.ts'
import { formatIsoDate, londonDateTime } from '../../dates.ts'
import { formatMoney } from '../../money.ts'
import { readVotes } from '../../votes.ts'
import { linksCell, md, nameLinks, pounds, type WithNamedLinks } from '../exportKit.ts'
import type { ExportContext, ExportTable, SectionExport } from '../types.ts'
import { votesSection } from '../votes/index.ts'

export type ExportedBarrier = WithNamedLinks<Barrier> & { dots: number | null }

/** `dots` is what each barrier got in the latest ended vote (null: never voted on). */
function read(doc: Y.Doc): ExportedBarrier[] {
  const lastEnded = readVotes(doc).findLast((vote) => vote.status === 'ended')
  const lastResults = lastEnded ? new Map(lastEnded.results.map((r) => [r.barrierId, r.dots])) : null
  return readBarriers(doc).map((barrier) => ({
    ...barrier,
    links: nameLinks(doc, barrier.links),
    dots: lastResults?.get(barrier.id) ?? (lastResults ? 0 : null),
  }))
}

function markdown(barriers: ExportedBarrier[], context: ExportContext): string[] {
  if (barriers.length === 0) return []
  const votes = context.of(votesSection)
  const out = [
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

export const BARRIER_CSV_COLUMNS = [
  'Barrier',
  'Status',
  'Department',
  'Raised by',
  'Champion',
  'Description',
  'Rule',
  'Flexibility sought',
  'Impact (£)',
  'Families affected',
  'Due',
  'Dots (latest vote)',
  'Links',
  'Added by',
  'Added',
] as const

const registerTable: ExportTable<ExportedBarrier[]> = {
  part: 'barriers',
  title: 'Barriers register',
  columns: BARRIER_CSV_COLUMNS,
  rows: (barriers) =>
    barriers.map((b) => [
      b.title,
      BARRIER_STATUS_LABELS[b.status],
      DEPARTMENT_LABELS[b.department],
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
      londonDateTime(b.createdAt),
    ]),
}

export const barriersExport: SectionExport<ExportedBarrier[]> = { read, markdown, tables: [registerTable] }
