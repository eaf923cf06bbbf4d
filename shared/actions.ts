/**
 * The action log: actions ("DH will hold a workshop with the 16 areas": what, owner, due date,
 * status) and decisions (what was decided, which organisations agreed), each optionally linked to
 * a barrier, pot line or clause. One Y.Map per item; the organisations agreeing a decision are a
 * Y.Map keyed by organisation, so two partners agreeing at once both count.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { existingEntry, readEntriesInOrder } from './entryMaps.ts'
import { dueDateSchema } from './dates.ts'
import { newId } from './ids.ts'
import type { Actor } from './ledger.ts'
import { initLinks, readLinks, setLink, type Link } from './links.ts'
import { getActionsMap } from './schema.ts'
import { parseOrExplain } from './validation.ts'

export const ACTION_KINDS = ['action', 'decision'] as const
export type ActionKind = (typeof ACTION_KINDS)[number]
export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'dropped'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: 'Open',
  'in-progress': 'In progress',
  done: 'Done',
  dropped: 'Dropped',
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

export const actionFieldsSchema = z.object({
  what: text(500).min(1, 'Say what is to be done'),
  ownerOrganisation: text(120).min(1, 'Say which organisation owns the action'),
  ownerPerson: text(120),
  dueDate: dueDateSchema,
  status: z.enum(ACTION_STATUSES),
})
export type ActionFields = z.infer<typeof actionFieldsSchema>

export const decisionFieldsSchema = z.object({
  what: text(1000).min(1, 'Say what was decided'),
})
export type DecisionFields = z.infer<typeof decisionFieldsSchema>

const organisationNameSchema = z
  .string()
  .trim()
  .min(1, 'Choose an organisation')
  .max(120, 'An organisation’s name must be at most 120 characters')
/** Organisations agreeing a decision: trimmed, each named once. */
const agreedBySchema = z
  .array(organisationNameSchema)
  .max(200, 'At most 200 organisations can agree one decision')
  .transform((names) => [...new Set(names)])

const actorSchema = z.object({ userId: z.string(), name: z.string(), organisation: z.string() })

interface ItemBase {
  id: string
  createdBy: Actor
  createdAt: number
  links: Link[]
}
export interface Action extends ItemBase, ActionFields {
  kind: 'action'
}
export interface Decision extends ItemBase, DecisionFields {
  kind: 'decision'
  /** Organisations that agreed the decision, in alphabetical order. */
  agreedBy: string[]
}
export type ActionItem = Action | Decision

const DEFAULT_ACTION: ActionFields = {
  what: '(no description)',
  ownerOrganisation: '(unknown)',
  ownerPerson: '',
  dueDate: '',
  status: 'open',
}

function readBase(id: string, map: Y.Map<unknown>): ItemBase {
  const createdBy = actorSchema.safeParse(map.get('createdBy'))
  const createdAt = map.get('createdAt')
  return {
    id,
    createdBy: createdBy.success ? createdBy.data : { userId: '', name: '', organisation: '' },
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    links: readLinks(map),
  }
}

/** Reads one item; a field a peer wrote badly is read as its default, never hiding the item. */
export function readActionItem(id: string, map: Y.Map<unknown>): ActionItem {
  const base = readBase(id, map)
  if (map.get('kind') === 'decision') {
    const what = decisionFieldsSchema.shape.what.safeParse(map.get('what'))
    const agreed = map.get('agreedBy')
    const agreedBy = agreed instanceof Y.Map ? [...agreed.keys()].sort((a, b) => a.localeCompare(b, 'en-GB')) : []
    return { ...base, kind: 'decision', what: what.success ? what.data : '(no description)', agreedBy }
  }
  const fields = { ...DEFAULT_ACTION }
  for (const key of Object.keys(actionFieldsSchema.shape) as (keyof ActionFields)[]) {
    const field = actionFieldsSchema.shape[key].safeParse(map.get(key))
    if (field.success) (fields as Record<string, unknown>)[key] = field.data
  }
  return { ...base, kind: 'action', ...fields }
}

/** Items in the order they were added. */
export function readActionItems(doc: Y.Doc): ActionItem[] {
  return readEntriesInOrder(getActionsMap(doc), readActionItem)
}

function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return existingEntry(getActionsMap(doc), id, 'item')
}

