/**
 * What the section rules share: how a rule is called, reading what an update wrote under an entry,
 * checking fields against their schemas, and who a value may name. Each section's own rules live
 * with the section (shared/sections/<name>/rules.ts); shared/rules/sectionRules.ts calls them.
 */
import * as Y from 'yjs'
import type { z } from 'zod'
import { refuse, type Change, type Refusal, type RuleContext } from './types.ts'
import { readLedger, type LedgerArea } from '../ledger.ts'
import { parseLinkKey } from '../links.ts'
import { mayWrite, type LockableSection } from '../permissions.ts'

export type EntryRule = (ctx: RuleContext, key: string | null, changes: readonly Change[]) => Refusal | null

export const isFacilitator = (ctx: RuleContext) => ctx.writer.link.role === 'facilitator'

export const mapOrNull = (value: unknown): Y.Map<unknown> | null => (value instanceof Y.Map ? value : null)

export function lockedRefusal(ctx: RuleContext, section: LockableSection): Refusal | null {
  const verdict = mayWrite(ctx.writer.link.role, section, null, ctx.locked)
  return verdict.ok ? null : refuse('locked', verdict.reason)
}

export function invalid(what: string, error?: z.ZodError): Refusal {
  const detail = error?.issues[0]?.message
  return refuse('invalid', detail ? `${what}: ${detail}.` : `${what} is not valid.`)
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * A table's entry for a name a peer chose, by own property only: `fields['constructor']` would
 * otherwise be Object's, and a rule would throw or wave it through (found by the adversarial suite).
 */
export function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/**
 * A person named in a value (who proposed, stated, commented…) must be the writer: their user id
 * (bound at first use, see RuleContext.claimUser) and, for a link bound to an organisation, that
 * organisation. Facilitators record for anyone.
 */
export function attributed(ctx: RuleContext, person: { userId: string; organisation?: string }): Refusal | null {
  if (isFacilitator(ctx)) return null
  if (!ctx.claimUser(person.userId)) return refuse('not_yours', 'You can only act in your own name.')
  const bound = ctx.writer.link.organisation
  if (bound !== null && person.organisation !== undefined && person.organisation !== bound) {
    return refuse('not_yours', `Your link is for ${bound}: you can only act for ${bound}.`)
  }
  return null
}

/** Who the server recorded as creating an entry (the ledger's `created` entry for it), if anyone. */
export function createdBy(doc: Y.Doc, area: LedgerArea, subject: string): string | null {
  for (const entry of readLedger(doc))
    if (entry.area === area && entry.subject === subject && entry.action === 'created' && entry.link)
      return entry.by.userId
  return null
}

/**
 * The writer of an entry that an update creates must be the person it names as its creator, unless
 * the entry is one the server recorded that person creating, brought back as it was: undoing its
 * removal (shared/sectionUndo.ts) names whoever first made it, and is not acting in their name.
 */
export function createdOrBroughtBack(
  ctx: RuleContext,
  area: LedgerArea,
  key: string,
  creator: { userId: string; organisation?: string },
): Refusal | null {
  const who = attributed(ctx, creator)
  if (who && createdBy(ctx.before, area, key) === creator.userId) return null
  return who
}

/** Checks a plain field written under an entry: a known field name and a valid value. */
export function checkField(
  fields: Record<string, z.ZodType>,
  label: string,
  map: Y.Map<unknown>,
  field: string,
): Refusal | null {
  const schema = own(fields, field)
  if (!schema) return refuse('unknown_part', `${label} has no field “${field.slice(0, 40)}”.`)
  if (!map.has(field)) return refuse('invalid', `${label} needs its ${field}.`)
  const parsed = schema.safeParse(map.get(field))
  return parsed.success ? null : invalid(`${label}’s ${field}`, parsed.error)
}

/**
 * What this update itself wrote at `keys` below an entry: the plain values of the items it
 * inserted there, and how many of them were something else (a nested type, text). Rules judge
 * these, not the merged state: when two people write one field at once, the one whose write Yjs
 * ranks lower still wrote only their own value, and is judged on that.
 */
export function writtenAt(changes: readonly Change[], ...keys: string[]): { values: unknown[]; others: number } {
  const values: unknown[] = []
  let others = 0
  for (const change of changes) {
    if (change.deleted || change.path.length !== keys.length + 1) continue
    if (!keys.every((k, i) => change.path[i + 1] === k)) continue
    if (change.content === 'json') values.push(...change.values)
    else others++
  }
  return { values, others }
}

/** The plain values written at `keys`, or null when something else was written there (text, a type). */
export function plainValuesAt(changes: readonly Change[], ...keys: string[]): unknown[] | null {
  const { values, others } = writtenAt(changes, ...keys)
  return others > 0 ? null : values
}

/** Checks what this update wrote into a plain field of an existing entry. */
export function checkWrittenField(
  fields: Record<string, z.ZodType>,
  label: string,
  after: Y.Map<unknown>,
  changes: readonly Change[],
  field: string,
): Refusal | null {
  const schema = own(fields, field)
  if (!schema) return refuse('unknown_part', `${label} has no field “${field.slice(0, 40)}”.`)
  if (!after.has(field)) return refuse('invalid', `${label} needs its ${field}.`)
  const { values, others } = writtenAt(changes, field)
  if (others > 0) return invalid(`${label}’s ${field}`)
  for (const value of values) {
    const parsed = schema.safeParse(value)
    if (!parsed.success) return invalid(`${label}’s ${field}`, parsed.error)
  }
  return null
}

/** The fields directly under an entry that this update wrote, and whether anything deeper changed. */
export function fieldsWritten(changes: readonly Change[]): {
  fields: Set<string>
  deeper: Change[]
  entryReplaced: boolean
} {
  const fields = new Set<string>()
  const deeper: Change[] = []
  let entryReplaced = false
  for (const change of changes) {
    if (change.path.length === 1) entryReplaced = true
    else if (change.path.length === 2 && typeof change.path[1] === 'string') fields.add(change.path[1])
    else deeper.push(change)
  }
  return { fields, deeper, entryReplaced }
}

export const listContent: EntryRule = () =>
  refuse('unknown_part', 'This change writes list content where the workshop keeps named entries.')

/** Checks what an update wrote into an entry's `links` map (barriers, actions: links between entries). */
export function linksRule(label: string, after: Y.Map<unknown>, deeper: readonly Change[]): Refusal | null {
  const links = mapOrNull(after.get('links'))
  for (const change of deeper) {
    const linkKey = change.path[2]
    if (change.path[1] !== 'links' || change.path.length !== 3 || linkKey === null || linkKey === undefined)
      return refuse('unknown_part', `This change writes inside ${label.toLowerCase()} where nothing belongs.`)
    if (!links) return invalid(`${label}’s list of links`)
    if (change.deleted) continue
    if (parseLinkKey(linkKey) === null || change.content !== 'json' || change.values.some((v) => v !== true))
      return invalid(`${label}’s link`)
  }
  return null
}
