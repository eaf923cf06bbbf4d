/**
 * Raised hands. Kept in the document (not awareness) so that a hand survives a dropped
 * connection and the facilitator can lower anyone's; shown in the order they were raised.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import type { Actor } from './ledger.ts'
import { getHandsMap } from './schema.ts'

const handSchema = z.object({ name: z.string().max(80), organisation: z.string().max(120), at: z.number() })
export interface RaisedHand extends z.infer<typeof handSchema> {
  userId: string
}

export function readHands(doc: Y.Doc): RaisedHand[] {
  const hands: RaisedHand[] = []
  getHandsMap(doc).forEach((value, userId) => {
    const parsed = handSchema.safeParse(value)
    if (parsed.success) hands.push({ userId, ...parsed.data })
  })
  return hands.sort((a, b) => a.at - b.at || a.userId.localeCompare(b.userId))
}

export function raiseHand(doc: Y.Doc, actor: Actor, now: number): void {
  if (getHandsMap(doc).has(actor.userId)) return
  getHandsMap(doc).set(actor.userId, { name: actor.name, organisation: actor.organisation, at: now })
}

export function lowerHand(doc: Y.Doc, userId: string): void {
  getHandsMap(doc).delete(userId)
}
