/**
 * One structured JSON line per event on stdout. Tests and operators parse these lines, so the
 * `event` names are stable. Never pass a token or a URL with a query string in `fields`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | null | undefined>

let quiet = false

/** Silences info/debug lines (used by benchmarks that start many connections). */
export function setQuiet(value: boolean): void {
  quiet = value
}

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  if (quiet && (level === 'info' || level === 'debug')) return
  const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
