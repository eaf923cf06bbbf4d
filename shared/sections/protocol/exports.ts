/**
 * The protocol in the exports: each clause with its text, every organisation's position and the
 * comments (JSON and minutes), and one CSV row per stated position.
 */
import type * as Y from 'yjs'
import {
  CLAUSE_STATUS_LABELS,
  type ClauseStatus,
  checkAgreement,
  clauseBody,
  POSITION_BASIS_LABELS,
  POSITION_LABELS,
  participatingOrganisations,
  positionBasisText,
  readClauses,
  type StatedPosition,
} from '../../protocol.ts'
import { type ClauseComment, readComments } from '../../protocolComments.ts'
import { londonDateTime } from '../../dates.ts'
import { clauseBodyToMarkdown } from '../../protocolText.ts'
import { type RichBlock, readRichText } from '../../richText.ts'
import { md } from '../exportKit.ts'
import type { ExportTable, SectionExport } from '../types.ts'

export interface ExportedClause {
  id: string
  title: string
  status: ClauseStatus
  /** The clause body as Markdown (what receipts hash, and what the Markdown export shows). */
  text: string
  /** The clause body's structure, for every rendering that shows formatting (print, Word). */
  body: RichBlock[]
  positions: Record<string, StatedPosition>
  passes: boolean
  comments: ClauseComment[]
}

export interface ProtocolExport {
  organisations: string[]
  /**
   * Each position with its `basis` ('link', 'on-behalf' or 'self-declared'); `passes` counts only
   * positions stated through the organisation's link or on its behalf.
   */
  clauses: ExportedClause[]
}

function read(doc: Y.Doc): ProtocolExport {
  const organisations = participatingOrganisations(doc)
  return {
    organisations,
    clauses: readClauses(doc).map((clause) => {
      const body = clauseBody(doc, clause.id)
      return {
        id: clause.id,
        title: clause.title,
        status: clause.status,
        text: body ? clauseBodyToMarkdown(body) : '',
        body: body ? readRichText(body) : [],
        positions: Object.fromEntries(clause.positions),
        passes: checkAgreement(clause, organisations).passes,
        comments: readComments(doc, clause.id),
      }
    }),
  }
}

function markdown({ clauses }: ProtocolExport): string[] {
  if (clauses.length === 0) return []
  const agreed = clauses.filter((c) => c.status === 'agreed').length
  const out = ['## Protocol', '', `${agreed} of ${clauses.length} clauses agreed.`]
  clauses.forEach((clause, i) => {
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
  return out
}

/**
 * One row per stated position: "How stated" says whether it counts toward agreement ("by link",
 * "on behalf") or not ("self-declared"); "Stated by" is the person, with their own organisation.
 */
export const PROTOCOL_CSV_COLUMNS = [
  'Clause no.',
  'Clause',
  'Clause status',
  'Organisation',
  'Position',
  'How stated',
  'Reason',
  'Stated by',
  'Stated by (organisation)',
  'Stated',
] as const

const positionsTable: ExportTable<ProtocolExport> = {
  part: 'protocol',
  title: 'Protocol positions',
  columns: PROTOCOL_CSV_COLUMNS,
  rows: ({ clauses }) =>
    clauses.flatMap((clause, i) =>
      Object.entries(clause.positions).map(([organisation, p]) => [
        i + 1,
        clause.title,
        CLAUSE_STATUS_LABELS[clause.status],
        organisation,
        POSITION_LABELS[p.position],
        POSITION_BASIS_LABELS[p.basis],
        p.reason,
        p.by.name,
        p.by.organisation,
        londonDateTime(p.at),
      ]),
    ),
}

export const protocolExport: SectionExport<ProtocolExport> = { read, markdown, tables: [positionsTable] }
