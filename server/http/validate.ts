/**
 * Request bodies: at most 16 KiB, JSON (declared so, where a route requires it), and what the
 * route's zod schema (shared/api.ts) accepts.
 */
import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { ApiException } from './errors.ts'

export const smallBody: MiddlewareHandler = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new ApiException(413, 'too_large', 'The request body is larger than 16 KiB.')
  },
})

/**
 * 415 unless the body is declared JSON. A browser sends a JSON Content-Type across sites only
 * after a CORS preflight this server never grants, so requiring it also keeps other websites'
 * forms and `text/plain` fetches out of a route.
 */
export const jsonContentType: MiddlewareHandler = async (c, next) => {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
    throw new ApiException(
      415,
      'unsupported_media_type',
      'The request body must be JSON, sent with the header Content-Type: application/json.',
    )
  await next()
}

/** The validated body, for `c.req.valid('json')`. */
export interface JsonInput<S extends z.ZodType> {
  in: { json: z.input<S> }
  out: { json: z.output<S> }
}

/**
 * The body checked against `schema`: 400 `bad_json` naming `example` when it is not JSON, 400
 * `invalid_request` with zod's messages when the schema refuses it. Not hono's validator('json'),
 * which reads a body only under a JSON Content-Type: clients that send none have always been read.
 */
export function jsonBody<S extends z.ZodType>(
  schema: S,
  example: string,
): MiddlewareHandler<BlankEnv, string, JsonInput<S>> {
  return async (c, next) => {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      throw new ApiException(400, 'bad_json', `The request body must be JSON, for example ${example}.`)
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success)
      throw new ApiException(400, 'invalid_request', parsed.error.issues.map((i) => i.message).join('; '))
    c.req.addValidatedData('json', parsed.data as object)
    await next()
  }
}
