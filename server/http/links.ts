/**
 * Invite links: a signed token for a room and role, as a URL that opens the workshop.
 */
import type { Context } from 'hono'
import type { InviteResponse } from '../../shared/api.ts'
import { ROLES, type Role } from '../../shared/roles.ts'
import type { LinkBinding, TokenSigner } from '../auth/tokens.ts'
import type { Config } from '../config.ts'

export interface NewLink {
  role: Role
  /** The role's current key id (null: none, legacy rooms). */
  kid: string | null
  /** How long the link lasts; TOKEN_TTL_DAYS when not given. */
  hours?: number
  /** The organisation whose holder the link speaks for, when it is bound to one. */
  binding?: LinkBinding
  name?: string
}

export interface Links {
  /** A link per role under the room's current key ids, lasting TOKEN_TTL_DAYS. */
  forEveryRole(
    c: Context,
    roomId: string,
    keys: Record<Role, string | null>,
  ): Promise<{ tokens: Record<Role, string>; links: Record<Role, string> }>
  /** One new link, as the invite endpoints answer it. */
  invite(c: Context, roomId: string, link: NewLink): Promise<InviteResponse>
}

export function inviteLinks(config: Pick<Config, 'publicUrl'>, signer: TokenSigner): Links {
  // PUBLIC_URL when set: behind a proxy or TLS termination the request's own origin is not the address people open.
  const publicBase = (c: Context): string => config.publicUrl ?? new URL(c.req.url).origin
  const linkFor = (c: Context, roomId: string, token: string) =>
    `${publicBase(c)}/r/${roomId}?token=${encodeURIComponent(token)}`

  return {
    async forEveryRole(c, roomId, keys) {
      const tokens = {} as Record<Role, string>
      const links = {} as Record<Role, string>
      for (const role of ROLES) {
        tokens[role] = (await signer.sign(roomId, role, keys[role])).token
        links[role] = linkFor(c, roomId, tokens[role])
      }
      return { tokens, links }
    },

    async invite(c, roomId, { role, kid, hours, binding, name }) {
      const signed = await signer.sign(roomId, role, kid, {
        ttlSeconds: hours === undefined ? undefined : hours * 3600,
        binding,
        name,
      })
      return {
        role,
        token: signed.token,
        link: linkFor(c, roomId, signed.token),
        expiresAt: signed.expiresAt,
        organisation: binding?.organisation ?? null,
        name: name ?? null,
      }
    },
  }
}
