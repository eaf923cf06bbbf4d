/**
 * The ledger: an append-only record of negotiated changes (who, organisation, when, what, from,
 * to). Entries are plain JSON in a Y.Array, so concurrent appends both survive; peers are not
 * trusted, so entries are parsed on read and anything malformed is left out.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import { newId } from './ids.ts'
import { ROLE_LABELS, roleSchema } from './roles.ts'
import { chainEntry, chainHead, GENESIS } from './ledgerChain.ts'
import { getLedgerArray } from './schema.ts'

/** Who made a change, as recorded with it. */
export const actorSchema = z.object({
  userId: z.string().max(64),
  name: z.string().max(80),
  organisation: z.string().max(120),
})
export type Actor = z.infer<typeof actorSchema>

/**
 * A section's key (shared/sections/registry.ts), or 'workshop' for the facilitator's settings and
 * restores. Only the server writes entries; a reader shows an area it does not know by its name.
 */
export type LedgerArea = string

/** The invite link a change came through, as the server verified it (entries the server writes). */
export const ledgerLinkSchema = z.object({
  role: roleSchema,
  organisation: z.string().max(120).nullable(),
  name: z.string().max(80).nullable(),
  linkId: z.string().max(64).nullable(),
})
export type LedgerLink = z.infer<typeof ledgerLinkSchema>

const valueSchema = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])

export const ledgerEntrySchema = z.object({
  id: z.string().max(64),
  at: z.number(),
  by: actorSchema,
  /**
   * Which part of the workshop: a section's key ('pot' for contribution lines and the target,
   * 'protocol' for clauses, 'barriers' for asks, 'votes' for dot votes…), or 'workshop' for the
   * facilitator's settings (locks, title, organisations taking part) and restores.
   */
  area: z.string().regex(/^[a-z][a-z-]{0,39}$/),
  /** The line (or other item) changed; '' for the area as a whole. */
  subject: z.string().max(64),
  /** What the subject was called at the time (e.g. "DWP · Work Programme"), kept for history after a delete. */
  label: z.string().max(300),
  action: z.enum(['created', 'changed', 'deleted', 'restored', 'reopened', 'started', 'ended']),
  field: z.string().max(160).nullable(),
  from: valueSchema,
  to: valueSchema,
  /** Set on every entry the server writes: who the change came from, by their link. */
  link: ledgerLinkSchema.optional(),
  /** The hash chain (shared/ledgerChain.ts): the previous entry's hash, and this entry's. Absent on entries from before it. */
  prev: z.string().max(64).optional(),
  hash: z.string().max(64).optional(),
})
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>

/**
 * Who made a recorded change, as people read it: the name they gave (or their link's role when
 * they gave none) and their organisation, when known.
 */
export function ledgerAuthor(entry: Pick<LedgerEntry, 'by' | 'link'>): { name: string; organisation: string | null } {
  const name =
    entry.by.name.trim() || entry.link?.name?.trim() || (entry.link ? ROLE_LABELS[entry.link.role] : 'Someone')
  const organisation = entry.by.organisation.trim() || entry.link?.organisation?.trim() || null
  return { name, organisation }
}

/** Appends `entries`, each chained to the one before it (shared/ledgerChain.ts); answers them as appended. */
export function appendLedger(doc: Y.Doc, entries: readonly LedgerEntry[]): LedgerEntry[] {
  if (entries.length === 0) return []
  const ledger = getLedgerArray<LedgerEntry>(doc)
  const last = ledger.length > 0 ? ledger.get(ledger.length - 1) : null
  let head = last ? chainHead([last]) : GENESIS
  // An unreadable last entry (written by a peer before the server owned the ledger): chain from the last good one.
  if (last && head === GENESIS) head = chainHead(ledger.toArray())
  const chained = entries.map((entry) => {
    const linked = chainEntry(entry as unknown as Record<string, unknown>, head) as unknown as LedgerEntry
    head = linked.hash!
    return linked
  })
  ledger.push(chained)
  return chained
}

/** The ledger's entries that read as entries (one read; a view that reads again on every change keeps a ledgerReader). */
export function readLedger(doc: Y.Doc): LedgerEntry[] {
  return ledgerReader()(doc)
}

/**
 * readLedger for a view that reads the ledger again on every change (the pot's history, live): each
 * stored entry is checked against the schema once, not on every read. Yjs hands back the same
 * stored object for an entry on every read, so that object keys the result; the entries returned
 * keep their identity from one read to the next, and memoised rows of them do not re-render.
 */
export function ledgerReader(): (doc: Y.Doc) => LedgerEntry[] {
  const parsed = new WeakMap<object, LedgerEntry | null>()
  return (doc) => {
    const entries: LedgerEntry[] = []
    for (const raw of getLedgerArray<unknown>(doc).toArray()) {
      // Anything but an object fails the schema anyway.
      if (typeof raw !== 'object' || raw === null) continue
      let entry = parsed.get(raw)
      if (entry === undefined) {
        const result = ledgerEntrySchema.safeParse(raw)
        entry = result.success ? result.data : null
        parsed.set(raw, entry)
      }
      if (entry) entries.push(entry)
    }
    return entries
  }
}

/** A ledger entry for `area`, with a fresh id; the label is cut to what the ledger keeps. */
export function ledgerEntry(
  area: LedgerArea,
  actor: Actor,
  now: number,
  subject: string,
  label: string,
  action: LedgerEntry['action'],
  field: string | null,
  from: LedgerEntry['from'],
  to: LedgerEntry['to'],
): LedgerEntry {
  return { id: newId(8), at: now, by: actor, area, subject, label: label.slice(0, 300), action, field, from, to }
}
