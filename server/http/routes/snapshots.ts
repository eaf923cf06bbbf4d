/**
 * Snapshots (issue #8): listing, taking, reading in any export format, restoring, and (issue #18)
 * deleting. A snapshot never changes once written, so there is no PUT or PATCH; the facilitator can
 * delete one, through the deletion service (server/snapshotDeletion.ts) and its preconditions.
 */
import { Hono, type Context } from 'hono'
import * as Y from 'yjs'
import {
  createSnapshotRequestSchema,
  type DeleteSnapshotResponse,
  restoreSnapshotRequestSchema,
  type RestoreSnapshotResponse,
  type SnapshotContentResponse,
  type SnapshotList,
  type SnapshotMeta,
  type SnapshotUsage,
} from '../../../shared/api.ts'
import { buildExport, exportToMarkdown } from '../../../shared/export.ts'
import { restoreSnapshot } from '../../../shared/restore.ts'
import type { RoomRegistry, SnapshotRequest, Taken } from '../../rooms/registry.ts'
import { RoomClosedError } from '../../rooms/room.ts'
import { SnapshotRefused } from '../../rooms/snapshotter.ts'
import { overQuotaMessage, SNAPSHOT_ID, snapshotMarkdownHeader, tooLargeMessage } from '../../snapshots.ts'
import type { SnapshotRecord, Store } from '../../storage/store.ts'
import { ApiException, noSuchRoom } from '../errors.ts'
import { csvOf } from '../../../shared/exportCsv.ts'
import { CSV, download, exportName, exportQuery, JSON_FILE, MARKDOWN } from '../exportFiles.ts'
import type { RequireRoom } from '../requireRoom.ts'
import { type OfficeFileDeps, officeFile } from '../../exports/officeFiles.ts'
import { jsonBody, smallBody } from '../validate.ts'

export interface SnapshotRouteDeps extends OfficeFileDeps {
  store: Store
  registry: RoomRegistry
  requireRoom: RequireRoom
}

/** A stored snapshot's metadata as the API answers it (without the room id). */
const snapshotMeta = ({ id, name, author, kind, createdAt, size, sha256 }: SnapshotRecord): SnapshotMeta => ({
  id,
  name,
  author,
  kind,
  createdAt,
  size,
  sha256,
})

/** The workshop export of an encoded state, through a document built for this read only. */
function exportOfState(state: Uint8Array): ReturnType<typeof buildExport> {
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
    return buildExport(doc)
  } finally {
    doc.destroy()
  }
}

/**
 * A snapshot as the facilitator asked for it (or the one a restore takes first). Over the room's
 * quota: 507 Insufficient Storage, the room's storage for snapshots being what is full, and
 * deleting snapshots making room again. A document too large for any snapshot: 413.
 */
async function takeOrRefuse(registry: RoomRegistry, roomId: string, request: SnapshotRequest): Promise<Taken> {
  let taken: Taken | undefined
  try {
    taken = await registry.takeSnapshot(roomId, request)
  } catch (error) {
    if (!(error instanceof SnapshotRefused)) throw error
    const { document, used, needed, quota, maxDocument } = error.bytes
    if (error.reason === 'too_large')
      throw new ApiException(413, 'document_too_large', tooLargeMessage(document, maxDocument))
    throw new ApiException(507, 'snapshot_quota_exceeded', overQuotaMessage(used, needed, quota))
  }
  if (!taken) throw noSuchRoom()
  return taken
}

/** What a snapshot can be downloaded as. */
const SNAPSHOT_FORMATS = ['json', 'md', 'csv', 'ydoc', 'docx', 'xlsx'] as const

