import type { RoomConnection } from '../sync/useRoomConnection.ts'

export function ConnectionBadge({ connection }: { connection: RoomConnection | null }) {
  const status = connection?.status ?? 'connecting'
  const unsynced = connection?.unsyncedChanges ?? 0
  const label =
    status === 'live' ? (connection?.synced ? 'Live' : 'Syncing…') : status === 'connecting' ? 'Connecting…' : 'Offline'
  const detail =
    status !== 'live' && connection?.notice
      ? connection.notice
      : unsynced > 0
        ? `${unsynced} change${unsynced === 1 ? '' : 's'} not yet saved`
        : status === 'offline'
          ? connection?.synced === false && connection.loaded
            ? // Opened without reaching the server: what shows is this device's last copy.
              'showing the copy saved on this device'
            : 'reconnecting'
          : null
  return (
    <span className={`connection connection-${status}`} role="status" aria-live="polite" data-status={status}>
      <span className="connection-dot" aria-hidden="true" />
      {label}
      {detail && <span className="connection-detail"> · {detail}</span>}
    </span>
  )
}
