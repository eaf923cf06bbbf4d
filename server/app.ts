/**
 * The HTTP surface: REST under /api, the sync endpoint, health and metrics, and the built client.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { upgradeWebSocket } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { WebSocket } from 'ws'
import {
  CLOSE_CODES,
  createInviteRequestSchema,
  createRoomRequestSchema,
  createSnapshotRequestSchema,
  restoreSnapshotRequestSchema,
  type RestoreSnapshotResponse,
  revokeInvitesRequestSchema,
  type CreateRoomResponse,
  type InviteResponse,
  type RoomInfo,
  type ServerTime,
  type SnapshotContentResponse,
  type SnapshotList,
  type SnapshotMeta,
} from '../shared/api.ts'
import { ROLES, type Role } from '../shared/roles.ts'
import { encodeNewWorkshop } from '../shared/schema.ts'
import { buildExport, exportToMarkdown, type WorkshopExport } from '../shared/export.ts'
import { restoreSnapshot } from '../shared/restore.ts'
import { USER_SECRET_PATTERN, userIdOfSecret } from '../shared/userKey.ts'
import { actionsToCsv, barriersToCsv, potToCsv, protocolToCsv } from '../shared/exportCsv.ts'
import * as Y from 'yjs'
import { z } from 'zod'
import type { Access } from './auth/access.ts'
import { newRoleKeyIds } from './auth/roomKeys.ts'
import { linkIdentityOf, TOKEN_FAILURE_MESSAGES, tokenErrorCode, tokenFromRequest, type LinkBinding, type TokenClaims, type TokenSigner } from './auth/tokens.ts'
import type { Config } from './config.ts'
import { jsonError } from './http/errors.ts'
import { securityHeaders } from './http/securityHeaders.ts'
import { staticSite } from './http/staticFiles.ts'
import { errorMessage, log } from './log.ts'
import { renderMetrics } from './metrics.ts'
import { AtCapacityError, type RoomRegistry } from './rooms/registry.ts'
import { SNAPSHOT_ID, snapshotMarkdownHeader } from './snapshots.ts'
import type { SnapshotRecord, Store } from './storage/store.ts'
import { serveConnection, type Admission, type ConnectionOptions } from './sync/connection.ts'
import { ConnectionSlots } from './sync/limits.ts'

export interface AppDeps {
  config: Config
  store: Store
  registry: RoomRegistry
  signer: TokenSigner
  access: Access
}

/** 160 random bits, URL-safe without encoding. */
export const newRoomId = (): string => randomBytes(20).toString('base64url')
const ROOM_ID = /^[A-Za-z0-9_-]{16,64}$/
const exportFormatSchema = z.enum(['json', 'md', 'csv'])
/** One table of an export as CSV. */
function csvOf(data: WorkshopExport, part: z.infer<typeof csvPartSchema>): string {
  switch (part) {
    case 'pot':
      return potToCsv(data.pot.lines)
    case 'barriers':
      return barriersToCsv(data.barriers)
    case 'actions':
      return actionsToCsv(data.actions)
    case 'protocol':
      return protocolToCsv(data.protocol.clauses)
  }
}

/** Which table a CSV export holds; the pot when not given, as before the others existed. */
const csvPartSchema = z.enum(['pot', 'barriers', 'actions', 'protocol'])
const CSV_PART_MESSAGE = 'part must be pot, barriers, actions or protocol.'
const snapshotFormatSchema = z.enum(['json', 'md', 'csv', 'ydoc'])

/** A stored snapshot's metadata as the API answers it (without the room id). */
const snapshotMeta = ({ id, name, author, kind, createdAt, size, sha256 }: SnapshotRecord): SnapshotMeta => ({ id, name, author, kind, createdAt, size, sha256 })

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

const smallBody = bodyLimit({ maxSize: 16 * 1024, onError: (c) => jsonError(c, 413, 'too_large', 'The request body is larger than 16 KiB.') })

