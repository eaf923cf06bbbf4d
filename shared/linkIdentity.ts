/**
 * What an invite link says about whoever holds it. A link is the only credential: its role, and
 * for a link the facilitator bound to an organisation, that organisation (and optionally a person's
 * name). The server reads it from the verified token; names and organisations typed at the join
 * screen are labels, this is identity.
 */
import type { Role } from './roles.ts'

export interface LinkIdentity {
  role: Role
  /** The organisation the link is bound to; null for a general link (what its holder says is self-declared). */
  organisation: string | null
  /** The person the facilitator made the link for, if they named one: a label, prefilled at joining. */
  name: string | null
  /** A random id of this one link (null for links made before link ids existed). */
  linkId: string | null
}

/** Longest organisation a link can be bound to (as in the settings' list of organisations). */
export const LINK_ORGANISATION_MAX = 120
/** Longest person's name on a link (as at the join screen). */
export const LINK_NAME_MAX = 80

/** Only links that can edit can speak for an organisation: an observer states nothing. */
export const BINDABLE_ROLES = ['participant', 'facilitator'] as const satisfies readonly Role[]

export const isBindableRole = (role: Role): boolean => (BINDABLE_ROLES as readonly Role[]).includes(role)

/**
 * How a stated position was stated, which decides whether it counts toward agreement:
 * - 'link': by someone whose link is bound to that organisation;
 * - 'on-behalf': by a facilitator who chose to record it for an organisation their link is not bound to;
 * - 'self-declared': by someone who only said they belong to it (a general link).
 */
export const POSITION_BASES = ['link', 'on-behalf', 'self-declared'] as const
export type PositionBasis = (typeof POSITION_BASES)[number]

/**
 * The basis a position stated now for `organisation` has. `onBehalf` is the facilitator's explicit
 * choice ("on behalf of DWP"); it is never assumed, and means nothing for anyone else.
 */
export function positionBasisFor(
  link: Pick<LinkIdentity, 'role' | 'organisation'>,
  organisation: string,
  onBehalf: boolean,
): PositionBasis {
  if (link.organisation !== null && link.organisation === organisation) return 'link'
  if (onBehalf && link.role === 'facilitator') return 'on-behalf'
  return 'self-declared'
}

/**
 * The organisations a person may state a position for, each with its basis: a bound link speaks
 * for its organisation only; a general link for the organisation its holder gave (self-declared);
 * a facilitator also on behalf of any organisation taking part but the one their link is bound to
 * (their own declared one included: "on behalf of" is what makes it count, so it is offered
 * explicitly rather than assumed). The first is what the form starts on.
 */
export function positionChoices(
  link: Pick<LinkIdentity, 'role' | 'organisation'>,
  ownOrganisation: string,
  organisationsTakingPart: readonly string[],
): { organisation: string; basis: PositionBasis }[] {
  const own = link.organisation ?? ownOrganisation
  const choices: { organisation: string; basis: PositionBasis }[] = [
    { organisation: own, basis: positionBasisFor(link, own, false) },
  ]
  if (link.role !== 'facilitator') return choices
  for (const organisation of organisationsTakingPart) {
    if (organisation !== link.organisation) choices.push({ organisation, basis: 'on-behalf' })
  }
  return choices
}
