import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ApiError } from '../../shared/api.ts'
import { errorMessage, log } from '../log.ts'
import { AtCapacityError } from '../sync/roomSource.ts'

/** Every REST error has the same JSON shape: {error: {code, message}}. */
export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  const body: ApiError = { error: { code, message } }
  return c.json(body, status)
}

/**
 * A refusal the client is meant to read: thrown from any middleware or handler, so that a route
 * states only its own work, and answered by `answerError` in the JSON error shape.
 */
export class ApiException extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message })
  }
}

export const noSuchRoom = (): ApiException =>
  new ApiException(404, 'no_such_room', 'There is no workshop with this id.')

/** The app's one error handler: refusals as thrown, a full server as 503, anything else as 500. */
export const answerError: ErrorHandler = (error, c) => {
  if (error instanceof ApiException) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
    return jsonError(c, error.status, error.code, error.message)
  }
  if (error instanceof AtCapacityError) {
    c.header('Retry-After', '5')
    return jsonError(c, 503, 'busy', 'The server has too many workshops open right now. Try again in a few seconds.')
  }
  log('error', 'http.error', { path: c.req.path, error: errorMessage(error) })
  return jsonError(c, 500, 'internal', 'Something went wrong on the server; try again.')
}
