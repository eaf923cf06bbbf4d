/**
 * Exports as files, for the live workshop and its snapshots alike: the format and CSV table a
 * request asks for, and the file each is.
 */
import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { validator } from 'hono/validator'
import { CSV_PARTS } from '../../shared/exportCsv.ts'
import { exportFileName } from '../../shared/exportFileName.ts'
import { ApiException } from './errors.ts'

/** Which table a CSV export holds: one of the sections' tables (shared/exportCsv.ts CSV_PARTS). */
export type CsvPart = string

/** The validated query, for `c.req.valid('query')`. */
export interface ExportQueryInput<F extends string> {
  in: { query: Record<string, string | string[]> }
  /** `download`: `?download=1`, the JSON saved as a file rather than read by a page. */
  out: { query: { format: F; part: CsvPart; download: boolean } }
}

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value)
/** "a, b or c": the error messages list what is allowed. */
const either = (values: readonly string[]): string => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`
/** A repeated parameter counts by its first value, as `c.req.query(name)` reads it. */
const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)

/**
 * `?format=` among `formats` (json when absent), else 400 `bad_format`; then `?part=` whatever the
 * format (the pot when absent, as before the other tables existed), else 400 `bad_part`; and
 * `?download=1`, which asks for the JSON as a file (the print page reads the same JSON without it).
 */
export function exportQuery<const F extends string>(
  formats: readonly F[],
): MiddlewareHandler<BlankEnv, string, ExportQueryInput<F>> {
  return validator('query', (query) => {
    const format = first(query.format) ?? 'json'
    if (!isOneOf(formats, format)) throw new ApiException(400, 'bad_format', `format must be ${either(formats)}.`)
    const part = first(query.part) ?? 'pot'
    if (!isOneOf(CSV_PARTS, part)) throw new ApiException(400, 'bad_part', `part must be ${either(CSV_PARTS)}.`)
    const download = first(query.download) === '1'
    return { format, part, download }
  })
}

export const MARKDOWN = 'text/markdown; charset=utf-8'
export const CSV = 'text/csv; charset=utf-8'
export const JSON_FILE = 'application/json; charset=utf-8'

/**
 * What a downloaded export is called (shared/exportFileName.ts): the workshop's title, what the
 * file holds and the London day of its content. For a snapshot the part names the snapshot
 * ("snapshot Before lunch pot") and the day is the snapshot's; for the live workshop, today's.
 */
export function exportName(
  title: string,
  what: string | null,
  ext: string,
  snapshot?: { name: string; createdAt: number },
): string {
  return exportFileName({
    title,
    part: what,
    snapshot: snapshot?.name,
    when: new Date(snapshot?.createdAt ?? Date.now()),
    ext,
  })
}

/** Percent-encoding as RFC 5987 wants it: encodeURIComponent leaves ' ( ) * as they are. */
const rfc5987 = (text: string): string =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The headers of a file the browser saves as `filename` rather than shows. The name may hold any
 * character a title does ("Café Zoë"): `filename*` (RFC 6266 / 5987) carries it as UTF-8, and
 * `filename` an ASCII stand-in for the rare client that reads only that.
 */
export const download = (contentType: string, filename: string): Record<string, string> => {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\]/g, '')
  return {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(filename)}`,
  }
}
