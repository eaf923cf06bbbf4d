/**
 * Invite links the facilitator makes and revokes, for a role and, if they choose, one organisation.
 */
import { Hono } from 'hono'
import { createInviteRequestSchema, revokeInvitesRequestSchema } from '../../../shared/api.ts'
import type { Access } from '../../auth/access.ts'
import { TOKEN_FAILURE_MESSAGES, type LinkBinding } from '../../auth/tokens.ts'
import { log } from '../../log.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import { noSuchRoom } from '../errors.ts'
import type { Links } from '../links.ts'
import type { RequireRoom } from '../requireRoom.ts'
import { jsonBody, smallBody } from '../validate.ts'

export interface InviteRouteDeps {
  registry: RoomRegistry
  access: Access
  links: Links
  requireRoom: RequireRoom
}

/** Mounted at /api/rooms. */
export function inviteRoutes({ registry, access, links, requireRoom }: InviteRouteDeps): Hono {
  const routes = new Hono()

  routes.post(
    '/:id/invites',
    smallBody,
    requireRoom('facilitator', 'create invite links'),
    jsonBody(createInviteRequestSchema, '{"role": "participant", "expiresInHours": 168, "organisation": "DWP"}'),
    async (c) => {
      const { roomId } = c.var
      const { role, expiresInHours, organisation, name } = c.req.valid('json')
      const keys = await access.keys.get(roomId)
      if (!keys) throw noSuchRoom()
      const binding: LinkBinding | undefined =
        organisation === undefined
          ? undefined
          : { organisation, orgKid: await access.keys.ensureOrganisationKey(roomId, role, organisation) }
      // Whether the link is bound, never to what: organisation names are workshop content.
      log('info', 'invites.created', { room: roomId, role, hours: expiresInHours, bound: binding !== undefined })
      return c.json(await links.invite(c, roomId, { role, kid: keys[role], hours: expiresInHours, binding, name }), 201)
    },
  )

  routes.post(
    '/:id/invites/revoke',
    smallBody,
    requireRoom('facilitator', 'revoke invite links'),
    jsonBody(revokeInvitesRequestSchema, '{"role": "participant"}'),
    async (c) => {
      const { roomId } = c.var
      const { role, expiresInHours, organisation, name } = c.req.valid('json')
      if (organisation !== undefined) {
        // Only this organisation's links of the role: the role's key id, and every other link, stay.
        const orgKid = await access.keys.rotateOrganisation(roomId, role, organisation)
        const keys = await access.keys.get(roomId)
        if (!keys) throw noSuchRoom()
        const disconnected = registry.closeRevokedOrganisation(
          roomId,
          role,
          organisation,
          orgKid,
          TOKEN_FAILURE_MESSAGES.revoked,
        )
        log('info', 'invites.revoked', { room: roomId, role, bound: true, disconnected })
        return c.json(
          await links.invite(c, roomId, {
            role,
            kid: keys[role],
            hours: expiresInHours,
            binding: { organisation, orgKid },
            name,
          }),
          200,
        )
      }
      const keys = await access.keys.rotate(roomId, role)
      // Connections holding the old links go at once, not at their next reconnect.
      const disconnected = registry.closeRevoked(roomId, role, keys[role], TOKEN_FAILURE_MESSAGES.revoked)
      log('info', 'invites.revoked', { room: roomId, role, disconnected })
      return c.json(await links.invite(c, roomId, { role, kid: keys[role], hours: expiresInHours, name }), 200)
    },
  )

  return routes
}
