/**
 * Downloads a file the server makes for one workshop (an export, a snapshot) with the person's
 * token in the `Authorization` header. A link with `?token=` would do it in one line, but that
 * link is the credential: copied, shared, kept in the history or in a proxy's log, it hands the
 * workshop (as a facilitator, for a facilitator) to whoever reads it.
 */
import { apiErrorSchema } from '../../shared/api.ts'
import { downloadBlob } from './downloadBlob.ts'

/** A download that did not happen; the message is for people. */
export class DownloadError extends Error {
  override name = 'DownloadError'
}

export interface DownloadRequest {
  /** The API path, without any credential. */
  url: string
  token: string
  /** The file name when the server names none. */
  fallbackName: string
}

export interface DownloadDeps {
  fetch: typeof fetch
  save: (blob: Blob, filename: string) => void
}

const browserDeps = (): DownloadDeps => ({ fetch: (input, init) => fetch(input, init), save: downloadBlob })

/**
 * The file name of a `Content-Disposition` header (`filename*=UTF-8''…` before `filename="…"`),
 * reduced to a name alone: no folders, no control characters. Null when it names none.
 */
export function filenameFromContentDisposition(header: string | null): string | null {
  if (!header) return null
  let name: string | null = null
  const extended = header.match(/filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i)
  if (extended?.[2]) {
    try {
      name = decodeURIComponent(extended[2].trim())
    } catch {
      name = null
    }
  }
  if (name === null) {
    const plain = header.match(/filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i)
    name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2] ?? null
  }
  if (name === null) return null
  // The server's word, but a name only: the browser would sanitise it too, this keeps it readable.
  const safe = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return safe && safe !== '.' && safe !== '..' ? safe : null
}

/** What to tell the person when the server refused: its own words when it gave them. */
async function refusalMessage(response: Response): Promise<string> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // not JSON: described by its status below
  }
  const error = apiErrorSchema.safeParse(body)
  if (error.success) return `The download failed: ${error.data.error.message}`
  return `The download failed: the server answered ${response.status}. Try again in a moment.`
}

/** Fetches `url` with the token as a bearer and saves the answer; rejects with a DownloadError. */
export async function downloadFile(
  { url, token, fallbackName }: DownloadRequest,
  deps: DownloadDeps = browserDeps(),
): Promise<void> {
  let response: Response
  try {
    response = await deps.fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' })
  } catch {
    throw new DownloadError(
      'The download failed: the Commonpot server could not be reached. Check your connection and try again.',
    )
  }
  if (!response.ok) throw new DownloadError(await refusalMessage(response))
  let blob: Blob
  try {
    blob = await response.blob()
  } catch {
    throw new DownloadError('The download was interrupted. Try again.')
  }
  deps.save(blob, filenameFromContentDisposition(response.headers.get('content-disposition')) ?? fallbackName)
}
