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

/** Invite links can last from one hour to 90 days. */
export const INVITE_HOURS_MIN = 1
export const INVITE_HOURS_MAX = 24 * 90
/** The expiries the invite panel offers, in hours; 7 days is the default. */
export const INVITE_EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
  { hours: 24 * 90, label: '90 days' },
] as const
export const DEFAULT_INVITE_HOURS = 24 * 7

const inviteRoleSchema = z.enum(roleSchema.options, { error: 'role must be facilitator, participant or observer' })
const expiresInHoursSchema = z
  .number({ error: 'expiresInHours must be a number of hours' })
  .int('expiresInHours must be a whole number of hours')
  .min(INVITE_HOURS_MIN, `expiresInHours must be at least ${INVITE_HOURS_MIN}`)
  .max(INVITE_HOURS_MAX, `expiresInHours must be at most ${INVITE_HOURS_MAX} (90 days)`)

/** `POST /api/rooms/:id/invites` (facilitator only): a new link for one role. */
export const createInviteRequestSchema = z.object({
  role: inviteRoleSchema,
  expiresInHours: expiresInHoursSchema,
})
export type CreateInviteRequest = z.infer<typeof createInviteRequestSchema>

/**
 * `POST /api/rooms/:id/invites/revoke` (facilitator only): every link of the role stops working at
 * once, and a fresh one replaces them (lasting `expiresInHours`, or TOKEN_TTL_DAYS when not given).
 */
export const revokeInvitesRequestSchema = z.object({
  role: inviteRoleSchema,
  expiresInHours: expiresInHoursSchema.optional(),
})
export type RevokeInvitesRequest = z.infer<typeof revokeInvitesRequestSchema>

/** The answer to both invite calls: the new link, its token and when it expires (ms since 1970). */
export const inviteResponseSchema = z.object({
  role: roleSchema,
  token: z.string(),
  link: z.string(),
  expiresAt: z.number(),
})
export type InviteResponse = z.infer<typeof inviteResponseSchema>

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

/** `GET /api/time`: the server's clock, in ms since the epoch (for the shared timer). */
export const serverTimeSchema = z.object({ now: z.number() })
export type ServerTime = z.infer<typeof serverTimeSchema>
