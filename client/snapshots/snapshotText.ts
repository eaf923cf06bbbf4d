import type { SnapshotMeta } from '../../shared/api.ts'

const format = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

export const snapshotDate = (at: number): string => format.format(at)

/** Who took a snapshot: a person, or the server for automatic ones. */
export function snapshotAuthor(snapshot: Pick<SnapshotMeta, 'author'>): string {
  const author = snapshot.author
  if (typeof author === 'string') return author === 'server' ? 'Automatic' : author
  return author.organisation ? `${author.name} (${author.organisation})` : author.name
}
