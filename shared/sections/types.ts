/**
 * A negotiated section of the workshop (the pot, the protocol, the barriers, actions and
 * decisions, votes), declared once: its place in the document, whether the facilitator can lock
 * it, the rule the server enforces on each of its entries, and what the ledger records of it.
 * Cross-cutting code (enforcement, the ledger) loops over the registry (registry.ts).
 */
import type * as Y from 'yjs'
import type { LedgerArea } from '../ledger.ts'
import type { LockableSection } from '../permissions.ts'
import type { EntryRule } from '../rules/ruleKit.ts'
import type { Recorder } from '../rules/ledgerRecorder.ts'
import type { Change } from '../rules/types.ts'

/** Adds to `r` what the ledger records of one entry (`id`) an accepted update touched. */
export type SectionLedger = (r: Recorder, before: Y.Doc, after: Y.Doc, id: string, changes: readonly Change[]) => void

export interface SectionDefinition {
  /** The top-level map of the document that holds the section's entries (shared/schema.ts DOC_KEYS). */
  key: string
  /** The ledger's area for the section's entries. */
  area: LedgerArea
  /** The lock that freezes the section for participants, if it can be locked. */
  lockable: LockableSection | null
  /** The server's rule for an update's changes under one entry. */
  rule: EntryRule
  /** What the ledger records of a changed entry; none when the section's changes are not recorded. */
  ledger: SectionLedger | null
}
