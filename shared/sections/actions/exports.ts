/**
 * The actions and decisions in the exports: each with its links named (JSON, CSV), and the
 * minutes' action table and list of decisions.
 */
import type * as Y from 'yjs'
import { ACTION_STATUS_LABELS, type ActionItem, readActionItems } from '../../actions.ts'
import { formatIsoDate, londonDateTime } from '../../dates.ts'
import { linksCell, linksText, md, nameLinks, type WithNamedLinks } from '../exportKit.ts'
import type { ExportTable, SectionExport } from '../types.ts'

export type ExportedActionItem = WithNamedLinks<ActionItem>

const read = (doc: Y.Doc): ExportedActionItem[] =>
  readActionItems(doc).map((item) => ({ ...item, links: nameLinks(doc, item.links) }) as ExportedActionItem)

function markdown(actions: ExportedActionItem[]): string[] {
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
  // Each list starts with a blank line; the minutes put one before every section already.
  return out.slice(1)
}

export const ACTION_CSV_COLUMNS = [
  'Type',
  'What',
  'Status',
  'Owner (organisation)',
  'Owner (person)',
  'Due',
  'Agreed by',
  'Links',
  'Added by',
  'Added',
] as const

const logTable: ExportTable<ExportedActionItem[]> = {
  part: 'actions',
  title: 'Actions and decisions',
  columns: ACTION_CSV_COLUMNS,
  rows: (items) =>
    items.map((item) =>
      item.kind === 'action'
        ? [
            'Action',
            item.what,
            ACTION_STATUS_LABELS[item.status],
            item.ownerOrganisation,
            item.ownerPerson,
            item.dueDate,
            '',
            linksCell(item.links),
            item.createdBy.name,
            londonDateTime(item.createdAt),
          ]
        : [
            'Decision',
            item.what,
            '',
            '',
            '',
            '',
            item.agreedBy.join('; '),
            linksCell(item.links),
            item.createdBy.name,
            londonDateTime(item.createdAt),
          ],
    ),
}

export const actionsExport: SectionExport<ExportedActionItem[]> = { read, markdown, tables: [logTable] }
