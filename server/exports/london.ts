/**
 * Times in the Word and Excel exports as people in the workshop read them: Europe/London, whatever
 * zone the server runs in.
 */

const LONG = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

const PARTS = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
})

/** "4 December 2026 at 14:05" in Europe/London. */
export const londonLongTime = (ms: number): string => LONG.format(new Date(ms))

/**
 * A spreadsheet cell's date for `ms`: Excel's dates have no time zone and exceljs writes a Date
 * by its UTC fields, so the Date returned has as its UTC fields London's wall clock at `ms` (a
 * summer afternoon reads 14:05, not 13:05). Milliseconds are kept.
 */
export function londonWallClock(ms: number): Date {
  const fields: Record<string, number> = {}
  for (const part of PARTS.formatToParts(new Date(ms)))
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ((ms % 1000) + 1000) % 1000))
}

/** Whether a recorded time is one (positions and ledger entries from old exports may carry 0). */
export const isKnownTime = (ms: number): boolean => Number.isFinite(ms) && ms > 0
