import { z } from 'zod'

/** What a person may do in a workshop. The server enforces it; the client only reflects it. */
export const ROLES = ['facilitator', 'participant', 'observer'] as const
export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

/** Observers see everything live and change nothing. */
export function canEdit(role: Role): boolean {
  return role !== 'observer'
}

export const ROLE_LABELS: Record<Role, string> = {
  facilitator: 'Facilitator',
  participant: 'Participant',
  observer: 'Observer',
}
