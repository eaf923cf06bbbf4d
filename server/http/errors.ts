import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ApiError } from '../../shared/api.ts'

/** Every REST error has the same JSON shape: {error: {code, message}}. */
export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  const body: ApiError = { error: { code, message } }
  return c.json(body, status)
}
