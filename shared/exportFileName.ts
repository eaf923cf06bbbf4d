/**
 * What a downloaded file is called: `<workshop title>-<part>-<yyyy-mm-dd>.<ext>`, so a finance
 * officer's Downloads folder says what each file is and from which day, rather than a room id.
 * The date is the Europe/London day the content is from (today for the live workshop, the
 * snapshot's own day for a snapshot).
 */

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** `YYYY-MM-DD` of `when` in Europe/London. */
export const londonIsoDate = (when: Date): string => LONDON_DAY.format(when)

const MAX_TITLE_CHARS = 80

/**
 * A title as a file-name part: characters that Windows, macOS or a shell treat specially become
 * spaces, runs of spaces one hyphen-free space, trimmed; accented letters are kept (every current
 * system stores them), and an empty title is "Workshop".
 */
export function sanitiseFileNamePart(text: string): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '')
  const cut = [...cleaned].slice(0, MAX_TITLE_CHARS).join('').trim()
  return cut === '' ? 'Workshop' : cut
}

export interface ExportFileNameInput {
  title: string
  /** e.g. "pot", "agreement", "minutes", "board"; omitted for the whole workshop. */
  part?: string | null
  /** The snapshot's name when the file is of a snapshot: every kind of file names it the same way. */
  snapshot?: string | null
  when: Date
  ext: string
}

/** e.g. `Swindon pooled budget-snapshot Before lunch pot-2026-12-05.csv`. */
export function exportFileName({ title, part, snapshot, when, ext }: ExportFileNameInput): string {
  const what = [snapshot ? `snapshot ${snapshot}` : null, part ?? null].filter(Boolean).join(' ')
  const pieces = [sanitiseFileNamePart(title), what ? sanitiseFileNamePart(what) : null, londonIsoDate(when)]
  return `${pieces.filter((p): p is string => p !== null).join('-')}.${ext}`
}
