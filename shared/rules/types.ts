/**
 * The vocabulary of the server's write rules: what one update did to the workshop document (as
 * Yjs integrated it, see server/sync/updateEffects.ts), who did it, and why it may be refused.
 */
import type * as Y from 'yjs'
import type { LinkIdentity } from '../linkIdentity.ts'
import type { LockableSection } from '../permissions.ts'

/**
 * One item an update inserted or deleted, placed by the path from its top-level type: the map
 * keys down to it, null for a step into list or text content. `['pot', 'line1', 'amount']` is a
 * pot line's amount; `['protocol', 'c1', 'body', null, null]` text inside a clause's body;
 * `['ledger', null]` an entry of the ledger.
 */
export interface Change {
  root: string
  /** Keys below the root, outermost first; the last is the item's own key (null in a list). */
  path: readonly (string | null)[]
  deleted: boolean
  /** What an inserted item holds: plain JSON values, a nested type, text, or something else. */
  content: 'json' | 'type' | 'text' | 'format' | 'other'
  /** The JSON values an inserted `json` item holds (a list item may hold several); a format's value. */
  values: readonly unknown[]
  /** For a nested type: which kind of Yjs type it is. */
  typeKind?: TypeKind
  /** An XML element's node name, or a text format's key (a mark: bold, link…). */
  name?: string
  /** The kind of Yjs type the item sits in. */
  parentKind: TypeKind
}

export type TypeKind = 'map' | 'array' | 'text' | 'xmlFragment' | 'xmlElement' | 'xmlText' | 'other'

/** Who is writing, as the server knows them: the link's verified identity and the person's user id. */
export interface Writer {
  link: LinkIdentity
  /**
   * The user id this connection speaks for (the member record and everything attributed to
   * them), or null until it is known; see server/sync/writeGuard.ts for how it is bound.
   */
  userId: string | null
  /** The connection proved its user id (it holds the secret behind it, shared/userKey.ts). */
  proven: boolean
}

/** Why a write was refused; the label of `commonpot_writes_denied_total{reason}`. */
export type DeniedCode =
  | 'observer'
  | 'facilitator_only'
  | 'locked'
  | 'agreed'
  | 'not_yours'
  | 'invalid'
  | 'ledger'
  | 'unknown_part'
  | 'forged_client'
  | 'unresolvable'

export interface Refusal {
  code: DeniedCode
  /** For people: shown by the browser as it is. */
  reason: string
}

export interface RuleContext {
  /** The document before the update (read only when needed: the server builds it on demand). */
  readonly before: Y.Doc
  /** The document after it (the live one, which has taken the update). */
  readonly after: Y.Doc
  writer: Writer
  /** Sections locked before the update. */
  locked: ReadonlySet<LockableSection>
  /** Bytes of the update as sent: a bound on any value it holds, so that small updates skip measuring. */
  updateBytes: number
  /** Binds the writer to a user id at its first attributed write; false when it may not be theirs. */
  claimUser(userId: string): boolean
}

export const refuse = (code: DeniedCode, reason: string): Refusal => ({ code, reason })