/** Mounted at /api/rooms. */
export function snapshotRoutes({ store, registry, requireRoom, ...office }: SnapshotRouteDeps): Hono {
  const routes = new Hono()

  const usageOf = async (roomId: string): Promise<SnapshotUsage> => ({
    bytes: await store.snapshotBytes(roomId),
    quotaBytes: registry.snapshots.quotaBytes,
    maxDocumentBytes: registry.snapshots.maxDocumentBytes,
  })

  /** The room's snapshot `sid`; another room's, or none, is 404 `no_such_snapshot`. */
  const storedSnapshot = async (roomId: string, sid: string) => {
    const found = SNAPSHOT_ID.test(sid) ? await store.getSnapshot(roomId, sid) : undefined
    if (!found) throw new ApiException(404, 'no_such_snapshot', 'This workshop has no snapshot with this id.')
    return found
  }

  routes.get('/:id/snapshots', requireRoom(), async (c) => {
    const [snapshots, usage] = await Promise.all([store.listSnapshots(c.var.roomId), usageOf(c.var.roomId)])
    const list: SnapshotList = { snapshots: snapshots.map(snapshotMeta), usage }
    return c.json(list, 200, { 'Cache-Control': 'no-store' })
  })

  routes.post(
    '/:id/snapshots',
    smallBody,
    requireRoom('facilitator', 'take snapshots'),
    jsonBody(createSnapshotRequestSchema, '{"name": "Before the break"}'),
    async (c) => {
      const { name, author, kind } = c.req.valid('json')
      const { record, created } = await takeOrRefuse(registry, c.var.roomId, {
        name,
        author: author ?? { name: 'Facilitator' },
        kind: kind ?? 'manual',
      })
      return c.json(snapshotMeta(record), created ? 201 : 200)
    },
  )

  routes.get('/:id/snapshots/:sid', requireRoom(), exportQuery(SNAPSHOT_FORMATS), async (c) => {
    const { roomId } = c.var
    const { format, part, download: asFile } = c.req.valid('query')
    const found = await storedSnapshot(roomId, c.req.param('sid'))
    const meta = snapshotMeta(found.meta)
    // The content never changes (the ETag is its hash), but the request carries a token: not kept
    // by any cache (server/app.ts sets no-store on every room response).
    const headers = { ETag: `"${meta.sha256}"`, 'X-Content-SHA256': meta.sha256 }
    if (c.req.header('if-none-match') === headers.ETag) return c.body(null, 304, headers)
    // Named by the workshop's title and the snapshot's own day.
    const name = (title: string, what: string | null, ext: string) => exportName(title, what, ext, meta)
    if (format === 'ydoc') {
      // The bytes go out as stored, undecoded (every snapshot page and comparison loads them this
      // way): the name takes the room's stored title rather than decoding the state for it.
      const title = (await store.getRoom(roomId))?.title ?? ''
      return c.body(found.state.slice(), 200, {
        ...headers,
        ...download('application/octet-stream', name(title, null, 'ydoc')),
      })
    }
    const data = exportOfState(found.state)
    const title = data.meta.title
    switch (format) {
      case 'json': {
        const response: SnapshotContentResponse = {
          snapshot: meta,
          content: data as unknown as Record<string, unknown>,
        }
        return c.json(
          response,
          200,
          asFile ? { ...headers, ...download(JSON_FILE, name(title, null, 'json')) } : headers,
        )
      }
      case 'csv':
        return c.body(csvOf(data, part), 200, { ...headers, ...download(CSV, name(title, part, 'csv')) })
      case 'md':
        return c.body(`${snapshotMarkdownHeader(meta)}\n\n${exportToMarkdown(data)}`, 200, {
          ...headers,
          ...download(MARKDOWN, name(title, 'minutes', 'md')),
        })
      case 'docx':
      case 'xlsx': {
        const { id, name: snapshotName, sha256, createdAt } = meta
        const source = { kind: 'snapshot' as const, id, name: snapshotName, sha256, createdAt }
        const file = await officeFile(c, format, exportOfState(found.state), source, office)
        return c.body(file.body, 200, { ...headers, ...file.headers })
      }
    }
  })

  // Restore: the live room becomes the snapshot's content as new edits everyone sees at once,
  // after a snapshot of the state before (so a restore can itself be undone).
  routes.post(
    '/:id/snapshots/:sid/restore',
    smallBody,
    requireRoom('facilitator', 'restore snapshots'),
    jsonBody(restoreSnapshotRequestSchema, '{"author": {"name": "Fiona"}}'),
    async (c) => {
      const { roomId } = c.var
      const found = await storedSnapshot(roomId, c.req.param('sid'))
      const author = c.req.valid('json').author ?? { name: 'Facilitator' }
      const { record: before } = await takeOrRefuse(registry, roomId, {
        name: `Before restoring “${found.meta.name}”`.slice(0, 120),
        author,
        kind: 'manual',
      })
      const snapshot = new Y.Doc()
      try {
        Y.applyUpdate(snapshot, found.state)
        const actor = { userId: author.userId ?? '', name: author.name, organisation: author.organisation ?? '' }
        const restored = await registry
          .withRoom(roomId, async (room) => {
            await room.applyServerChange((doc) => restoreSnapshot(doc, snapshot, found.meta.name, actor, Date.now()))
            return true
          })
          .catch((error: unknown) => {
            if (!(error instanceof RoomClosedError)) throw error
            // The room was dropped before the restore was stored (its storage failed).
            throw new ApiException(
              503,
              'not_stored',
              'The workshop could not be saved just now, so nothing was restored. Try again in a moment.',
              { 'Retry-After': '5' },
            )
          })
        if (!restored) throw noSuchRoom()
      } finally {
        snapshot.destroy()
      }
      return c.json({
        restored: snapshotMeta(found.meta),
        before: snapshotMeta(before),
      } satisfies RestoreSnapshotResponse)
    },
  )

  routes.delete('/:id/snapshots/:sid', requireRoom('facilitator', 'delete snapshots'), async (c) => {
    const { roomId } = c.var
    const sid = c.req.param('sid')
    const result = SNAPSHOT_ID.test(sid)
      ? await registry.deleteSnapshot(roomId, sid)
      : { outcome: 'not_found' as const }
    switch (result.outcome) {
      case 'not_found':
        throw new ApiException(404, 'no_such_snapshot', 'This workshop has no snapshot with this id.')
      case 'refused':
        throw new ApiException(409, result.refusal.code, result.refusal.message)
      case 'deleted': {
        const response: DeleteSnapshotResponse = {
          deleted: snapshotMeta(result.snapshot),
          freedBytes: result.freedBytes,
          usage: await usageOf(roomId),
        }
        return c.json(response)
      }
    }
  })

  const immutable = (c: Context): never => {
    throw new ApiException(405, 'method_not_allowed', 'Snapshots cannot be changed once taken.', {
      Allow: c.req.param('sid') === undefined ? 'GET, POST' : 'GET, DELETE',
    })
  }
  routes.on(['PUT', 'PATCH', 'DELETE'], '/:id/snapshots', immutable)
  routes.on(['POST', 'PUT', 'PATCH'], '/:id/snapshots/:sid', immutable)

  return routes
}
