/**
 * The retention of automatic snapshots (shared/snapshotRetention.ts): all of the last 24 hours,
 * then the last of each Europe/London day; people's snapshots always. The days are London's, so
 * the clock changes make a 23-hour and a 25-hour day.
 */
import { describe, expect, it } from 'vitest'
import type { SnapshotKind } from '../../shared/api.ts'
import { londonDay, RETAIN_ALL_MS, type RetainedSnapshot, snapshotsToPrune } from '../../shared/snapshotRetention.ts'

const HOUR = 3600_000
const utc = (iso: string) => Date.parse(iso)
const snap = (id: string, iso: string, kind: SnapshotKind = 'auto-left'): RetainedSnapshot => ({
  id,
  kind,
  createdAt: utc(iso),
})
const kept = (snapshots: RetainedSnapshot[], now: number) => {
  const pruned = new Set(snapshotsToPrune(snapshots, now))
  return snapshots.filter((s) => !pruned.has(s.id)).map((s) => s.id)
}

describe('London days', () => {
  it('start at midnight GMT in winter and at 23:00 UTC the day before in summer', () => {
    expect(londonDay(utc('2025-01-15T23:59:59Z'))).toBe('2025-01-15')
    expect(londonDay(utc('2025-01-16T00:00:00Z'))).toBe('2025-01-16')
    expect(londonDay(utc('2025-07-15T22:59:59Z'))).toBe('2025-07-15')
    expect(londonDay(utc('2025-07-15T23:00:00Z'))).toBe('2025-07-16')
  })

  it('are 23 hours long when the clocks go forward and 25 when they go back', () => {
    // 30 March 2025: 01:00 GMT becomes 02:00 BST. The day runs 00:00Z to 23:00Z.
    expect(londonDay(utc('2025-03-30T00:00:00Z'))).toBe('2025-03-30')
    expect(londonDay(utc('2025-03-30T22:59:59Z'))).toBe('2025-03-30')
    expect(londonDay(utc('2025-03-30T23:00:00Z'))).toBe('2025-03-31')
    // 26 October 2025: 02:00 BST becomes 01:00 GMT. The day runs 25 Oct 23:00Z to 27 Oct 00:00Z.
    expect(londonDay(utc('2025-10-25T22:59:59Z'))).toBe('2025-10-25')
    expect(londonDay(utc('2025-10-25T23:00:00Z'))).toBe('2025-10-26')
    expect(londonDay(utc('2025-10-26T23:59:59Z'))).toBe('2025-10-26')
    expect(londonDay(utc('2025-10-27T00:00:00Z'))).toBe('2025-10-27')
  })
})

