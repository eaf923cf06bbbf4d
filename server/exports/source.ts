/**
 * What an exported file was made from: the live workshop at a moment, or one stored snapshot. The
 * Word document and the workbook both say which on their first page, since a circulated copy of a
 * snapshot must not pass for the current state.
 */
import { exportFileName } from '../../shared/exportFileName.ts'
import { londonLongTime } from './london.ts'

export type ExportSource =
  | { kind: 'live' /** When the file was made (ms). */; at: number }
  | {
      kind: 'snapshot'
      id: string
      name: string
      /** SHA-256 of the snapshot's stored bytes, as listed and as its ETag. */
      sha256: string
      createdAt: number
    }

/** "Live workshop as at 4 December 2026 at 14:05 (Europe/London)" or "Snapshot “Before lunch”, taken …". */
export function sourceDescription(source: ExportSource): string {
  if (source.kind === 'live') return `Live workshop as at ${londonLongTime(source.at)} (Europe/London)`
  return `Snapshot “${source.name}”, taken ${londonLongTime(source.createdAt)} (Europe/London)`
}

/** When the content is from: now for the live workshop, the snapshot's own time for a snapshot. */
export const sourceTime = (source: ExportSource): number => (source.kind === 'live' ? source.at : source.createdAt)

/**
 * The file's name: `<title>-agreement-<date>.docx`, or for a snapshot
 * `<title>-snapshot <name> agreement-<snapshot's date>.docx`, as every export names a snapshot.
 */
export function sourceFileName(title: string, part: string, source: ExportSource, ext: string): string {
  return exportFileName({
    title,
    part,
    snapshot: source.kind === 'snapshot' ? source.name : null,
    when: new Date(sourceTime(source)),
    ext,
  })
}
