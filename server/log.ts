/**
 * One structured JSON line per event on stdout. Tests and operators parse these lines, so the
 * `event` names are stable. Never pass a token or a URL with a query string in `fields`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | null | undefined>

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']
let threshold = LOG_LEVELS.indexOf('info')

/** Lines below this level are not written (LOG_LEVEL). */
export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level)
}

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  if (LOG_LEVELS.indexOf(level) < threshold) return
  const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })
  if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * An error's message for a log line about a peer's input. V8's JSON.parse errors quote the start
 * of the text they failed on, which is workshop content (awareness states and Yjs JSON content
 * are JSON), so those are named rather than quoted.
 */
export function inputErrorMessage(error: unknown): string {
  return error instanceof SyntaxError ? 'not valid JSON' : errorMessage(error)
}
