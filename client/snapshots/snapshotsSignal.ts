/**
 * Keeping everyone's snapshot list current. The list is REST, not part of the document, so a
 * snapshot taken, restored or deleted by one person would show elsewhere only when the others next
 * opened the tab. Whoever changes the list now counts up `snapshots` in their presence
 * (awareness, which the server relays to everyone in the room, on every instance); each open list
 * reloads when it sees another person's count change. Snapshots the server takes by itself are
 * caught by a slow reload while the page is visible.
 */
import { useEffect } from 'react'
import type { Awareness } from 'y-protocols/awareness'

const FIELD = 'snapshots'

/** How often an open list reloads by itself, for the server's own snapshots. */
export const SNAPSHOT_LIST_POLL_MS = 30_000

/** Tells the others' lists to reload: call after this person took, restored or deleted a snapshot. */
export function announceSnapshotsChanged(awareness: Awareness): void {
  const current = awareness.getLocalState()?.[FIELD]
  awareness.setLocalStateField(FIELD, (typeof current === 'number' ? current : 0) + 1)
}

/**
 * Calls `reload` when another person announces a change, every SNAPSHOT_LIST_POLL_MS while the page
 * is visible, and when it becomes visible again. Others' presence is untrusted: only a number
 * that differs from the last one seen for that connection counts.
 */
export function useSnapshotListUpdates(awareness: Awareness, reload: () => void): void {
  useEffect(() => {
    const seen = new Map<number, number>()
    const read = (clientId: number): number | undefined => {
      const value = (awareness.getStates().get(clientId) as Record<string, unknown> | undefined)?.[FIELD]
      return typeof value === 'number' ? value : undefined
    }
    for (const clientId of awareness.getStates().keys()) {
      const value = read(clientId)
      if (value !== undefined) seen.set(clientId, value)
    }
    const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => {
      let changed = false
      for (const clientId of [...added, ...updated]) {
        if (clientId === awareness.clientID) continue
        const value = read(clientId)
        if (value === undefined || seen.get(clientId) === value) continue
        seen.set(clientId, value)
        changed = true
      }
      if (changed) reload()
    }
    awareness.on('change', onChange)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload()
    }, SNAPSHOT_LIST_POLL_MS)
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload()
    }
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      awareness.off('change', onChange)
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [awareness, reload])
}
