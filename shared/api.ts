/**
 * The REST contract between the client and the server: request bodies are validated with these
 * schemas on the server, and responses are parsed with them on the client.
 */
import { z } from 'zod'
import { roleSchema } from './roles.ts'

export const TITLE_MAX = 120

export const createRoomRequestSchema = z.object({
  title: z
    .string({ error: (issue) => (issue.input === undefined ? 'title is required' : 'title must be text') })
    .trim()
    .min(1, 'title must not be empty')
    .max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`),
})
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>

const byRole = <T extends z.ZodType>(value: T) =>
  z.object({ facilitator: value, participant: value, observer: value })

export const createRoomResponseSchema = z.object({
  roomId: z.string(),
  title: z.string(),
  tokens: byRole(z.string()),
  links: byRole(z.string()),
})
export type CreateRoomResponse = z.infer<typeof createRoomResponseSchema>

export const roomInfoSchema = z.object({
  roomId: z.string(),
  title: z.string(),
  createdAt: z.number(),
  role: roleSchema,
  /** Present for facilitators only: the invite links to share. */
  links: byRole(z.string()).optional(),
})
export type RoomInfo = z.infer<typeof roomInfoSchema>

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
})
export type ApiError = z.infer<typeof apiErrorSchema>

/** Close codes the sync endpoint uses; 44xx tell the y-websocket client not to reconnect. */
export const CLOSE_CODES = {
  goingAway: 1001,
  tooLarge: 1009,
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  noSuchRoom: 4404,
} as const
