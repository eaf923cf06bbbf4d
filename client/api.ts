/** Calls to the REST API, with responses checked against the shared contract. */
import {
  apiErrorSchema,
  createRoomResponseSchema,
  inviteResponseSchema,
  roomInfoSchema,
  serverConfigSchema,
  type CreateRoomResponse,
  type InviteResponse,
  type RoomInfo,
  type ServerConfig,
} from '../shared/api.ts'
import type { Role } from '../shared/roles.ts'
import type { z } from 'zod'
import { expectTokenRenewal, renewRoomToken } from './identity.ts'

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string }

/** One REST call: the answer parsed with `schema`, or the server's JSON error, or a network failure, as a value. */
export async function request<T>(schema: z.ZodType<T>, input: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(input, init)
  } catch {
    return {
      ok: false,
      status: 0,
      code: 'network',
      message: 'The Commonpot server could not be reached. Check your connection and try again.',
    }
  }
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // fall through: reported below as an unexpected answer
  }
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body)
    if (error.success) return { ok: false, status: response.status, ...error.data.error }
    return {
      ok: false,
      status: response.status,
      code: `http_${response.status}`,
      message: `The server answered ${response.status}.`,
    }
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success)
    return {
      ok: false,
      status: response.status,
      code: 'bad_response',
      message: 'The server sent an answer this page does not understand. Reload the page.',
    }
  return { ok: true, value: parsed.data }
}

/** Whether this server asks for an organiser key to create a workshop. */
export function getServerConfig(): Promise<ApiResult<ServerConfig>> {
  return request(serverConfigSchema, '/api/config')
}

/** A new workshop; `organiserKey` is needed when the server says `roomCreation: 'key'`. */
export function createRoom(title: string, organiserKey?: string): Promise<ApiResult<CreateRoomResponse>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (organiserKey) headers.Authorization = `Bearer ${organiserKey}`
  return request(createRoomResponseSchema, '/api/rooms', {
    method: 'POST',
    headers,
    body: JSON.stringify({ title }),
  })
}

export function getRoomInfo(roomId: string, token: string): Promise<ApiResult<RoomInfo>> {
  return request(roomInfoSchema, `/api/rooms/${roomId}`, { headers: { Authorization: `Bearer ${token}` } })
}

const authorised = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' })

/** What a new link is bound to: an organisation (participant and facilitator links) and a person's name. */
export interface InviteBinding {
  organisation?: string | undefined
  name?: string | undefined
}

/** A new invite link for `role` lasting `expiresInHours` (facilitators only), bound as `binding` says. */
export function createInvite(
  roomId: string,
  token: string,
  role: Role,
  expiresInHours: number,
  binding: InviteBinding = {},
): Promise<ApiResult<InviteResponse>> {
  return request(inviteResponseSchema, `/api/rooms/${roomId}/invites`, {
    method: 'POST',
    headers: authorised(token),
    body: JSON.stringify({ role, expiresInHours, organisation: binding.organisation, name: binding.name }),
  })
}

/**
 * Revokes every link of `role` (facilitators only) and answers a fresh one; with `organisation`,
 * only the role's links bound to that organisation, answering a fresh bound one. Revoking the
 * facilitator role revokes this person's own token too: the answer's token replaces it on this
 * device, and the connection closed by the revocation waits for it instead of showing the
 * "revoked" message (see identity.ts and sync/useRoomConnection.ts). (An organisation's
 * facilitator links are not offered in the invite panel, so only a whole-role revocation renews.)
 */
export function revokeInvites(
  roomId: string,
  token: string,
  role: Role,
  organisation?: string,
): Promise<ApiResult<InviteResponse>> {
  const result = request(inviteResponseSchema, `/api/rooms/${roomId}/invites/revoke`, {
    method: 'POST',
    headers: authorised(token),
    body: JSON.stringify({ role, organisation }),
  })
  if (role !== 'facilitator' || organisation !== undefined) return result
  const renewed = result.then((r) => {
    if (!r.ok) return null
    renewRoomToken(roomId, r.value.token)
    return r.value.token
  })
  expectTokenRenewal(token, renewed)
  return renewed.then(() => result)
}
