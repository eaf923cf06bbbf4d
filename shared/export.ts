/**
 * Exports of a workshop's state: JSON (the whole picture, for other tools) and Markdown (for
 * minutes); CSV tables are written from the same data by shared/exportCsv.ts. Each negotiated
 * section writes its own part (shared/sections/<name>/exports.ts); this module puts them together
 * in the registry's order. Pure: the server and the client both use it.
 */
import type * as Y from 'yjs'
import { readAgenda } from './agenda.ts'
import { readLedger, type LedgerEntry } from './ledger.ts'
import { readTargetPot } from './pot.ts'
import { type Receipt, readReceipts } from './receipts.ts'
import { receiptsMarkdown } from './receiptsExport.ts'
import { getMembersMap, readMeta, type Member, type WorkshopMeta } from './schema.ts'
import { md } from './sections/exportKit.ts'
import { sections, type SectionExports } from './sections/registry.ts'
import type { ExportContext } from './sections/types.ts'

export type { ExportedActionItem } from './sections/actions/exports.ts'
export type { ExportedBarrier } from './sections/barriers/exports.ts'
export type { NamedLink } from './sections/exportKit.ts'

/** The agenda as it stood: its items in order with their timeboxes, and the item the room was on. */
export interface ExportedAgenda {
  items: { id: string; title: string; minutes: number }[]
  /** The item the room was on; null before the first or after the last. */
  currentId: string | null
  totalMinutes: number
}

/**
 * The version of the JSON export's shape (docs/document.md, "The JSON export"). It goes up when a
 * field is removed, renamed or changes meaning, so a tool reading exports can tell which shape it
 * has; added fields keep it. Exports from before it was written have none: read them as 1.
 */
export const EXPORT_SCHEMA_VERSION = 1

export type WorkshopExport = {
  schemaVersion: typeof EXPORT_SCHEMA_VERSION
  meta: WorkshopMeta & { targetPot: number | null }
  members: (Member & { userId: string })[]
  agenda: ExportedAgenda
  ledger: LedgerEntry[]
  /** Signed sign-off receipts (shared/receipts.ts), oldest first. */
  receipts: Receipt[]
} & SectionExports

export function buildExport(doc: Y.Doc): WorkshopExport {
  const members: WorkshopExport['members'] = []
  getMembersMap(doc).forEach((member, userId) => members.push({ userId, ...member }))
  const parts = Object.fromEntries(sections().map((section) => [section.key, section.export.read(doc)]))
  const agenda = readAgenda(doc)
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    meta: { ...readMeta(doc), targetPot: readTargetPot(doc) },
    members,
    agenda: {
      items: agenda.items.map(({ id, title, minutes }) => ({ id, title, minutes })),
      currentId: agenda.currentId,
      totalMinutes: agenda.totalMinutes,
    },
    ...(parts as SectionExports),
    ledger: readLedger(doc),
    receipts: readReceipts(doc),
  }
}

/** What a section's writers read of the rest of the export. */
export function exportContext(data: WorkshopExport): ExportContext {
  return {
    meta: data.meta,
    of: <D>(section: { key: string }) => (data as unknown as Record<string, D>)[section.key] as D,
  }
}

export function exportToMarkdown(data: WorkshopExport): string {
  const out: string[] = [`# ${md(data.meta.title || 'Workshop')}`]
  const context = exportContext(data)
  for (const section of sections()) {
    const lines = section.export.markdown?.(context.of<unknown>(section), context) ?? []
    if (lines.length > 0) out.push('', ...lines)
  }
  const receipts = receiptsMarkdown(data.receipts ?? [])
  if (receipts.length > 0) out.push('', ...receipts)
  return `${out.join('\n')}\n`
}
