import type { SnapshotMeta, SnapshotUsage } from '../../shared/api.ts'
import { formatBytes } from '../../shared/bytes.ts'

// London time whatever the viewer's machine says: the workshop's record, and the days the
// retention keeps one automatic snapshot for, are London's.
const format = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

export const snapshotDate = (at: number): string => format.format(at)

/** Who took a snapshot: a person, or the server for automatic ones. */
export function snapshotAuthor(snapshot: Pick<SnapshotMeta, 'author'>): string {
  const author = snapshot.author
  if (typeof author === 'string') return author === 'server' ? 'Automatic' : author
  return author.organisation ? `${author.name} (${author.organisation})` : author.name
}

/** "12.4 MB of 200 MB used". */
export const usageText = (usage: SnapshotUsage): string =>
  `${formatBytes(usage.bytes)} of ${formatBytes(usage.quotaBytes)} used`

/** From this share of the quota on, the panel tells the facilitator to make room. */
export const NEARLY_FULL = 0.9
