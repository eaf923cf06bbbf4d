/**
 * The facilitator marking the whole protocol agreed: possible once every clause is agreed (and
 * there is at least one), withdrawn by the facilitator or by reopening a clause. While it stands
 * no clause can stop being agreed and none can be added: the server refuses any update that would
 * leave the mark over a protocol that is not wholly agreed (shared/sections/protocol/rules.ts,
 * shared/rules/sectionRules.ts). Marking it is recorded in the ledger and signed in a receipt
 * (shared/receipts.ts) listing every clause's wording.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import { actorSchema, type Actor } from './ledger.ts'
import { type Clause, PROTOCOL_AGREED_KEY, readClauses } from './protocol.ts'
import { getSettingsMap } from './schema.ts'

export { PROTOCOL_AGREED_KEY }

export const protocolAgreedSchema = z.object({ by: actorSchema, at: z.number() })
export type ProtocolAgreed = z.infer<typeof protocolAgreedSchema>

/** Who marked the protocol agreed, and when; null when it is not marked. */
export function readProtocolAgreed(doc: Y.Doc): ProtocolAgreed | null {
  const parsed = protocolAgreedSchema.safeParse(getSettingsMap(doc).get(PROTOCOL_AGREED_KEY))
  return parsed.success ? parsed.data : null
}

/** Why the protocol cannot be marked agreed yet, or null when it can. */
export function protocolAgreementBlocker(clauses: readonly Pick<Clause, 'status'>[]): string | null {
  if (clauses.length === 0) return 'The protocol has no clauses yet.'
  const open = clauses.filter((c) => c.status !== 'agreed').length
  if (open > 0)
    return `${open} of ${clauses.length} clause${clauses.length === 1 ? ' is' : 's are'} not agreed yet: every clause must be agreed first.`
  return null
}

/** The facilitator marks the whole protocol agreed (every clause must be agreed). */
export function markProtocolAgreed(doc: Y.Doc, actor: Actor, now: number): void {
  const blocker = protocolAgreementBlocker(readClauses(doc))
  if (blocker) throw new Error(blocker)
  getSettingsMap(doc).set(PROTOCOL_AGREED_KEY, { by: actor, at: now } satisfies ProtocolAgreed)
}

/** The facilitator withdraws the mark (clauses stay agreed). */
export function withdrawProtocolAgreed(doc: Y.Doc): void {
  getSettingsMap(doc).delete(PROTOCOL_AGREED_KEY)
}
