/**
 * How a comment's time reads: relative while recent ("just now", "12 min ago", "3 h ago"), the
 * date once it is older than a day, and always the full date and time for a tooltip. en-GB, the
 * workshops' locale, on every device.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const absolute = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})
const dayAndMonth = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
})

export interface CommentTime {
  /** What is shown beside the comment. */
  relative: string
  /** The full date and time, e.g. "23 Nov 2026, 19:27". */
  absolute: string
  /** The machine-readable value for a `<time dateTime>`. */
  iso: string
}

export function formatCommentTime(at: number, now: number): CommentTime {
  const date = new Date(at)
  // Another device's clock may run a little ahead: a comment "from the future" is just now.
  const age = Math.max(0, now - at)
  const relative =
    age < MINUTE
      ? 'just now'
      : age < HOUR
        ? `${Math.floor(age / MINUTE)} min ago`
        : age < DAY
          ? `${Math.floor(age / HOUR)} h ago`
          : dayAndMonth.format(date)
  return { relative, absolute: absolute.format(date), iso: date.toISOString() }
}
