/**
 * What the printed pages say besides the sections' own parts, worked out without React so it can
 * be tested on its own: London times, the state printed, who attended, who signs, and the running
 * header the print stylesheet repeats on every page.
 */
import type { WorkshopExport } from '../../shared/export.ts'
import { ROLE_LABELS } from '../../shared/roles.ts'

// London time whatever the reader's machine says: the workshop's record is London's.
const londonFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
  timeZoneName: 'short',
})
const londonDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** "Thursday 3 December 2026 at 17:40 GMT" (BST in summer). */
export function londonDateTime(at: number): string {
  const parts = Object.fromEntries(londonFormat.formatToParts(at).map((p) => [p.type, p.value]))
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute} ${parts.timeZoneName}`
}

/** "3 December 2026" in London. */
export const londonDate = (at: number): string => londonDay.format(at)

/** Which state of the workshop a printed page shows. */
export type PrintedState =
  | { kind: 'live'; printedAt: number }
  | { kind: 'snapshot'; name: string; takenAt: number; sha256: string; checkUrl: string }

/** The state in a line: "The workshop as it stood when printed, …" or "Snapshot — End of day one, taken …". */
export function stateLine(state: PrintedState): string {
  return state.kind === 'live'
    ? `The workshop as it stood when printed, ${londonDateTime(state.printedAt)}`
    : `Snapshot — ${state.name}, taken ${londonDateTime(state.takenAt)}`
}

/** When the state printed is from: the moment of printing, or the snapshot's. */
export const stateTime = (state: PrintedState): number => (state.kind === 'live' ? state.printedAt : state.takenAt)

export interface Attendee {
  name: string
  organisation: string
  role: string
}

/** Everyone who joined, by organisation then name, with their role in words. */
export function attendees(members: WorkshopExport['members']): Attendee[] {
  return members
    .map((m) => ({
      name: m.name.trim() || '(no name given)',
      organisation: m.organisation.trim() || '(no organisation given)',
      role: ROLE_LABELS[m.role] ?? String(m.role),
    }))
    .sort(
      (a, b) =>
        a.organisation.localeCompare(b.organisation, 'en-GB') ||
        a.name.localeCompare(b.name, 'en-GB') ||
        a.role.localeCompare(b.role, 'en-GB'),
    )
}

/**
 * The organisations that sign the protocol: those taking part (the facilitator's list, else
 * everyone who joined with edit rights, as the export's protocol says), and any other
 * organisation that stated a position on a clause, so that nobody whose position is on the
 * record is left without a place to sign.
 */
export function signatories(data: Pick<WorkshopExport, 'protocol'>): string[] {
  const all = new Set(data.protocol.organisations)
  for (const clause of data.protocol.clauses)
    for (const organisation of Object.keys(clause.positions)) all.add(organisation)
  const taking = new Set(data.protocol.organisations)
  // Those taking part first, in the export's order, then the others by name.
  return [
    ...data.protocol.organisations,
    ...[...all].filter((o) => !taking.has(o)).sort((a, b) => a.localeCompare(b, 'en-GB')),
  ]
}

/** A CSS string literal of `text`: every character that is not a letter, digit or space escaped. */
export function cssString(text: string): string {
  const escaped = [...text]
    .map((ch) => (/^[\p{L}\p{N} ]$/u.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `))
    .join('')
  return `"${escaped}"`
}

/**
 * The print stylesheet's running header and footer: the workshop's title and the state at the
 * top of every page, "Page n of N" at the foot. Chromium draws @page margin boxes (from v131),
 * which is what "Save as PDF" uses; only their text changes per workshop, so only this is built here.
 */
export function runningHeaderCss(title: string, state: PrintedState, part: 'workshop' | 'protocol'): string {
  const what = part === 'protocol' ? `${title} — protocol for signature` : title
  const when =
    state.kind === 'live'
      ? `Printed ${londonDate(state.printedAt)}`
      : `Snapshot “${state.name}”, ${londonDate(state.takenAt)}`
  return `@page { @top-left { content: ${cssString(what)}; } @top-right { content: ${cssString(when)}; } }`
}

/** "1 h 30 min", "45 min". */
export function minutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours === 0) return `${rest} min`
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}
