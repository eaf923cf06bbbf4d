/**
 * Snapshots (issue #8): listing, taking, reading in any export format, and restoring. Immutable
 * once written, so nothing but GET and the POSTs that take or restore one.
 */
import { Hono, type Context } from 'hono'
import * as Y from 'yjs'
import {
  createSnapshotRequestSchema,
  restoreSnapshotRequestSchema,
  type RestoreSnapshotResponse,
  type SnapshotContentResponse,
  type SnapshotList,
  type SnapshotMeta,
} from '../../../shared/api.ts'
import { buildExport, exportToMarkdown } from '../../../shared/export.ts'
import { restoreSnapshot } from '../../../shared/restore.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import { SNAPSHOT_ID, snapshotMarkdownHeader } from '../../snapshots.ts'
import type { SnapshotRecord, Store } from '../../storage/store.ts'
import { ApiException, noSuchRoom } from '../errors.ts'
import { csvOf } from '../../../shared/exportCsv.ts'
import { CSV, download, exportQuery, MARKDOWN } from '../exportFiles.ts'
import type { RequireRoom } from '../requireRoom.ts'
import { jsonBody, smallBody } from '../validate.ts'

export interface SnapshotRouteDeps {
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

/** Mounted at /api/rooms. */
export function snapshotRoutes({ store, registry, requireRoom }: SnapshotRouteDeps): Hono {
  const routes = new Hono()

  /** The room's snapshot `sid`; another room's, or none, is 404 `no_such_snapshot`. */
  const storedSnapshot = async (roomId: string, sid: string) => {
    const found = SNAPSHOT_ID.test(sid) ? await store.getSnapshot(roomId, sid) : undefined
    if (!found) throw new ApiException(404, 'no_such_snapshot', 'This workshop has no snapshot with this id.')
    return found
  }

  routes.get('/:id/snapshots', requireRoom(), async (c) => {
    const list: SnapshotList = { snapshots: (await store.listSnapshots(c.var.roomId)).map(snapshotMeta) }
    return c.json(list, 200, { 'Cache-Control': 'no-store' })
  })

  routes.post(
    '/:id/snapshots',
    smallBody,
    requireRoom('facilitator', 'take snapshots'),
    jsonBody(createSnapshotRequestSchema, '{"name": "Before the break"}'),
    async (c) => {
      const { name, author, kind } = c.req.valid('json')
      const record = await registry.takeSnapshot(c.var.roomId, {
        name,
        author: author ?? { name: 'Facilitator' },
        kind: kind ?? 'manual',
      })
      if (!record) throw noSuchRoom()
      return c.json(snapshotMeta(record), 201)
    },
  )

  routes.get('/:id/snapshots/:sid', requireRoom(), exportQuery(['json', 'md', 'csv', 'ydoc']), async (c) => {
    const { roomId } = c.var
    const { format, part } = c.req.valid('query')
    const found = await storedSnapshot(roomId, c.req.param('sid'))
    const meta = snapshotMeta(found.meta)
    // The content never changes (the ETag is its hash), but the request carries a token: not kept
    // by any cache (server/app.ts sets no-store on every room response).
    const headers = { ETag: `"${meta.sha256}"`, 'X-Content-SHA256': meta.sha256 }
    if (c.req.header('if-none-match') === headers.ETag) return c.body(null, 304, headers)
    const name = `commonpot-${roomId.slice(0, 8)}-snapshot-${meta.id.slice(0, 8)}`
    switch (format) {
      case 'ydoc':
        return c.body(found.state.slice(), 200, { ...headers, ...download('application/octet-stream', `${name}.ydoc`) })
      case 'json': {
        const response: SnapshotContentResponse = {
          snapshot: meta,
          content: exportOfState(found.state) as unknown as Record<string, unknown>,
        }
        return c.json(response, 200, headers)
      }
      case 'csv':
        return c.body(csvOf(exportOfState(found.state), part), 200, {
          ...headers,
          ...download(CSV, `${name}-${part}.csv`),
        })
      case 'md':
        return c.body(`${snapshotMarkdownHeader(meta)}\n\n${exportToMarkdown(exportOfState(found.state))}`, 200, {
          ...headers,
          ...download(MARKDOWN, `${name}.md`),
        })
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
      const before = await registry.takeSnapshot(roomId, {
        name: `Before restoring “${found.meta.name}”`.slice(0, 120),
        author,
        kind: 'manual',
      })
      const room = await registry.acquire(roomId)
      if (!before || !room) throw noSuchRoom()
      const snapshot = new Y.Doc()
      try {
        Y.applyUpdate(snapshot, found.state)
        const actor = { userId: author.userId ?? '', name: author.name, organisation: author.organisation ?? '' }
        await room.applyServerChange((doc) => restoreSnapshot(doc, snapshot, found.meta.name, actor, Date.now()))
      } finally {
        snapshot.destroy()
      }
      return c.json({
        restored: snapshotMeta(found.meta),
        before: snapshotMeta(before),
      } satisfies RestoreSnapshotResponse)
    },
  )

  const immutable = (c: Context): never => {
    throw new ApiException(405, 'method_not_allowed', 'Snapshots cannot be changed or deleted once taken.', {
      Allow: c.req.param('sid') === undefined ? 'GET, POST' : 'GET',
    })
  }
  routes.on(['PUT', 'PATCH', 'DELETE'], '/:id/snapshots', immutable)
  routes.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:id/snapshots/:sid', immutable)

  return routes
}
