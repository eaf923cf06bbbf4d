/** The workshop context of the live shell: the connection's document, this person, their rights and exports. */
import { useMemo } from 'react'
import type { Actor } from '../../shared/ledger.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import { mayWrite, type LockableSection } from '../../shared/permissions.ts'
import { lockableSections } from '../../shared/sections/registry.ts'
import type { PresenceUser } from '../../shared/presence.ts'
import { canEdit, type Role } from '../../shared/roles.ts'
import type { Lock } from '../../shared/workshopSettings.ts'
import type { RoomConnection } from '../sync/useRoomConnection.ts'
import { downloadFile } from '../ui/downloadFile.ts'
import {
  exportPath,
  fallbackFileName,
  type Workshop,
  type WorkshopExports,
  type WorkshopPermissions,
} from './WorkshopContext.tsx'

interface Options {
  roomId: string
  token: string
  connection: RoomConnection | null
  user: PresenceUser
  actor: Actor
  link: LinkIdentity
  locks: ReadonlyMap<LockableSection, Lock>
}

/** The same rule the server enforces (shared/permissions.ts): a locked section is the facilitator's alone. */
export function livePermissions(role: Role, locked: ReadonlySet<LockableSection>): WorkshopPermissions {
  return {
    role,
    isFacilitator: role === 'facilitator',
    canEdit: canEdit(role),
    canEditSection: (section) => mayWrite(role, section, null, locked).ok,
  }
}

export function liveExports(roomId: string, token: string, download = downloadFile): WorkshopExports {
  return {
    download: (format, part) =>
      download({
        url: exportPath(`/api/rooms/${roomId}/export`, format, part),
        token,
        fallbackName: fallbackFileName(format, part),
      }),
    snapshot: false,
  }
}

/** Null until the connection exists; a new value only when what it holds changes. */
export function useLiveWorkshop({ roomId, token, connection, user, actor, link, locks }: Options): Workshop | null {
  // The settings are re-read (a new Map) whenever hands or the agenda change: the permissions
  // change only with which sections are locked, so every view does not re-render with each hand.
  const locked = lockableSections()
    .map((section) => section.key)
    .filter((key) => locks.has(key))
  const lockedKey = locked.join(' ')
  // biome-ignore lint/correctness/useExhaustiveDependencies: the locked sections are compared by their names (`lockedKey`): the settings Map is new whenever hands or the agenda change
  const permissions = useMemo(() => livePermissions(user.role, new Set(locked)), [user.role, lockedKey])
  const exports = useMemo(() => liveExports(roomId, token), [roomId, token])
  const doc = connection?.doc
  const awareness = connection?.awareness
  return useMemo(
    () => (doc && awareness ? { doc, awareness, actor, user, link, permissions, exports } : null),
    [doc, awareness, actor, user, link, permissions, exports],
  )
}
