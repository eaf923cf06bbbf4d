/** Calls to the REST API, with responses checked against the shared contract. */
import {
  apiErrorSchema,
  createRoomResponseSchema,
  roomInfoSchema,
  type CreateRoomResponse,
  type RoomInfo,
} from '../shared/api.ts'
import type { z } from 'zod'

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string }

async function request<T>(schema: z.ZodType<T>, input: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(input, init)
  } catch {
    return { ok: false, status: 0, code: 'network', message: 'The Commonpot server could not be reached. Check your connection and try again.' }
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
    return { ok: false, status: response.status, code: 'http_' + response.status, message: `The server answered ${response.status}.` }
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) return { ok: false, status: response.status, code: 'bad_response', message: 'The server sent an answer this page does not understand. Reload the page.' }
  return { ok: true, value: parsed.data }
}

export function createRoom(title: string): Promise<ApiResult<CreateRoomResponse>> {
  return request(createRoomResponseSchema, '/api/rooms', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })
}

export function getRoomInfo(roomId: string, token: string): Promise<ApiResult<RoomInfo>> {
  return request(roomInfoSchema, `/api/rooms/${roomId}`, { headers: { Authorization: `Bearer ${token}` } })
}
