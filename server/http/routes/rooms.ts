/**
 * Workshops: creating one, and what a link's holder learns about theirs.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { createRoomRequestSchema, type CreateRoomResponse, type RoomInfo } from '../../../shared/api.ts'
import { encodeNewWorkshop } from '../../../shared/schema.ts'
import type { Access } from '../../auth/access.ts'
import type { Config } from '../../config.ts'
import { newRoleKeyIds } from '../../auth/roomKeys.ts'
import { log } from '../../log.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import type { Store } from '../../storage/store.ts'
import { noSuchRoom } from '../errors.ts'
import type { Links } from '../links.ts'
import type { RequireRoom } from '../requireRoom.ts'
import { sameOriginOnly } from '../crossSite.ts'
import { organiserOnly, roomsPerAddress } from '../roomCreation.ts'
import { jsonBody, jsonContentType, smallBody } from '../validate.ts'

/** 160 random bits, URL-safe without encoding. */
export const newRoomId = (): string => randomBytes(20).toString('base64url')

export interface RoomRouteDeps {
  config: Config
  store: Store
  registry: RoomRegistry
  access: Access
  links: Links
  requireRoom: RequireRoom
}

/** Mounted at /api/rooms. */
export function roomRoutes({ config, store, registry, access, links, requireRoom }: RoomRouteDeps): Hono {
  const routes = new Hono()

  // Creating a workshop takes no link, so it is guarded on its own: only from this site's page or
  // a non-browser client, only as JSON, only with an organiser key in key mode, and only so many
  // per address; the allowance is charged last, once the request would really create one.
  routes.post(
    '/',
    sameOriginOnly(config.publicUrl),
    jsonContentType,
    organiserOnly(config),
    smallBody,
    jsonBody(createRoomRequestSchema, '{"title": "Swindon families workshop"}'),
    roomsPerAddress(config),
    async (c) => {
      const { title } = c.req.valid('json')
      const roomId = newRoomId()
      const createdAt = Date.now()
      const keys = newRoleKeyIds()
      await store.createRoom({ id: roomId, title, createdAt, keys }, encodeNewWorkshop({ title, createdAt }))
      access.keys.remember(roomId, keys)
      log('info', 'room.created', { room: roomId })
      const response: CreateRoomResponse = { roomId, title, ...(await links.forEveryRole(c, roomId, keys)) }
      return c.json(response, 201)
    },
  )

  routes.get('/:id', requireRoom(), async (c) => {
    const { roomId, claims } = c.var
    const room = await store.getRoom(roomId)
    if (!room) throw noSuchRoom()
    // The facilitator can rename the workshop in the document: a loaded room answers its live title.
    const title = registry.liveTitle(roomId) ?? room.title
    const info: RoomInfo = {
      roomId,
      title,
      createdAt: room.createdAt,
      role: claims.role,
      organisation: claims.organisation,
      linkName: claims.name,
    }
    if (claims.role === 'facilitator')
      info.links = (await links.forEveryRole(c, roomId, (await access.keys.get(roomId)) ?? room.keys)).links
    return c.json(info)
  })

  return routes
}
