/**
 * Who may write which part of the workshop document, by role and lock. The server's rules
 * (shared/rules/sectionRules.ts, enforced on every update by server/sync/writeGuard.ts) start
 * from these, and the client uses the same function to show read-only views, so the interface
 * never offers what the server would refuse.
 *
 * - Observers write nothing.
 * - Facilitator settings (`settings`: organisations, locks, agenda, timer, summon) and the
 *   workshop's title and target in `meta` are the facilitator's alone.
 * - A locked section is read-only for everyone but the facilitator.
 */
import type { Role } from './roles.ts'
import { DOC_KEYS } from './schema.ts'
// Used in functions only: the sections' rules import this module in turn.
import { isLockable, sectionOfKey } from './sections/registry.ts'

/**
 * The key of a section the facilitator can lock (shared/sections/registry.ts `lockableSections`).
 * A lock covers the section's own entries only: votes stay open while the barriers register is
 * locked, since dots are not edits of the barriers.
 */
export type LockableSection = string

/** "The pot": a section's noun at the start of a sentence. */
export const sectionNoun = (key: LockableSection): string => {
  const noun = sectionOfKey(key)?.noun ?? key
  return noun.charAt(0).toUpperCase() + noun.slice(1)
}

/** `meta` keys any editor may write: the board records the canvas schema it writes with. */
const OPEN_META_KEYS: ReadonlySet<string> = new Set(['canvasSchema'])

export type WriteVerdict = { ok: true } | { ok: false; reason: string }

/**
 * Whether `role` may change the entry `key` (null: not a map entry, e.g. list content) of the
 * top-level type `root`, with `locked` the sections locked now.
 */
export function mayWrite(
  role: Role,
  root: string,
  key: string | null,
  locked: ReadonlySet<LockableSection>,
): WriteVerdict {
  if (role === 'observer') return { ok: false, reason: 'Observers can look but not change anything.' }
  if (role === 'facilitator') return { ok: true }
  if (root === DOC_KEYS.settings) return { ok: false, reason: 'Only the facilitator can change the workshop settings.' }
  if (root === DOC_KEYS.meta && (key === null || !OPEN_META_KEYS.has(key)))
    return { ok: false, reason: 'Only the facilitator can change the workshop settings.' }
  if (locked.has(root) && isLockable(root))
    return { ok: false, reason: `${sectionNoun(root)} is locked by the facilitator.` }
  return { ok: true }
}
