/**
 * Calendar dates as the workshop writes them: ISO `YYYY-MM-DD` strings, compared as text, with no
 * time zone to go wrong between a facilitator in London and a server in a data centre.
 */
import { z } from 'zod'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `text` is a real calendar date (so 2026-02-30 is refused). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A due date: empty for none, otherwise a real date. */
export const dueDateSchema = z
  .string()
  .trim()
  .refine((text) => text === '' || isIsoDate(text), 'Enter the date as YYYY-MM-DD, for example 2012-03-31')

/** Today's date in the viewer's own time zone, as `YYYY-MM-DD`. */
export function localIsoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** "31 Mar 2012" for a `YYYY-MM-DD` date; the text itself when it is not one. */
export function formatIsoDate(text: string): string {
  if (!isIsoDate(text)) return text
  const [year, month, day] = text.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/**
 * A moment as `YYYY-MM-DD HH:MM` in Europe/London (BST in summer), for spreadsheets: Excel and
 * LibreOffice read this form as a date and time in every locale, whereas `05/12/2026` is read
 * month-first in a US locale, and an ISO string with `T…Z` stays text (and is UTC, an hour out
 * in summer).
 */
export function londonDateTime(at: number): string {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(at)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}
