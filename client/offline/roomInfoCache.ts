/**
 * The last answer of GET /api/rooms/:roomId this device had, so that a reload without a network
 * can still open the workshop from its cached document. Invite links are left out: they are
 * secrets of the facilitator's, and no use to anyone while offline.
 */
import { roomInfoSchema, type RoomInfo } from '../../shared/api.ts'
import type { CounterStorage } from '../sync/unsyncedCounter.ts'

export const roomInfoKey = (roomId: string): string => `commonpot.roomInfo.${roomId}`

export function saveRoomInfo(storage: CounterStorage, info: RoomInfo): void {
  const { links: _links, ...kept } = info
  try {
    storage.setItem(roomInfoKey(info.roomId), JSON.stringify(kept))
  } catch {
    // private browsing or a full quota: an offline reload then says the server cannot be reached
  }
}

/** The saved answer for `roomId`, or null when there is none or it is not one (storage is input too). */
export function loadRoomInfo(storage: CounterStorage, roomId: string): RoomInfo | null {
  try {
    const raw = storage.getItem(roomInfoKey(roomId))
    if (raw === null) return null
    const parsed = roomInfoSchema.safeParse(JSON.parse(raw))
    if (!parsed.success || parsed.data.roomId !== roomId) return null
    const { links: _links, ...info } = parsed.data
    return info
  } catch {
    return null
  }
}

export function forgetRoomInfo(storage: CounterStorage, roomId: string): void {
  try {
    storage.removeItem(roomInfoKey(roomId))
  } catch {
    // nothing to forget
  }
}