/** The request's JSON body checked against `schema`, or the 400 answer saying what is wrong. */
async function readBody<T>(c: Context, schema: z.ZodType<T>, example: string): Promise<T | Response> {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    return jsonError(c, 400, 'bad_json', `The request body must be JSON, for example ${example}.`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) return jsonError(c, 400, 'invalid_request', parsed.error.issues.map((i) => i.message).join('; '))
  return parsed.data
}

export function createApp({ config, store, registry, signer, access }: AppDeps): Hono {
  const app = new Hono()
  app.use('*', securityHeaders())
  app.onError((error, c) => {
    if (error instanceof AtCapacityError) {
      c.header('Retry-After', '5')
      return jsonError(c, 503, 'busy', 'The server has too many workshops open right now. Try again in a few seconds.')
    }
    log('error', 'http.error', { path: c.req.path, error: errorMessage(error) })
    return jsonError(c, 500, 'internal', 'Something went wrong on the server; try again.')
  })

  const publicBase = (c: Context): string => config.publicUrl ?? new URL(c.req.url).origin
  const linkFor = (c: Context, roomId: string, token: string) => `${publicBase(c)}/r/${roomId}?token=${encodeURIComponent(token)}`

  /** A link per role under the room's current key ids, lasting TOKEN_TTL_DAYS. */
  const roleLinks = async (c: Context, roomId: string, keys: Record<Role, string | null>) => {
    const tokens = {} as Record<Role, string>
    const links = {} as Record<Role, string>
    for (const role of ROLES) {
      tokens[role] = (await signer.sign(roomId, role, keys[role])).token
      links[role] = linkFor(c, roomId, tokens[role])
    }
    return { tokens, links }
  }

  /** Who is asking, or the answer to send: 401 for a bad, expired or revoked token, 404 for no room. */
  const authenticate = async (c: Context, roomId: string): Promise<{ claims: TokenClaims } | Response> => {
    const check = await access.check(tokenFromRequest(new URL(c.req.url), c.req.header('authorization')), roomId)
    if (check.ok) return { claims: check.claims }
    if (check.reason === 'no-room') return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    return jsonError(c, 401, tokenErrorCode(check.reason), TOKEN_FAILURE_MESSAGES[check.reason])
  }

  /** Facilitator-only actions answer 403 to every other role. */
  /** A valid facilitator token for the room, or the response refusing it (401/404, or 403 naming `action`). */
  const authenticateFacilitator = async (c: Context, roomId: string, action: string): Promise<{ claims: TokenClaims } | Response> => {
    const auth = await authenticate(c, roomId)
    if (auth instanceof Response || auth.claims.role === 'facilitator') return auth
    return jsonError(c, 403, 'forbidden', `Only the facilitator can ${action}.`)
  }

  /** A new link for `role` under key id `kid`, bound to an organisation when `binding` is given. */
  const invite = async (
    c: Context,
    roomId: string,
    role: Role,
    kid: string | null,
    hours: number | undefined,
    binding?: LinkBinding,
    name?: string,
  ): Promise<InviteResponse> => {
    const signed = await signer.sign(roomId, role, kid, { ttlSeconds: hours === undefined ? undefined : hours * 3600, binding, name })
    return {
      role,
      token: signed.token,
      link: linkFor(c, roomId, signed.token),
      expiresAt: signed.expiresAt,
      organisation: binding?.organisation ?? null,
      name: name ?? null,
    }
  }

  // The shared timer runs on the server's clock: clients measure their offset against this.
  app.get('/api/time', (c) => c.json({ now: Date.now() } satisfies ServerTime, 200, { 'Cache-Control': 'no-store' }))

  app.get('/healthz', (c) => c.json({ ok: true, rooms: registry.loadedRooms, peers: registry.connectedPeers }))

  app.get('/metrics', (c) =>
    c.text(renderMetrics({ rooms_loaded: registry.loadedRooms, peers_connected: registry.connectedPeers }), 200, {
      'Content-Type': 'text/plain; version=0.0.4',
    }),
  )

  app.post('/api/rooms', smallBody, async (c) => {
    const body = await readBody(c, createRoomRequestSchema, '{"title": "Swindon families workshop"}')
    if (body instanceof Response) return body
    const roomId = newRoomId()
    const createdAt = Date.now()
    const title = body.title
    const keys = newRoleKeyIds()
    await store.createRoom({ id: roomId, title, createdAt, keys }, encodeNewWorkshop({ title, createdAt }))
    access.keys.remember(roomId, keys)
    log('info', 'room.created', { room: roomId })
    const response: CreateRoomResponse = { roomId, title, ...(await roleLinks(c, roomId, keys)) }
    return c.json(response, 201)
  })

  app.get('/api/rooms/:id', async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticate(c, roomId)
    if (auth instanceof Response) return auth
    const room = await store.getRoom(roomId)
    if (!room) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    // The facilitator can rename the workshop in the document: a loaded room answers its live title.
    const title = registry.liveTitle(roomId) ?? room.title
    const info: RoomInfo = { roomId, title, createdAt: room.createdAt, role: auth.claims.role, organisation: auth.claims.organisation, linkName: auth.claims.name }
    if (auth.claims.role === 'facilitator') info.links = (await roleLinks(c, roomId, (await access.keys.get(roomId)) ?? room.keys)).links
    return c.json(info)
  })

  app.post('/api/rooms/:id/invites', smallBody, async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticateFacilitator(c, roomId, 'create invite links')
    if (auth instanceof Response) return auth
    const body = await readBody(c, createInviteRequestSchema, '{"role": "participant", "expiresInHours": 168, "organisation": "DWP"}')
    if (body instanceof Response) return body
    const keys = await access.keys.get(roomId)
    if (!keys) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    const binding: LinkBinding | undefined =
      body.organisation === undefined
        ? undefined
        : { organisation: body.organisation, orgKid: await access.keys.ensureOrganisationKey(roomId, body.role, body.organisation) }
    // Whether the link is bound, never to what: organisation names are workshop content.
    log('info', 'invites.created', { room: roomId, role: body.role, hours: body.expiresInHours, bound: binding !== undefined })
    return c.json(await invite(c, roomId, body.role, keys[body.role], body.expiresInHours, binding, body.name), 201)
  })

  app.post('/api/rooms/:id/invites/revoke', smallBody, async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticateFacilitator(c, roomId, 'revoke invite links')
    if (auth instanceof Response) return auth
    const body = await readBody(c, revokeInvitesRequestSchema, '{"role": "participant"}')
    if (body instanceof Response) return body
    if (body.organisation !== undefined) {
      // Only this organisation's links of the role: the role's key id, and every other link, stay.
      const orgKid = await access.keys.rotateOrganisation(roomId, body.role, body.organisation)
      const keys = await access.keys.get(roomId)
      if (!keys) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
      const disconnected = registry.closeRevokedOrganisation(roomId, body.role, body.organisation, orgKid, TOKEN_FAILURE_MESSAGES.revoked)
      log('info', 'invites.revoked', { room: roomId, role: body.role, bound: true, disconnected })
      const binding = { organisation: body.organisation, orgKid }
      return c.json(await invite(c, roomId, body.role, keys[body.role], body.expiresInHours, binding, body.name), 200)
    }
    const keys = await access.keys.rotate(roomId, body.role)
    // Connections holding the old links go at once, not at their next reconnect.
    const disconnected = registry.closeRevoked(roomId, body.role, keys[body.role], TOKEN_FAILURE_MESSAGES.revoked)
    log('info', 'invites.revoked', { room: roomId, role: body.role, disconnected })
    return c.json(await invite(c, roomId, body.role, keys[body.role], body.expiresInHours, undefined, body.name), 200)
  })

  app.get('/api/rooms/:id/export', async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticate(c, roomId)
    if (auth instanceof Response) return auth
    const format = exportFormatSchema.safeParse(c.req.query('format') ?? 'json')
    if (!format.success) return jsonError(c, 400, 'bad_format', 'format must be json, md or csv.')
    const part = csvPartSchema.safeParse(c.req.query('part') ?? 'pot')
    if (!part.success) return jsonError(c, 400, 'bad_part', CSV_PART_MESSAGE)
    const data = await registry.readDocument(roomId, buildExport)
    if (!data) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    const name = `commonpot-${roomId.slice(0, 8)}`
    switch (format.data) {
      case 'json':
        return c.json(data)
      case 'md':
        return c.body(exportToMarkdown(data), 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.md"` })
      case 'csv': {
        return c.body(csvOf(data, part.data), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}-${part.data}.csv"` })
      }
    }
  })

  // Snapshots (issue #8): immutable once written, so nothing but GET and the POST that takes one.
  app.get('/api/rooms/:id/snapshots', async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticate(c, roomId)
    if (auth instanceof Response) return auth
    const list: SnapshotList = { snapshots: (await store.listSnapshots(roomId)).map(snapshotMeta) }
    return c.json(list, 200, { 'Cache-Control': 'no-store' })
  })

  app.post('/api/rooms/:id/snapshots', smallBody, async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticateFacilitator(c, roomId, 'take snapshots')
    if (auth instanceof Response) return auth
    const body = await readBody(c, createSnapshotRequestSchema, '{"name": "Before the break"}')
    if (body instanceof Response) return body
    const record = await registry.takeSnapshot(roomId, { name: body.name, author: body.author ?? { name: 'Facilitator' }, kind: body.kind ?? 'manual' })
    if (!record) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    return c.json(snapshotMeta(record), 201)
  })

  app.get('/api/rooms/:id/snapshots/:sid', async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticate(c, roomId)
    if (auth instanceof Response) return auth
    const format = snapshotFormatSchema.safeParse(c.req.query('format') ?? 'json')
    if (!format.success) return jsonError(c, 400, 'bad_format', 'format must be json, md, csv or ydoc.')
    const part = csvPartSchema.safeParse(c.req.query('part') ?? 'pot')
    if (!part.success) return jsonError(c, 400, 'bad_part', CSV_PART_MESSAGE)
    const sid = c.req.param('sid')
    const found = SNAPSHOT_ID.test(sid) ? await store.getSnapshot(roomId, sid) : undefined
    if (!found) return jsonError(c, 404, 'no_such_snapshot', 'This workshop has no snapshot with this id.')
    const meta = snapshotMeta(found.meta)
    // Immutable: any cache may keep it, but only with the token that fetched it.
    const headers = { ETag: `"${meta.sha256}"`, 'X-Content-SHA256': meta.sha256, 'Cache-Control': 'private, max-age=31536000, immutable' }
    if (c.req.header('if-none-match') === headers.ETag) return c.body(null, 304, headers)
    const name = `commonpot-${roomId.slice(0, 8)}-snapshot-${meta.id.slice(0, 8)}`
    switch (format.data) {
      case 'ydoc':
        return c.body(found.state.slice(), 200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${name}.ydoc"` })
      case 'json': {
        const response: SnapshotContentResponse = { snapshot: meta, content: exportOfState(found.state) as unknown as Record<string, unknown> }
        return c.json(response, 200, headers)
      }
      case 'csv':
        return c.body(csvOf(exportOfState(found.state), part.data), 200, {
          ...headers,
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name}-${part.data}.csv"`,
        })
      case 'md':
        return c.body(`${snapshotMarkdownHeader(meta)}\n\n${exportToMarkdown(exportOfState(found.state))}`, 200, {
          ...headers,
          'Content-Type': 'text/markdown; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name}.md"`,
        })
    }
  })

  // Restore: the live room becomes the snapshot's content as new edits everyone sees at once,
  // after a snapshot of the state before (so a restore can itself be undone).
  app.post('/api/rooms/:id/snapshots/:sid/restore', smallBody, async (c) => {
    const roomId = c.req.param('id')
    const auth = await authenticateFacilitator(c, roomId, 'restore snapshots')
    if (auth instanceof Response) return auth
    const body = await readBody(c, restoreSnapshotRequestSchema, '{"author": {"name": "Fiona"}}')
    if (body instanceof Response) return body
    const sid = c.req.param('sid')
    const found = SNAPSHOT_ID.test(sid) ? await store.getSnapshot(roomId, sid) : undefined
    if (!found) return jsonError(c, 404, 'no_such_snapshot', 'This workshop has no snapshot with this id.')
    const author = body.author ?? { name: 'Facilitator' }
    const before = await registry.takeSnapshot(roomId, { name: `Before restoring “${found.meta.name}”`.slice(0, 120), author, kind: 'manual' })
    const room = await registry.acquire(roomId)
    if (!before || !room) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    const snapshot = new Y.Doc()
    try {
      Y.applyUpdate(snapshot, found.state)
      const actor = { userId: author.userId ?? '', name: author.name, organisation: author.organisation ?? '' }
      await room.applyServerChange((doc) => restoreSnapshot(doc, snapshot, found.meta.name, actor, Date.now()))
    } finally {
      snapshot.destroy()
    }
    return c.json({ restored: snapshotMeta(found.meta), before: snapshotMeta(before) } satisfies RestoreSnapshotResponse)
  })

  const immutable = (c: Context) => {
    c.header('Allow', c.req.param('sid') === undefined ? 'GET, POST' : 'GET')
    return jsonError(c, 405, 'method_not_allowed', 'Snapshots cannot be changed or deleted once taken.')
  }
  app.on(['PUT', 'PATCH', 'DELETE'], '/api/rooms/:id/snapshots', immutable)
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/rooms/:id/snapshots/:sid', immutable)

  app.all('/api/*', (c) => jsonError(c, 404, 'not_found', 'No such API endpoint.'))

  const connectionLimits = {
    maxBufferedBytes: config.maxBufferedBytes,
    rate: config.rate,
    maxAwarenessBytes: config.maxAwarenessBytes,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    slots: new ConnectionSlots({ perIp: config.maxConnectionsPerIp, perRoom: config.maxConnectionsPerRoom }),
  }
  app.get(
    '/sync/:roomId',
    upgradeWebSocket(async (c) => {
      const roomId = c.req.param('roomId') ?? ''
      let admission: Admission
      if (!ROOM_ID.test(roomId)) {
        admission = { ok: false, code: CLOSE_CODES.noSuchRoom, reason: 'no such workshop' }
      } else {
        const url = new URL(c.req.url)
        const check = await access.check(tokenFromRequest(url, c.req.header('authorization')), roomId)
        if (check.ok) {
          const { claims } = check
          const secret = url.searchParams.get('user')
          admission = {
            ok: true,
            role: claims.role,
            kid: claims.kid,
            link: linkIdentityOf(claims),
            orgKid: claims.orgKid,
            provenUserId: secret !== null && USER_SECRET_PATTERN.test(secret) ? userIdOfSecret(secret) : null,
            recheck: () => (access.stillCurrent(roomId, claims) ? null : TOKEN_FAILURE_MESSAGES.revoked),
          }
        } else if (check.reason === 'no-room') {
          admission = { ok: false, code: CLOSE_CODES.noSuchRoom, reason: 'no such workshop' }
        } else {
          // The close reason is what the person is told (the client shows it).
          admission = { ok: false, code: CLOSE_CODES.unauthorized, reason: TOKEN_FAILURE_MESSAGES[check.reason] }
        }
      }
      const options: ConnectionOptions = { ...connectionLimits, ip: clientAddress(c, config.trustProxy) }
      return {
        onOpen(_event, ws) {
          serveConnection(ws.raw as WebSocket, roomId, admission, registry, options)
        },
      }
    }),
  )
  app.all('/sync/*', (c) => jsonError(c, 426, 'upgrade_required', 'The sync endpoint speaks the y-websocket protocol over a websocket.'))

  const site = staticSite(config.distDir)
  app.get('*', (c) => site.handle(c))

  return app
}

/**
 * The address a connection counts against. Behind a load balancer every socket comes from the
 * balancer, so with TRUST_PROXY the last X-Forwarded-For hop (the one the balancer added) is used.
 */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',')
    const last = hops?.[hops.length - 1]?.trim()
    if (last) return last
  }
  return getConnInfo(c).remote.address ?? 'unknown'
}
