/**
 * The REST contract between the client and the server: request bodies are validated with these
 * schemas on the server, and responses are parsed with them on the client.
 */
import { z } from 'zod'
import { LINK_NAME_MAX, LINK_ORGANISATION_MAX, isBindableRole } from './linkIdentity.ts'
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

const byRole = <T extends z.ZodType>(value: T) => z.object({ facilitator: value, participant: value, observer: value })

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
  /**
   * The organisation the caller's link is bound to (null: a general link, what its holder says
   * is self-declared), and the person's name the facilitator put on it. Missing from servers
   * before organisation-bound links, which read as null.
   */
  organisation: z.string().nullable().default(null),
  linkName: z.string().nullable().default(null),
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

const linkOrganisationSchema = z
  .string({ error: 'organisation must be text' })
  .trim()
  .min(1, 'organisation must not be empty')
  .max(LINK_ORGANISATION_MAX, `organisation must be at most ${LINK_ORGANISATION_MAX} characters`)
const linkNameSchema = z
  .string({ error: 'name must be text' })
  .trim()
  .min(1, 'name must not be empty')
  .max(LINK_NAME_MAX, `name must be at most ${LINK_NAME_MAX} characters`)

/** The message when an observer link is to be bound: observers state nothing for anyone. */
export const OBSERVER_BINDING_MESSAGE = 'organisation can only be given for participant or facilitator links'

/**
 * Optional binding of a link: `organisation` (participant and facilitator links only) makes the
 * link speak for that organisation; `name` prefills the person's name when they join.
 */
const bindingFields = {
  organisation: linkOrganisationSchema.optional(),
  name: linkNameSchema.optional(),
}

const refuseObserverBinding = (
  body: { role: z.infer<typeof inviteRoleSchema>; organisation?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if (body.organisation !== undefined && !isBindableRole(body.role))
    ctx.addIssue({ code: 'custom', path: ['organisation'], message: OBSERVER_BINDING_MESSAGE })
}

/** `POST /api/rooms/:id/invites` (facilitator only): a new link for one role, optionally bound to an organisation. */
export const createInviteRequestSchema = z
  .object({
    role: inviteRoleSchema,
    expiresInHours: expiresInHoursSchema,
    ...bindingFields,
  })
  .superRefine(refuseObserverBinding)
export type CreateInviteRequest = z.infer<typeof createInviteRequestSchema>

/**
 * `POST /api/rooms/:id/invites/revoke` (facilitator only): every link of the role stops working at
 * once, and a fresh one replaces them (lasting `expiresInHours`, or TOKEN_TTL_DAYS when not given).
 * With `organisation`, only the role's links bound to that organisation stop working, and the
 * fresh link is bound to it (`name` goes on the fresh link).
 */
export const revokeInvitesRequestSchema = z
  .object({
    role: inviteRoleSchema,
    expiresInHours: expiresInHoursSchema.optional(),
    ...bindingFields,
  })
  .superRefine(refuseObserverBinding)
export type RevokeInvitesRequest = z.infer<typeof revokeInvitesRequestSchema>

/**
 * The answer to both invite calls: the new link, its token, when it expires (ms since 1970), and
 * what it is bound to (null: nothing; missing from servers before bound links, read as null).
 */
export const inviteResponseSchema = z.object({
  role: roleSchema,
  token: z.string(),
  link: z.string(),
  expiresAt: z.number(),
  organisation: z.string().nullable().default(null),
  name: z.string().nullable().default(null),
})
export type InviteResponse = z.infer<typeof inviteResponseSchema>

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
})
export type ApiError = z.infer<typeof apiErrorSchema>

/**
 * Close codes the sync endpoint uses. 44xx are final refusals: the y-websocket client never
 * reconnects after one. Anything that passes (overload, a full room, a silent socket) closes with
 * 1013 and a reason, which every client retries.
 */
export const CLOSE_CODES = {
  goingAway: 1001,
  tooLarge: 1009,
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  noSuchRoom: 4404,
  /**
   * Try again later: the server is busy, the room or address is at its connection cap, the socket
   * said nothing in time, or it sent what backpressure could not absorb. The reason says which.
   */
  tryAgainLater: 1013,
} as const

/** `GET /api/time`: the server's clock, in ms since the epoch (for the shared timer). */
export const serverTimeSchema = z.object({ now: z.number() })
export type ServerTime = z.infer<typeof serverTimeSchema>

/**
 * `GET /api/config`: what the create page needs to know of the server before anyone types.
 * `roomCreation: 'key'`: creating a workshop needs an organiser key (`Authorization: Bearer`).
 */
export const serverConfigSchema = z.object({ roomCreation: z.enum(['open', 'key']) })
export type ServerConfig = z.infer<typeof serverConfigSchema>

/** Refusals of `POST /api/rooms` about the organiser key, which the create page shows at that field. */
export const ORGANISER_KEY_ERRORS: readonly string[] = ['organiser_key_required', 'bad_organiser_key']

