/**
 * Pure helpers for snapshots (issue #8): ids, hashes, the Markdown header line, and when a room
 * is due an automatic snapshot, and what a refused one tells the facilitator. The snapshotter takes
 * them (rooms/snapshotter.ts); the REST endpoints are in http/routes/snapshots.ts.
 */
import { createHash, randomBytes } from 'node:crypto'
import { formatBytes } from '../shared/bytes.ts'

/** 128 random bits, URL-safe without encoding. */
export const newSnapshotId = (): string => randomBytes(16).toString('base64url')

export const SNAPSHOT_ID = /^[A-Za-z0-9_-]{16,64}$/

/** SHA-256 of the bytes, lower-case hex. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Taken when a changed room unloads after its last connection left (kind 'auto-left'). */
export const LEFT_SNAPSHOT_NAME = 'Auto: everyone left'
/** Taken when the facilitator marks the protocol agreed; its signed receipt names it (kind 'manual', kept). */
export const PROTOCOL_AGREED_SNAPSHOT_NAME = 'Protocol agreed as a whole'
/** Taken on an ordered shutdown for rooms changed since their last snapshot (kind 'auto-left'). */
export const SHUTDOWN_SNAPSHOT_NAME = 'Auto: server stopped'

/** "Auto: 30 minutes of work" for the default interval, "Auto: 2 minutes of work" and so on for others. */
export function intervalSnapshotName(intervalMs: number): string {
  const minutes = intervalMs / 60_000
  if (minutes >= 1 && Number.isInteger(minutes)) return `Auto: ${minutes} minute${minutes === 1 ? '' : 's'} of work`
  const seconds = Math.max(1, Math.round(intervalMs / 1000))
  return `Auto: ${seconds} second${seconds === 1 ? '' : 's'} of work`
}

/** A room's change history since its last snapshot (ms since 1970; null: none). */
export interface SnapshotClock {
  /** The first change since the last snapshot (or since the room loaded); null when unchanged. */
  firstChangeAt: number | null
  /** The latest change; null when unchanged since the last snapshot. */
  lastChangeAt: number | null
  /** The room's newest snapshot of any kind. */
  lastSnapshotAt: number | null
}

/**
 * Whether a room is due an interval snapshot: it has changed since its last snapshot, it changed
 * within the last interval (someone is working in it), the changes started at least one interval
 * ago, and it has no snapshot newer than one interval.
 */
export function intervalSnapshotDue(clock: SnapshotClock, now: number, intervalMs: number): boolean {
  if (clock.firstChangeAt === null || clock.lastChangeAt === null) return false
  if (now - clock.lastChangeAt > intervalMs) return false
  if (now - clock.firstChangeAt < intervalMs) return false
  return clock.lastSnapshotAt === null || now - clock.lastSnapshotAt >= intervalMs
}

/** How often the registry checks for due interval snapshots: a quarter interval, 25 ms to 1 min. */
export const intervalCheckMs = (intervalMs: number): number =>
  Math.min(60_000, Math.max(25, Math.floor(intervalMs / 4)))

/** The first line of a snapshot's Markdown export: its name, UTC date and SHA-256. */
export function snapshotMarkdownHeader(meta: { name: string; createdAt: number; sha256: string }): string {
  const when = new Date(meta.createdAt).toISOString().replace('T', ' ').slice(0, 16)
  const name = meta.name.replace(/[\r\n]+/g, ' ')
  return `> Snapshot “${name}”, taken ${when} UTC, SHA-256 ${meta.sha256}`
}

/**
 * Why a facilitator's snapshot (or the one a restore takes first) was not taken: over the room's
 * quota (507). Only a facilitator can ask for either, so it speaks to them.
 */
export function overQuotaMessage(usedBytes: number, neededBytes: number, quotaBytes: number): string {
  return (
    `This workshop’s snapshots already use ${formatBytes(usedBytes)} of the ${formatBytes(quotaBytes)} it may keep, ` +
    `and this snapshot needs ${formatBytes(neededBytes)} more. As the facilitator, you can delete old ` +
    'snapshots in the Snapshots tab to make room.'
  )
}

/** Why no snapshot can be taken of the document at all: bigger than MAX_DOCUMENT_BYTES (413). */
export function tooLargeMessage(documentBytes: number, maxDocumentBytes: number): string {
  return (
    `The workshop is ${formatBytes(documentBytes)}, more than the ${formatBytes(maxDocumentBytes)} a snapshot may hold, ` +
    'so no snapshot was taken. Download an export of the workshop instead.'
  )
}
