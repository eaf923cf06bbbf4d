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
  /** e.g. "pot", "protocol", "minutes", "snapshot Before lunch"; omitted for the whole workshop. */
  part?: string
  when: Date
  ext: string
}

export function exportFileName({ title, part, when, ext }: ExportFileNameInput): string {
  const pieces = [sanitiseFileNamePart(title), part ? sanitiseFileNamePart(part) : null, londonIsoDate(when)]
  return `${pieces.filter((p): p is string => p !== null).join('-')}.${ext}`
}