// ---------------------------------------------------------------------------------------------
// Snapshots (issue #8): `GET/POST /api/rooms/:id/snapshots`, `GET /api/rooms/:id/snapshots/:sid`.
// A snapshot is a full encoded state (`Y.encodeStateAsUpdate`) plus name, author, kind, time and
// the SHA-256 (hex) of exactly the stored bytes; it never changes once written. Within bounds
// (issue #18): the facilitator can delete one (`DELETE /api/rooms/:id/snapshots/:sid`), a room's
// snapshots may hold SNAPSHOT_QUOTA_BYTES, and the server thins its own automatic ones.
// ---------------------------------------------------------------------------------------------

export const SNAPSHOT_NAME_MAX = 120

export const snapshotKindSchema = z.enum(['manual', 'auto-left', 'auto-interval', 'auto-agenda'])
export type SnapshotKind = z.infer<typeof snapshotKindSchema>

/** Who took a snapshot: a person as they named themselves in the workshop, or 'server' (automatic). */
export const snapshotPersonSchema = z.object({
  userId: z.string().max(200).optional(),
  name: z
    .string()
    .trim()
    .min(1, 'author.name must not be empty')
    .max(200, 'author.name must be at most 200 characters'),
  organisation: z.string().max(200).optional(),
})
export const snapshotAuthorSchema = z.union([snapshotPersonSchema, z.literal('server')])
export type SnapshotAuthor = z.infer<typeof snapshotAuthorSchema>

/**
 * `POST /api/rooms/:id/snapshots` (facilitator only). `author` is optional: the facilitator as named
 * in the workshop. Answers 201 with the new snapshot; for `auto-agenda` when the room's content is
 * what its newest snapshot holds, 200 with that newest one (nothing new is stored). Refusals: 507
 * `snapshot_quota_exceeded` when the new bytes would take the room past its quota (the message says
 * how much is used, and that the facilitator can delete old snapshots), 413 `document_too_large`
 * when the document is bigger than a snapshot may hold.
 */
export const createSnapshotRequestSchema = z.object({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be text') })
    .trim()
    .min(1, 'name must not be empty')
    .max(SNAPSHOT_NAME_MAX, `name must be at most ${SNAPSHOT_NAME_MAX} characters`),
  author: snapshotPersonSchema.optional(),
  /** 'auto-agenda' when the facilitator's client takes it as the room moves on from an agenda item. */
  kind: z.enum(['manual', 'auto-agenda']).optional(),
})
export type CreateSnapshotRequest = z.infer<typeof createSnapshotRequestSchema>

/** A snapshot's metadata: the answer to POST (201), and each entry of the list. */
export const snapshotMetaSchema = z.object({
  id: z.string(),
  name: z.string(),
  author: snapshotAuthorSchema,
  kind: snapshotKindSchema,
  /** ms since 1970 */
  createdAt: z.number(),
  /** bytes of the encoded state */
  size: z.number(),
  /** SHA-256 of exactly the bytes `?format=ydoc` answers, lower-case hex */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})
export type SnapshotMeta = z.infer<typeof snapshotMetaSchema>

/**
 * What a room's snapshots take up: `bytes` counts each distinct state once (snapshots of an
 * unchanged room share their bytes), against `quotaBytes` (SNAPSHOT_QUOTA_BYTES); no snapshot can
 * be taken of a document over `maxDocumentBytes`.
 */
export const snapshotUsageSchema = z.object({
  bytes: z.number(),
  quotaBytes: z.number(),
  maxDocumentBytes: z.number(),
})
export type SnapshotUsage = z.infer<typeof snapshotUsageSchema>

/** `GET /api/rooms/:id/snapshots`: newest first, with the room's usage (missing from servers before issue #18). */
export const snapshotListSchema = z.object({
  snapshots: z.array(snapshotMetaSchema),
  usage: snapshotUsageSchema.optional(),
})
export type SnapshotList = z.infer<typeof snapshotListSchema>

/**
 * `DELETE /api/rooms/:id/snapshots/:sid` (facilitator only; 403 for others, 404
 * `no_such_snapshot`, 409 when something the record keeps refers to it): the snapshot deleted,
 * what that freed (0 when another snapshot of the room holds the same state), and the usage after.
 */
export const deleteSnapshotResponseSchema = z.object({
  deleted: snapshotMetaSchema,
  freedBytes: z.number(),
  usage: snapshotUsageSchema,
})
export type DeleteSnapshotResponse = z.infer<typeof deleteSnapshotResponseSchema>

/**
 * `GET /api/rooms/:id/snapshots/:sid`: the metadata and the workshop export (the JSON that
 * `GET /api/rooms/:id/export` answers, shared/export.ts) computed from the snapshot's state.
 */
export const snapshotContentResponseSchema = z.object({
  snapshot: snapshotMetaSchema,
  content: z.record(z.string(), z.unknown()),
})
export type SnapshotContentResponse = z.infer<typeof snapshotContentResponseSchema>

/** `POST /api/rooms/:id/snapshots/:sid/restore` (facilitator only): who restores, as named in the workshop. */
export const restoreSnapshotRequestSchema = z.object({ author: snapshotPersonSchema.optional() })
export type RestoreSnapshotRequest = z.infer<typeof restoreSnapshotRequestSchema>
/** The snapshot restored, and the one taken of the state just before. */
export const restoreSnapshotResponseSchema = z.object({ restored: snapshotMetaSchema, before: snapshotMetaSchema })
export type RestoreSnapshotResponse = z.infer<typeof restoreSnapshotResponseSchema>
