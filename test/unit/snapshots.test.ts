import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  intervalCheckMs,
  intervalSnapshotDue,
  intervalSnapshotName,
  newSnapshotId,
  overQuotaMessage,
  sha256Hex,
  SNAPSHOT_ID,
  snapshotMarkdownHeader,
  tooLargeMessage,
} from '../../server/snapshots.ts'
import { formatBytes } from '../../shared/bytes.ts'
import { createSnapshotRequestSchema, snapshotMetaSchema } from '../../shared/api.ts'
import { readConfig } from '../../server/config.ts'

const MIN = 60_000

describe('snapshot helpers', () => {
  it('makes random URL-safe ids that the routes accept', () => {
    const ids = new Set(Array.from({ length: 100 }, newSnapshotId))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(SNAPSHOT_ID)
  })

  it('hashes bytes as lower-case hex SHA-256', () => {
    const bytes = new Uint8Array([1, 2, 3, 250])
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('names interval snapshots after the interval', () => {
    expect(intervalSnapshotName(30 * MIN)).toBe('Auto: 30 minutes of work')
    expect(intervalSnapshotName(MIN)).toBe('Auto: 1 minute of work')
    expect(intervalSnapshotName(400)).toBe('Auto: 1 second of work')
    expect(intervalSnapshotName(90_000)).toBe('Auto: 90 seconds of work')
  })

  it('starts the Markdown with the name, UTC date and hash on one line', () => {
    const header = snapshotMarkdownHeader({
      name: 'End of\nday',
      createdAt: Date.UTC(2012, 0, 20, 16, 5),
      sha256: 'ab'.repeat(32),
    })
    expect(header).toBe(`> Snapshot “End of day”, taken 2012-01-20 16:05 UTC, SHA-256 ${'ab'.repeat(32)}`)
  })

  it('checks for interval snapshots a quarter interval apart, within bounds', () => {
    expect(intervalCheckMs(30 * MIN)).toBe(MIN)
    expect(intervalCheckMs(400)).toBe(100)
    expect(intervalCheckMs(40)).toBe(25)
  })
})

describe('when a room is due an interval snapshot', () => {
  const interval = 30 * MIN
  const t = 1_000_000_000_000
  it('is not due when unchanged since the last snapshot', () => {
    expect(intervalSnapshotDue({ firstChangeAt: null, lastChangeAt: null, lastSnapshotAt: null }, t, interval)).toBe(
      false,
    )
  })
  it('is due after an interval of work with no snapshot in it', () => {
    expect(
      intervalSnapshotDue({ firstChangeAt: t - interval, lastChangeAt: t - 1000, lastSnapshotAt: null }, t, interval),
    ).toBe(true)
    expect(
      intervalSnapshotDue(
        { firstChangeAt: t - interval, lastChangeAt: t - 1000, lastSnapshotAt: t - interval - 1 },
        t,
        interval,
      ),
    ).toBe(true)
  })
  it('is not due before the work has lasted an interval', () => {
    expect(
      intervalSnapshotDue({ firstChangeAt: t - interval + 1, lastChangeAt: t, lastSnapshotAt: null }, t, interval),
    ).toBe(false)
  })
  it('is not due with a snapshot newer than an interval', () => {
    expect(
      intervalSnapshotDue(
        { firstChangeAt: t - 2 * interval, lastChangeAt: t, lastSnapshotAt: t - interval + 1 },
        t,
        interval,
      ),
    ).toBe(false)
  })
  it('is not due when nothing changed within the last interval', () => {
    expect(
      intervalSnapshotDue(
        { firstChangeAt: t - 3 * interval, lastChangeAt: t - interval - 1, lastSnapshotAt: null },
        t,
        interval,
      ),
    ).toBe(false)
  })
})

describe('snapshot schemas and configuration', () => {
  it('trims names and bounds them to 1..120 characters', () => {
    expect(createSnapshotRequestSchema.parse({ name: '  Before the break ' })).toEqual({ name: 'Before the break' })
    expect(createSnapshotRequestSchema.safeParse({ name: ' ' }).success).toBe(false)
    expect(createSnapshotRequestSchema.safeParse({ name: 'x'.repeat(121) }).success).toBe(false)
    expect(createSnapshotRequestSchema.safeParse({ name: 'x'.repeat(120) }).success).toBe(true)
  })
  it('accepts person and server authors in metadata', () => {
    const base = { id: 'a'.repeat(22), name: 'n', kind: 'manual', createdAt: 1, size: 2, sha256: '0'.repeat(64) }
    expect(snapshotMetaSchema.safeParse({ ...base, author: 'server' }).success).toBe(true)
    expect(snapshotMetaSchema.safeParse({ ...base, author: { name: 'Sam', organisation: 'CLG' } }).success).toBe(true)
    expect(snapshotMetaSchema.safeParse({ ...base, author: 'someone' }).success).toBe(false)
  })
  it('reads SNAPSHOT_INTERVAL_MS, 30 minutes by default', () => {
    expect(readConfig({}).snapshotIntervalMs).toBe(30 * MIN)
    expect(readConfig({ SNAPSHOT_INTERVAL_MS: '5000' }).snapshotIntervalMs).toBe(5000)
    expect(() => readConfig({ SNAPSHOT_INTERVAL_MS: '10' })).toThrow(/SNAPSHOT_INTERVAL_MS/)
  })
})

describe('snapshot sizes as people read them', () => {
  const MB = 1024 * 1024
  it('writes bytes, KB, MB and GB, a tenth below 100 and never rounding up', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(1)).toBe('1 byte')
    expect(formatBytes(1023)).toBe('1,023 bytes')
    expect(formatBytes(1024)).toBe('1 KB')
    expect(formatBytes(12.46 * MB)).toBe('12.4 MB')
    expect(formatBytes(200 * MB)).toBe('200 MB')
    expect(formatBytes(200 * MB - 1)).toBe('199 MB')
    expect(formatBytes(1.5 * 1024 * MB)).toBe('1.5 GB')
  })

  it('tells the facilitator how much is used and what to do over the quota', () => {
    expect(overQuotaMessage(199.5 * MB, 1.25 * MB, 200 * MB)).toBe(
      'This workshop’s snapshots already use 199 MB of the 200 MB it may keep, and this snapshot needs 1.2 MB more. ' +
        'As the facilitator, you can delete old snapshots in the Snapshots tab to make room.',
    )
    expect(tooLargeMessage(70 * MB, 64 * MB)).toBe(
      'The workshop is 70 MB, more than the 64 MB a snapshot may hold, so no snapshot was taken. ' +
        'Download an export of the workshop instead.',
    )
  })
})
