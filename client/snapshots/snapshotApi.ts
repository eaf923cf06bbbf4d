/**
 * The snapshots REST API from the client: list (with the room's usage), take, delete, and fetch a
 * snapshot's exact state bytes,
 * checking them against the SHA-256 the server lists (where the browser can hash: crypto.subtle
 * exists only in secure contexts, so a workshop served over plain http on a LAN skips the check).
 */
import * as Y from 'yjs'
import {
  type DeleteSnapshotResponse,
  deleteSnapshotResponseSchema,
  restoreSnapshotResponseSchema,
  snapshotListSchema,
  snapshotMetaSchema,
  type CreateSnapshotRequest,
  type RestoreSnapshotRequest,
  type RestoreSnapshotResponse,
  type SnapshotList,
  type SnapshotMeta,
} from '../../shared/api.ts'
import type { Actor } from '../../shared/ledger.ts'
import { request, type ApiResult } from '../api.ts'

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

export function listSnapshots(roomId: string, token: string): Promise<ApiResult<SnapshotList>> {
  return request(snapshotListSchema, `/api/rooms/${roomId}/snapshots`, { headers: auth(token) })
}

/** Deletes a snapshot for everyone (facilitators only); the answer holds the room's usage after. */
export function deleteSnapshot(
  roomId: string,
  token: string,
  snapshotId: string,
): Promise<ApiResult<DeleteSnapshotResponse>> {
  return request(deleteSnapshotResponseSchema, `/api/rooms/${roomId}/snapshots/${snapshotId}`, {
    method: 'DELETE',
    headers: auth(token),
  })
}

/** Takes a snapshot of the live workshop now (facilitators only), credited to `author`. */
export function takeSnapshot(
  roomId: string,
  token: string,
  name: string,
  author: Actor,
  kind: 'manual' | 'auto-agenda' = 'manual',
): Promise<ApiResult<SnapshotMeta>> {
  return request(snapshotMetaSchema, `/api/rooms/${roomId}/snapshots`, {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, author, kind } satisfies CreateSnapshotRequest),
  })
}

/** Restores a snapshot into the live workshop (facilitators only); the server snapshots the state before first. */
export function restoreSnapshot(
  roomId: string,
  token: string,
  snapshotId: string,
  author: Actor,
): Promise<ApiResult<RestoreSnapshotResponse>> {
  return request(restoreSnapshotResponseSchema, `/api/rooms/${roomId}/snapshots/${snapshotId}/restore`, {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ author } satisfies RestoreSnapshotRequest),
  })
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export interface LoadedSnapshot {
  doc: Y.Doc
  /** Whether this browser checked the bytes against the listed SHA-256 (null: it cannot hash here). */
  verified: boolean | null
}

/** Loads a snapshot's state into a new document (the caller destroys it). */
export async function loadSnapshot(roomId: string, token: string, meta: SnapshotMeta): Promise<LoadedSnapshot> {
  const response = await fetch(`/api/rooms/${roomId}/snapshots/${meta.id}?format=ydoc`, { headers: auth(token) })
  if (!response.ok)
    throw new Error(
      response.status === 404 ? 'This snapshot does not exist.' : `The server answered ${response.status}.`,
    )
  const bytes = new Uint8Array(await response.arrayBuffer())
  const hash = await sha256Hex(bytes)
  if (hash !== null && hash !== meta.sha256)
    throw new Error('This snapshot’s content does not match its SHA-256: it was changed or damaged on the way.')
  const doc = new Y.Doc()
  Y.applyUpdate(doc, bytes)
  return { doc, verified: hash === null ? null : true }
}

export type OpenedSnapshot = { ok: true; meta: SnapshotMeta } & LoadedSnapshot

/**
 * Finds a snapshot of the room by id and loads its checked state (the caller destroys the doc),
 * or says in words why it cannot: no such snapshot, the server unreachable, the bytes not matching.
 */
export async function openSnapshot(
  roomId: string,
  token: string,
  snapshotId: string,
): Promise<OpenedSnapshot | { ok: false; message: string }> {
  const list = await listSnapshots(roomId, token)
  if (!list.ok) return { ok: false, message: list.message }
  const meta = list.value.snapshots.find((s) => s.id === snapshotId)
  if (!meta) return { ok: false, message: 'This snapshot does not exist in this workshop.' }
  try {
    return { ok: true, meta, ...(await loadSnapshot(roomId, token, meta)) }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
