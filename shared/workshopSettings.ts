/**
 * The facilitator's settings for a workshop: its title, the organisations taking part, and which
 * sections are locked. Only facilitators write them (the server refuses anyone else's change, see
 * shared/permissions.ts); locking and unlocking are recorded in the ledger.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { TITLE_MAX } from './api.ts'
import type { Actor } from './ledger.ts'
import { ORGANISATIONS } from './organisations.ts'
import type { LockableSection } from './permissions.ts'
import { getMembersMap, getMetaMap, getSettingsMap, readMeta } from './schema.ts'

const lockSchema = z.object({
  by: z.object({ userId: z.string(), name: z.string(), organisation: z.string() }),
  at: z.number(),
})
export type Lock = z.infer<typeof lockSchema>

/** Nested maps are created on first use; only the facilitator writes here, so there is no race to lose. */
function nestedMap(doc: Y.Doc, key: string): Y.Map<unknown> {
  const settings = getSettingsMap(doc)
  const existing = settings.get(key)
  if (existing instanceof Y.Map) return existing
  const created = new Y.Map<unknown>()
  settings.set(key, created)
  return created
}

function readNested(doc: Y.Doc, key: string): Y.Map<unknown> | null {
  const value = getSettingsMap(doc).get(key)
  return value instanceof Y.Map ? value : null
}

/** Locked sections with who locked them and when. */
export function readLocks(doc: Y.Doc): Map<LockableSection, Lock> {
  const locks = new Map<LockableSection, Lock>()
  const stored = readNested(doc, 'locks')
  if (!stored) return locks
  // Keyed by section; a key that is not a lockable section's locks nothing (shared/permissions.ts).
  for (const [key, value] of stored) {
    const lock = lockSchema.safeParse(value)
    if (lock.success) locks.set(key, lock.data)
  }
  return locks
}

/** Locks or unlocks a section and records it in the ledger. */
export function setLock(doc: Y.Doc, section: LockableSection, locked: boolean, actor: Actor, now: number): void {
  if (readLocks(doc).has(section) === locked) return
  doc.transact(() => {
    const locks = nestedMap(doc, 'locks')
    if (locked) locks.set(section, { by: actor, at: now } satisfies Lock)
    else locks.delete(section)
  })
}

export const organisationGroupSchema = z.enum(['area', 'department', 'partner'])
export type OrganisationGroupKind = z.infer<typeof organisationGroupSchema>
export const ORGANISATION_GROUP_LABELS: Record<OrganisationGroupKind, string> = {
  area: 'Areas',
  department: 'Whitehall departments',
  partner: 'Local partners',
}
const takingPartSchema = z.object({ group: organisationGroupSchema, addedAt: z.number() })
export const ORGANISATION_MAX = 120

export interface TakingPart {
  organisation: string
  group: OrganisationGroupKind
}

/** Organisations the facilitator listed as taking part, by group then name; empty when none are listed. */
export function readTakingPart(doc: Y.Doc): TakingPart[] {
  const stored = readNested(doc, 'organisations')
  const out: TakingPart[] = []
  stored?.forEach((value, organisation) => {
    const parsed = takingPartSchema.safeParse(value)
    if (parsed.success && organisation.trim()) out.push({ organisation, group: parsed.data.group })
  })
  const order = organisationGroupSchema.options
  return out.sort(
    (a, b) => order.indexOf(a.group) - order.indexOf(b.group) || a.organisation.localeCompare(b.organisation, 'en-GB'),
  )
}

/** Adds or removes an organisation taking part. */
export function setTakingPart(
  doc: Y.Doc,
  organisation: string,
  group: OrganisationGroupKind | null,
  _actor: Actor,
  now: number,
): void {
  const name = organisation.trim()
  if (!name) throw new Error('Enter the organisation’s name')
  if (name.length > ORGANISATION_MAX)
    throw new Error(`An organisation’s name must be at most ${ORGANISATION_MAX} characters`)
  const current = readTakingPart(doc).find((t) => t.organisation === name)
  if ((current?.group ?? null) === group) return
  doc.transact(() => {
    const organisations = nestedMap(doc, 'organisations')
    if (group === null) organisations.delete(name)
    else organisations.set(name, { group, addedAt: now })
  })
}

/**
 * Organisations taking part, for sign-off, voting and organisation lists: those the facilitator
 * listed, or when none are listed, those of everyone who joined with edit rights.
 */
export function organisationsTakingPart(doc: Y.Doc): string[] {
  const listed = readTakingPart(doc)
  if (listed.length > 0) return listed.map((t) => t.organisation).sort((a, b) => a.localeCompare(b, 'en-GB'))
  const organisations = new Set<string>()
  getMembersMap(doc).forEach((member) => {
    if (member && member.role !== 'observer' && typeof member.organisation === 'string')
      organisations.add(member.organisation)
  })
  return [...organisations].sort((a, b) => a.localeCompare(b, 'en-GB'))
}

/** Suggestions for an organisation field: those taking part first, then the programme's list. */
export function organisationSuggestions(takingPart: readonly string[]): string[] {
  const listed = new Set(takingPart)
  return [...takingPart, ...ORGANISATIONS.filter((o) => !listed.has(o))]
}

/** Renames the workshop (the facilitator's alone) and records it. */
export function setWorkshopTitle(doc: Y.Doc, title: string, _actor: Actor, _now: number): void {
  const clean = title.trim()
  if (!clean) throw new Error('The workshop needs a title')
  if (clean.length > TITLE_MAX) throw new Error(`The title must be at most ${TITLE_MAX} characters`)
  const before = readMeta(doc).title
  if (before === clean) return
  doc.transact(() => {
    getMetaMap(doc).set('title', clean)
  })
}
