/**
 * How long a room keeps the snapshots the server takes by itself (issue #18). A workshop that runs
 * for months would otherwise gather one full copy of its document every time everyone leaves and
 * every half hour of work. What people took (manual snapshots, and the agenda snapshots named after
 * the item that ended) is theirs to delete; the server's own are thinned: every one of the last 24
 * hours, then one per day, the last of each Europe/London day (the day a facilitator in the UK
 * would name it by). Pure, so that the policy is tested apart from any store.
 */
import type { SnapshotKind } from './api.ts'

/** Automatic snapshots younger than this are all kept. */
export const RETAIN_ALL_MS = 24 * 3600_000

/** The kinds the retention thins: the ones the server takes without anyone asking. */
export const THINNED_KINDS: ReadonlySet<SnapshotKind> = new Set<SnapshotKind>(['auto-left', 'auto-interval'])

/** What the policy reads of a snapshot. */
export interface RetainedSnapshot {
  id: string
  kind: SnapshotKind
  /** ms since 1970 */
  createdAt: number
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The Europe/London calendar day `at` falls on, as YYYY-MM-DD (23 or 25 hours long at the clock changes). */
export function londonDay(at: number): string {
  const parts: Record<string, string> = {}
  for (const part of londonDate.formatToParts(at)) parts[part.type] = part.value
  return `${parts.year}-${parts.month}-${parts.day}`
}

/**
 * The ids of the automatic snapshots to delete at `now`: those at least 24 hours old that are not
 * the last automatic snapshot of their London day. A day's last one is found among all of that
 * day's automatic snapshots, young ones included, so a snapshot let go now would be let go at any
 * later run too. Snapshots dated after `now` (another instance's clock ahead of ours) are young.
 * `snapshots` may come in any order; ties at the same millisecond go to the greater id.
 */
export function snapshotsToPrune(snapshots: readonly RetainedSnapshot[], now: number): string[] {
  const thinned = snapshots.filter((s) => THINNED_KINDS.has(s.kind))
  const dayOf = new Map<RetainedSnapshot, string>()
  const lastOfDay = new Map<string, RetainedSnapshot>()
  for (const snapshot of thinned) {
    const day = londonDay(snapshot.createdAt)
    dayOf.set(snapshot, day)
    const last = lastOfDay.get(day)
    if (
      !last ||
      snapshot.createdAt > last.createdAt ||
      (snapshot.createdAt === last.createdAt && snapshot.id > last.id)
    )
      lastOfDay.set(day, snapshot)
  }
  return thinned
    .filter((s) => now - s.createdAt >= RETAIN_ALL_MS && lastOfDay.get(dayOf.get(s)!) !== s)
    .map((s) => s.id)
}