describe('which automatic snapshots a room keeps', () => {
  const now = utc('2025-01-20T12:00:00Z')

  it('keeps every automatic snapshot of the last 24 hours, however many', () => {
    const recent = Array.from({ length: 50 }, (_, i) =>
      snap(`r${i}`, new Date(now - RETAIN_ALL_MS + 1 + i * 1000).toISOString()),
    )
    expect(snapshotsToPrune(recent, now)).toEqual([])
  })

  it('keeps the last of each older London day and lets the rest go', () => {
    const snapshots = [
      snap('mon-09', '2025-01-13T09:00:00Z'),
      snap('mon-17', '2025-01-13T17:00:00Z', 'auto-interval'),
      snap('mon-23', '2025-01-13T23:30:00Z'),
      snap('tue-10', '2025-01-14T10:00:00Z'),
      snap('sat-01', '2025-01-18T01:00:00Z'),
      snap('sat-02', '2025-01-18T02:00:00Z'),
    ]
    expect(kept(snapshots, now)).toEqual(['mon-23', 'tue-10', 'sat-02'])
  })

  it('never lets a manual or agenda snapshot go, nor counts it as the day’s automatic one', () => {
    const snapshots = [
      snap('auto-early', '2025-01-13T09:00:00Z'),
      snap('manual', '2025-01-13T10:00:00Z', 'manual'),
      snap('auto-late', '2025-01-13T11:00:00Z'),
      snap('agenda', '2025-01-13T12:00:00Z', 'auto-agenda'),
      snap('old-manual', '2020-01-01T00:00:00Z', 'manual'),
    ]
    expect(kept(snapshots, now)).toEqual(['manual', 'auto-late', 'agenda', 'old-manual'])
  })

  it('counts 24 hours exactly, and a day’s last snapshot among young ones too', () => {
    // Yesterday (19 January): one at 11:00 (25 h ago), one at 13:00 (23 h ago, young, and the day's last).
    const snapshots = [snap('old', '2025-01-19T11:00:00Z'), snap('young', '2025-01-19T13:00:00Z')]
    expect(kept(snapshots, now)).toEqual(['young'])
    // At exactly 24 hours a snapshot is no longer young.
    const edge = [snap('at-24h', '2025-01-19T12:00:00Z'), snap('later', '2025-01-19T12:00:01Z')]
    expect(kept(edge, now)).toEqual(['later'])
    expect(kept(edge, now - 1)).toEqual(['at-24h', 'later'])
  })

  it('keeps one snapshot for the 23-hour day the clocks go forward', () => {
    const snapshots = [
      snap('sat-late', '2025-03-29T23:30:00Z'), // 23:30 GMT, Saturday 29 March
      snap('sun-0030', '2025-03-30T00:30:00Z'), // 00:30 GMT, Sunday
      snap('sun-0130', '2025-03-30T01:30:00Z'), // 02:30 BST, Sunday
      snap('sun-2230', '2025-03-30T22:30:00Z'), // 23:30 BST, Sunday: its last
      snap('mon-0030', '2025-03-30T23:30:00Z'), // 00:30 BST, Monday 31 March
    ]
    expect(kept(snapshots, utc('2025-04-05T12:00:00Z'))).toEqual(['sat-late', 'sun-2230', 'mon-0030'])
  })

  it('keeps one snapshot for the 25-hour day the clocks go back, the later of the repeated hour', () => {
    const snapshots = [
      snap('sat-2330', '2025-10-25T22:30:00Z'), // 23:30 BST, Saturday 25 October
      snap('sun-0030', '2025-10-25T23:30:00Z'), // 00:30 BST, Sunday 26 October
      snap('sun-0130-bst', '2025-10-26T00:30:00Z'), // 01:30 BST
      snap('sun-0130-gmt', '2025-10-26T01:30:00Z'), // 01:30 GMT, an hour later: the day's last
      snap('mon-0000', '2025-10-27T00:00:00Z'), // midnight GMT, Monday
    ]
    expect(kept(snapshots, utc('2025-11-01T12:00:00Z'))).toEqual(['sat-2330', 'sun-0130-gmt', 'mon-0000'])
    // A day later than its UTC date says: 25 Oct 23:30Z is Sunday in London, so with Sunday's
    // last at 23:59 GMT it goes, though it is alone on its UTC date.
    const lateSunday = [...snapshots, snap('sun-2359', '2025-10-26T23:59:00Z')]
    expect(kept(lateSunday, utc('2025-11-01T12:00:00Z'))).toEqual(['sat-2330', 'mon-0000', 'sun-2359'])
  })

  it('measures the 24 hours in real time across a clock change, not by the wall clock', () => {
    // Noon GMT on the 25-hour Sunday. Noon BST on Saturday reads "a day ago" on the wall clock but
    // was 25 hours ago; 14:00 BST on Saturday was 23 hours ago.
    const at = utc('2025-10-26T12:00:00Z')
    const snapshots = [snap('noon-bst-sat', '2025-10-25T11:00:00Z'), snap('two-bst-sat', '2025-10-25T13:00:00Z')]
    expect(at - snapshots[0]!.createdAt).toBe(25 * HOUR)
    expect(kept(snapshots, at)).toEqual(['two-bst-sat'])
    // An hour and a millisecond earlier, both were under 24 hours old.
    expect(kept(snapshots, at - HOUR - 1)).toEqual(['noon-bst-sat', 'two-bst-sat'])
  })

  it('treats a snapshot dated after now (another instance’s clock ahead) as young', () => {
    const snapshots = [snap('future', '2025-01-21T12:00:00Z'), snap('old', '2025-01-10T12:00:00Z')]
    expect(kept(snapshots, now)).toEqual(['future', 'old'])
  })

  it('breaks a tie at the same millisecond by id, whatever the order given', () => {
    const a = snap('a', '2025-01-13T09:00:00Z')
    const b = snap('b', '2025-01-13T09:00:00Z')
    expect(snapshotsToPrune([a, b], now)).toEqual(['a'])
    expect(snapshotsToPrune([b, a], now)).toEqual(['a'])
  })

  it('lets go of nothing it would keep at a later run', () => {
    // Hourly snapshots over ten days, thinned daily: what one run keeps is a superset of what the
    // next keeps, and the result after the last run is one per day plus the last 24 hours.
    const start = utc('2025-03-25T00:00:00Z')
    let snapshots: RetainedSnapshot[] = Array.from({ length: 240 }, (_, i) => ({
      id: `h${String(i).padStart(3, '0')}`,
      kind: 'auto-interval' as const,
      createdAt: start + i * HOUR,
    }))
    let previous = new Set(snapshots.map((s) => s.id))
    for (let day = 1; day <= 12; day++) {
      const at = start + day * 24 * HOUR
      const pruned = new Set(snapshotsToPrune(snapshots, at))
      snapshots = snapshots.filter((s) => !pruned.has(s.id))
      const now = new Set(snapshots.map((s) => s.id))
      for (const id of now) expect(previous.has(id)).toBe(true)
      previous = now
    }
    const end = start + 12 * 24 * HOUR
    const days = new Set(snapshots.map((s) => londonDay(s.createdAt)))
    expect(snapshots.filter((s) => end - s.createdAt >= RETAIN_ALL_MS)).toHaveLength(days.size)
  })
})
