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

export const LOCKABLE_SECTIONS = ['pot', 'protocol', 'barriers'] as const
export type LockableSection = (typeof LOCKABLE_SECTIONS)[number]
export const SECTION_LABELS: Record<LockableSection, string> = {
  pot: 'Pot',
  protocol: 'Protocol',
  barriers: 'Barriers',
}

/** The top-level document keys each lockable section covers. */
export const SECTION_KEYS: Record<LockableSection, readonly string[]> = {
  pot: [DOC_KEYS.pot],
  protocol: [DOC_KEYS.protocol],
  // Votes stay open while the register is locked: dots are not edits of the barriers.
  barriers: [DOC_KEYS.barriers],
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
  for (const section of locked) {
    if (SECTION_KEYS[section].includes(root))
      return { ok: false, reason: `The ${SECTION_LABELS[section].toLowerCase()} is locked by the facilitator.` }
  }
  return { ok: true }
}
