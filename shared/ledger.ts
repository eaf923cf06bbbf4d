/**
 * The ledger: an append-only record of negotiated changes (who, organisation, when, what, from,
 * to). Entries are plain JSON in a Y.Array, so concurrent appends both survive; peers are not
 * trusted, so entries are parsed on read and anything malformed is left out.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import { getLedgerArray } from './schema.ts'

/** Who made a change, as recorded with it. */
export const actorSchema = z.object({
  userId: z.string().max(64),
  name: z.string().max(80),
  organisation: z.string().max(120),
})
export type Actor = z.infer<typeof actorSchema>

const valueSchema = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])

export const ledgerEntrySchema = z.object({
  id: z.string().max(64),
  at: z.number(),
  by: actorSchema,
  /** Which part of the workshop: 'pot' for contribution lines and the target, 'protocol' for clauses. */
  area: z.enum(['pot', 'protocol']),
  /** The line (or other item) changed; '' for the area as a whole. */
  subject: z.string().max(64),
  /** What the subject was called at the time (e.g. "DWP · Work Programme"), kept for history after a delete. */
  label: z.string().max(300),
  action: z.enum(['created', 'changed', 'deleted', 'restored', 'reopened']),
  field: z.string().max(160).nullable(),
  from: valueSchema,
  to: valueSchema,
})
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>

export function appendLedger(doc: Y.Doc, entries: readonly LedgerEntry[]): void {
  if (entries.length > 0) getLedgerArray<LedgerEntry>(doc).push([...entries])
}

export function readLedger(doc: Y.Doc): LedgerEntry[] {
  const entries: LedgerEntry[] = []
  for (const raw of getLedgerArray<unknown>(doc).toArray()) {
    const parsed = ledgerEntrySchema.safeParse(raw)
    if (parsed.success) entries.push(parsed.data)
  }
  return entries
}