function create(
  doc: Y.Doc,
  kind: ActionKind,
  fields: Record<string, unknown>,
  actor: Actor,
  now: number,
  links: readonly Link[],
): { id: string; map: Y.Map<unknown> } {
  const id = newId()
  const map = new Y.Map<unknown>()
  map.set('kind', kind)
  for (const [key, value] of Object.entries(fields)) map.set(key, value)
  map.set('createdBy', actor)
  map.set('createdAt', now)
  getActionsMap(doc).set(id, map)
  initLinks(map, links)
  return { id, map }
}

/** Adds an action and records it in the ledger. Returns its id. */
export function addAction(
  doc: Y.Doc,
  fields: ActionFields,
  actor: Actor,
  now: number,
  links: readonly Link[] = [],
): string {
  const valid = parseOrExplain(actionFieldsSchema, fields)
  let id = ''
  doc.transact(() => {
    id = create(doc, 'action', valid, actor, now, links).id
  })
  return id
}

/** Records a decision, agreed by `agreedBy`. Returns its id. */
export function addDecision(
  doc: Y.Doc,
  fields: DecisionFields,
  agreedBy: readonly string[],
  actor: Actor,
  now: number,
  links: readonly Link[] = [],
): string {
  const valid = parseOrExplain(decisionFieldsSchema, fields)
  const organisations = parseOrExplain(agreedBySchema, agreedBy)
  let id = ''
  doc.transact(() => {
    const created = create(doc, 'decision', valid, actor, now, links)
    id = created.id
    const agreed = new Y.Map<unknown>()
    created.map.set('agreedBy', agreed)
    for (const organisation of organisations) agreed.set(organisation, { by: actor, at: now })
  })
  return id
}

/** Changes fields of an action; status changes go into the ledger. */
export function updateAction(doc: Y.Doc, id: string, patch: Partial<ActionFields>, _actor: Actor, _now: number): void {
  const map = itemMap(doc, id)
  const current = readActionItem(id, map)
  if (current.kind !== 'action') throw new Error('This item is a decision, not an action.')
  const valid = parseOrExplain(actionFieldsSchema.partial(), patch)
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid) as [keyof ActionFields, string][]) {
      if (value === undefined || current[key] === value) continue
      map.set(key, value)
    }
  })
}

/** Changes what a decision says. */
export function updateDecision(doc: Y.Doc, id: string, patch: DecisionFields, _actor: Actor, _now: number): void {
  const map = itemMap(doc, id)
  const current = readActionItem(id, map)
  if (current.kind !== 'decision') throw new Error('This item is an action, not a decision.')
  const valid = parseOrExplain(decisionFieldsSchema, patch)
  if (valid.what === current.what) return
  doc.transact(() => {
    map.set('what', valid.what)
  })
}

/** Adds or withdraws an organisation's agreement to a decision, and records it. */
export function setDecisionAgreement(
  doc: Y.Doc,
  id: string,
  organisation: string,
  agreed: boolean,
  actor: Actor,
  now: number,
): void {
  const map = itemMap(doc, id)
  const current = readActionItem(id, map)
  if (current.kind !== 'decision') throw new Error('Only decisions are agreed by organisations.')
  const name = parseOrExplain(organisationNameSchema, organisation)
  if (current.agreedBy.includes(name) === agreed) return
  doc.transact(() => {
    let agreedBy = map.get('agreedBy')
    if (!(agreedBy instanceof Y.Map)) {
      agreedBy = new Y.Map<unknown>()
      map.set('agreedBy', agreedBy)
    }
    const target = agreedBy as Y.Map<unknown>
    if (agreed) target.set(name, { by: actor, at: now })
    else target.delete(name)
  })
}

export function linkActionItem(doc: Y.Doc, id: string, link: Link, linked: boolean): void {
  setLink(itemMap(doc, id), link, linked)
}

/** Removes an action or decision; the ledger keeps that it existed. */
export function deleteActionItem(doc: Y.Doc, id: string, _actor: Actor, _now: number): void {
  const map = getActionsMap(doc).get(id)
  if (!(map instanceof Y.Map)) return
  getActionsMap(doc).delete(id)
}

/** An action is overdue when it is still open or in progress after its due date. */
export function isOverdue(item: ActionItem, today: string): boolean {
  return (
    item.kind === 'action' &&
    item.dueDate !== '' &&
    item.dueDate < today &&
    (item.status === 'open' || item.status === 'in-progress')
  )
}

/** Items that link to `link` (e.g. the actions following up a barrier). */
export function itemsLinkedTo(items: readonly ActionItem[], link: Link): ActionItem[] {
  return items.filter((item) => item.links.some((l) => l.kind === link.kind && l.id === link.id))
}
