/**
 * Observers attend too: the minutes and the printed record list who was there, and an observer
 * (a Treasury official watching, say) cannot write their own member record, since observers write
 * nothing. The server writes it for them, once per connection, from what their browser publishes
 * in awareness, and only for the person the connection proved it speaks for (its device key), so
 * a connection cannot put someone else on the list or change their record.
 */
import type { Awareness } from 'y-protocols/awareness'
import { presenceUserSchema } from '../../shared/presence.ts'
import type { Member } from '../../shared/schema.ts'
import type { Peer } from '../sync/peer.ts'

export type Attendance = { userId: string; who: Omit<Member, 'firstSeen' | 'lastSeen'> }

/** What to record of an observer's connection, once its presence names them; null otherwise. */
export function observerAttendance(peer: Peer, awareness: Awareness): Attendance | null {
  const userId = peer.provenUserId
  if (peer.role !== 'observer' || !userId) return null
  for (const clientId of peer.controlledClients) {
    const state = awareness.getStates().get(clientId) as { user?: unknown } | undefined
    const user = presenceUserSchema.safeParse(state?.user)
    if (!user.success || user.data.id !== userId) continue
    return {
      userId,
      who: {
        name: user.data.name,
        organisation: peer.link.organisation ?? user.data.organisation,
        role: 'observer',
        keyed: true,
      },
    }
  }
  return null
}
