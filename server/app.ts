/**
 * The HTTP surface: REST under /api, the sync endpoint, health and metrics, and the built client.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { upgradeWebSocket } from '@hono/node-server'
import type { WebSocket } from 'ws'
import { CLOSE_CODES, createRoomRequestSchema, type CreateRoomResponse, type RoomInfo } from '../shared/api.ts'
import { ROLES, type Role } from '../shared/roles.ts'
import { encodeNewWorkshop } from '../shared/schema.ts'
import { buildExport, exportToMarkdown } from '../shared/export.ts'
import { actionsToCsv, barriersToCsv, potToCsv } from '../shared/exportCsv.ts'
import { z } from 'zod'
import { TOKEN_FAILURE_MESSAGES, tokenFromRequest, type TokenSigner } from './auth/tokens.ts'
import type { Config } from './config.ts'
import { jsonError } from './http/errors.ts'
import { securityHeaders } from './http/securityHeaders.ts'
import { staticSite } from './http/staticFiles.ts'
import { log } from './log.ts'
import { renderMetrics } from './metrics.ts'
import type { RoomRegistry } from './rooms/registry.ts'
import type { Store } from './storage/store.ts'
import { serveConnection, type Admission } from './sync/connection.ts'

export interface AppDeps {
  config: Config
  store: Store
  registry: RoomRegistry
  signer: TokenSigner
}

/** 160 random bits, URL-safe without encoding. */
export const newRoomId = (): string => randomBytes(20).toString('base64url')
const ROOM_ID = /^[A-Za-z0-9_-]{16,64}$/
const exportFormatSchema = z.enum(['json', 'md', 'csv'])
/** Which table a CSV export holds; the pot when not given, as before barriers and actions existed. */
const csvPartSchema = z.enum(['pot', 'barriers', 'actions'])

export function createApp({ config, store, registry, signer }: AppDeps): Hono {
  const app = new Hono()
  app.use('*', securityHeaders())

  const publicBase = (c: Context): string => config.publicUrl ?? new URL(c.req.url).origin

  const roleLinks = async (c: Context, roomId: string) => {
    const tokens = {} as Record<Role, string>
    const links = {} as Record<Role, string>
    for (const role of ROLES) {
      tokens[role] = await signer.sign(roomId, role)
      links[role] = `${publicBase(c)}/r/${roomId}?token=${encodeURIComponent(tokens[role])}`
    }
    return { tokens, links }
  }

  const verifyRequest = (c: Context, roomId: string) =>
    signer.verify(tokenFromRequest(new URL(c.req.url), c.req.header('authorization')), roomId)

  app.get('/healthz', (c) => c.json({ ok: true, rooms: registry.loadedRooms, peers: registry.connectedPeers }))

  app.get('/metrics', (c) =>
    c.text(renderMetrics({ rooms_loaded: registry.loadedRooms, peers_connected: registry.connectedPeers }), 200, {
      'Content-Type': 'text/plain; version=0.0.4',
    }),
  )

  app.post(
    '/api/rooms',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => jsonError(c, 413, 'too_large', 'The request body is larger than 16 KiB.') }),
    async (c) => {
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        return jsonError(c, 400, 'bad_json', 'The request body must be JSON, for example {"title": "Swindon families workshop"}.')
      }
      const parsed = createRoomRequestSchema.safeParse(body)
      if (!parsed.success) {
        return jsonError(c, 400, 'invalid_request', parsed.error.issues.map((i) => i.message).join('; '))
      }
      const roomId = newRoomId()
      const createdAt = Date.now()
      const title = parsed.data.title
      await store.createRoom({ id: roomId, title, createdAt }, encodeNewWorkshop({ title, createdAt }))
      log('info', 'room.created', { room: roomId })
      const response: CreateRoomResponse = { roomId, title, ...(await roleLinks(c, roomId)) }
      return c.json(response, 201)
    },
  )

  app.get('/api/rooms/:id', async (c) => {
    const roomId = c.req.param('id')
    const check = await verifyRequest(c, roomId)
    if (!check.ok) return jsonError(c, 401, `token_${check.reason.replace('-', '_')}`, TOKEN_FAILURE_MESSAGES[check.reason])
    const room = await store.getRoom(roomId)
    if (!room) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    const info: RoomInfo = { roomId, title: room.title, createdAt: room.createdAt, role: check.claims.role }
    if (check.claims.role === 'facilitator') info.links = (await roleLinks(c, roomId)).links
    return c.json(info)
  })

  app.get('/api/rooms/:id/export', async (c) => {
    const roomId = c.req.param('id')
    const check = await verifyRequest(c, roomId)
    if (!check.ok) return jsonError(c, 401, `token_${check.reason.replace('-', '_')}`, TOKEN_FAILURE_MESSAGES[check.reason])
    const format = exportFormatSchema.safeParse(c.req.query('format') ?? 'json')
    if (!format.success) return jsonError(c, 400, 'bad_format', 'format must be json, md or csv.')
    const part = csvPartSchema.safeParse(c.req.query('part') ?? 'pot')
    if (!part.success) return jsonError(c, 400, 'bad_part', 'part must be pot, barriers or actions.')
    const data = await registry.readDocument(roomId, buildExport)
    if (!data) return jsonError(c, 404, 'no_such_room', 'There is no workshop with this id.')
    const name = `commonpot-${roomId.slice(0, 8)}`
    switch (format.data) {
      case 'json':
        return c.json(data)
      case 'md':
        return c.body(exportToMarkdown(data), 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.md"` })
      case 'csv': {
        const csv = part.data === 'pot' ? potToCsv(data.pot.lines) : part.data === 'barriers' ? barriersToCsv(data.barriers) : actionsToCsv(data.actions)
        return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}-${part.data}.csv"` })
      }
    }
  })

  app.all('/api/*', (c) => jsonError(c, 404, 'not_found', 'No such API endpoint.'))

  app.get(
    '/sync/:roomId',
    upgradeWebSocket(async (c) => {
      const roomId = c.req.param('roomId') ?? ''
      let admission: Admission
      if (!ROOM_ID.test(roomId)) {
        admission = { ok: false, code: CLOSE_CODES.noSuchRoom, reason: 'no such workshop' }
      } else {
        const check = await verifyRequest(c, roomId)
        admission = check.ok
          ? { ok: true, role: check.claims.role }
          : { ok: false, code: CLOSE_CODES.unauthorized, reason: `token ${check.reason}` }
      }
      return {
        onOpen(_event, ws) {
          serveConnection(ws.raw as WebSocket, roomId, admission, registry, { maxBufferedBytes: config.maxBufferedBytes })
        },
      }
    }),
  )
  app.all('/sync/*', (c) => jsonError(c, 426, 'upgrade_required', 'The sync endpoint speaks the y-websocket protocol over a websocket.'))

  const site = staticSite(config.distDir)
  app.get('*', (c) => site.handle(c))

  return app
}
