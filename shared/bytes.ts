/**
 * Sizes as people read them, in the snapshot panel and in the server's quota messages alike.
 * 1 MB here is 1024 × 1024 bytes: the quota's default (SNAPSHOT_QUOTA_BYTES, 200 × 1024²) then
 * reads as the round "200 MB" an operator set, and a used amount never reads as more than it is.
 */
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const

const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 })
const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })

/** "0 bytes", "1 byte", "980 bytes", "12.4 KB", "200 MB", "1.5 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    const n = Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))
    return `${whole.format(n)} ${n === 1 ? 'byte' : 'bytes'}`
  }
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  // A tenth is worth showing below 100 of a unit ("12.4 MB"), not above ("200 MB").
  const text = value < 100 ? oneDecimal.format(Math.floor(value * 10) / 10) : whole.format(Math.floor(value))
  return `${text} ${UNITS[unit]}`
}
