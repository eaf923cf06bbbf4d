/**
 * What each connected person publishes in awareness. Peers' states are untrusted input, so the
 * client parses them with this schema and ignores anything that does not fit.
 */
import { z } from 'zod'
import { roleSchema } from './roles.ts'

export const presenceUserSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  organisation: z.string().min(1).max(120),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  role: roleSchema,
})
export type PresenceUser = z.infer<typeof presenceUserSchema>

export const NAME_MAX = 80
export const ORGANISATION_MAX = 120

export const identitySchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(NAME_MAX, `Your name must be at most ${NAME_MAX} characters`),
  organisation: z
    .string()
    .trim()
    .min(1, 'Choose or type your organisation')
    .max(ORGANISATION_MAX, `The organisation must be at most ${ORGANISATION_MAX} characters`),
})
export type Identity = z.infer<typeof identitySchema>
