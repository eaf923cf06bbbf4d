/**
 * Barriers ("asks"): the centrally prescribed rules, systems and practices that block an area's
 * plan. Each is owned by a department and brokered by a Whitehall champion, and moves through a
 * small set of statuses. A barrier is a Y.Map, so people editing different fields both keep their
 * change; status changes follow the allowed transitions and every one goes into the ledger.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { existingEntry, readEntriesInOrder } from './entryMaps.ts'
import { dueDateSchema } from './dates.ts'
import { newId } from './ids.ts'
import type { Actor } from './ledger.ts'
import { initLinks, readLinks, setLink, type Link } from './links.ts'
import { MAX_PENCE } from './money.ts'
import { getBarriersMap } from './schema.ts'
import { parseOrExplain } from './validation.ts'

export const BARRIER_STATUSES = [
  'raised',
  'with-department',
  'escalated',
  'flexibility-agreed',
  'flexibility-refused',
  'resolved',
] as const
export type BarrierStatus = (typeof BARRIER_STATUSES)[number]
export const BARRIER_STATUS_LABELS: Record<BarrierStatus, string> = {
  raised: 'Raised',
  'with-department': 'With department',
  escalated: 'Escalated',
  'flexibility-agreed': 'Flexibility agreed',
  'flexibility-refused': 'Flexibility refused',
  resolved: 'Resolved',
}

/**
 * Where a barrier may go next. A barrier goes to its department, comes back agreed or refused,
 * may be escalated (to the champion or ministers) at any point before it is settled, and is
 * resolved once the agreed flexibility is in place or the area has worked round a refusal.
 * A resolved barrier can be raised again when it turns out not to be.
 */
export const BARRIER_TRANSITIONS: Record<BarrierStatus, readonly BarrierStatus[]> = {
  raised: ['with-department', 'escalated', 'resolved'],
  'with-department': ['flexibility-agreed', 'flexibility-refused', 'escalated', 'raised'],
  escalated: ['with-department', 'flexibility-agreed', 'flexibility-refused', 'resolved'],
  'flexibility-agreed': ['resolved', 'with-department'],
  'flexibility-refused': ['escalated', 'with-department', 'resolved'],
  resolved: ['raised'],
}

export function canMoveBarrier(from: BarrierStatus, to: BarrierStatus): boolean {
  return from === to || BARRIER_TRANSITIONS[from].includes(to)
}

export const DEPARTMENTS = ['DWP', 'DH', 'DfE', 'MoJ', 'Home Office', 'CLG', 'HM Treasury', 'BIS', 'Other'] as const
export type Department = (typeof DEPARTMENTS)[number]
export const DEPARTMENT_LABELS: Record<Department, string> = {
  DWP: 'DWP (Work and Pensions)',
  DH: 'DH (Health)',
  DfE: 'DfE (Education)',
  MoJ: 'MoJ (Justice)',
  'Home Office': 'Home Office',
  CLG: 'CLG (Communities and Local Government)',
  'HM Treasury': 'HM Treasury',
  BIS: 'BIS (Business, Innovation and Skills)',
  Other: 'Other',
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)
const count = (what: string) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(10_000_000, `${what} is too large`)
    .nullable()

/** The fields a person edits; validated wherever they come in (forms, peers, imports). */
export const barrierFieldsSchema = z.object({
  title: text(200).min(1, 'Give the barrier a title'),
  description: text(4000),
  rule: text(1000),
  department: z.enum(DEPARTMENTS),
  raisedBy: text(120).min(1, 'Say which area or organisation raises it'),
  champion: text(120),
  flexibility: text(2000),
  impactPence: z
    .number()
    .int('Amounts are whole pence')
    .min(0, 'The amount cannot be negative')
    .max(MAX_PENCE, 'The amount cannot be more than £100bn')
    .nullable(),
  familiesAffected: count('The number of families'),
  dueDate: dueDateSchema,
})
export type BarrierFields = z.infer<typeof barrierFieldsSchema>
export type BarrierField = keyof BarrierFields

export const DEFAULT_BARRIER: Omit<BarrierFields, 'title' | 'raisedBy'> = {
  description: '',
  rule: '',
  department: 'DWP',
  champion: '',
  flexibility: '',
  impactPence: null,
  familiesAffected: null,
  dueDate: '',
}

export interface Barrier extends BarrierFields {
  id: string
  status: BarrierStatus
  createdBy: Actor
  createdAt: number
  links: Link[]
}

const storedSchema = barrierFieldsSchema.extend({
  status: z.enum(BARRIER_STATUSES),
  createdBy: z.object({ userId: z.string(), name: z.string(), organisation: z.string() }),
  createdAt: z.number(),
})

/** Reads one barrier; a field a peer wrote badly is read as its default, never hiding the barrier. */
export function readBarrier(id: string, map: Y.Map<unknown>): Barrier {
  const raw = map.toJSON() as Record<string, unknown>
  const links = readLinks(map)
  const parsed = storedSchema.safeParse(raw)
  if (parsed.success) return { id, ...parsed.data, links }
  const fields: Omit<Barrier, 'id' | 'links'> = {
    ...DEFAULT_BARRIER,
    title: '(untitled barrier)',
    raisedBy: '(unknown)',
    status: 'raised',
    createdBy: { userId: '', name: '', organisation: '' },
    createdAt: 0,
  }
  const shape = storedSchema.shape
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const field = shape[key].safeParse(raw[key])
    if (field.success) (fields as Record<string, unknown>)[key] = field.data
  }
  return { id, ...fields, links }
}

/** Barriers in the order they were raised. */
export function readBarriers(doc: Y.Doc): Barrier[] {
  return readEntriesInOrder(getBarriersMap(doc), readBarrier)
}

function barrierMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return existingEntry(getBarriersMap(doc), id, 'barrier')
}

/** Raises a barrier and records it in the ledger. Returns its id. */
export function addBarrier(
  doc: Y.Doc,
  fields: BarrierFields,
  actor: Actor,
  now: number,
  links: readonly Link[] = [],
): string {
  const valid = parseOrExplain(barrierFieldsSchema, fields)
  const id = newId()
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(valid)) map.set(key, value)
    map.set('status', 'raised' satisfies BarrierStatus)
    map.set('createdBy', actor)
    map.set('createdAt', now)
    getBarriersMap(doc).set(id, map)
    initLinks(map, links)
  })
  return id
}

/** Changes fields of a barrier; only values that really change are written. */
export function updateBarrier(
  doc: Y.Doc,
  id: string,
  patch: Partial<BarrierFields>,
  _actor: Actor,
  _now: number,
): void {
  const map = barrierMap(doc, id)
  const valid = parseOrExplain(barrierFieldsSchema.partial(), patch)
  const current = readBarrier(id, map)
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid) as [BarrierField, BarrierFields[BarrierField]][]) {
      if (value === undefined || current[key] === value) continue
      map.set(key, value)
    }
  })
}

/** Moves a barrier to `status` when the transition is allowed, and records it. */
export function setBarrierStatus(doc: Y.Doc, id: string, status: BarrierStatus, _actor: Actor, _now: number): void {
  const map = barrierMap(doc, id)
  const current = readBarrier(id, map)
  if (current.status === status) return
  if (!canMoveBarrier(current.status, status)) {
    const allowed = BARRIER_TRANSITIONS[current.status].map((s) => BARRIER_STATUS_LABELS[s]).join(', ')
    throw new Error(`A barrier that is ${BARRIER_STATUS_LABELS[current.status].toLowerCase()} can move to: ${allowed}.`)
  }
  doc.transact(() => {
    map.set('status', status)
  })
}

export function linkBarrier(doc: Y.Doc, id: string, link: Link, linked: boolean): void {
  setLink(barrierMap(doc, id), link, linked)
}

/** Removes a barrier; the ledger keeps that it existed. */
export function deleteBarrier(doc: Y.Doc, id: string, _actor: Actor, _now: number): void {
  const map = getBarriersMap(doc).get(id)
  if (!(map instanceof Y.Map)) return
  getBarriersMap(doc).delete(id)
}

/** Barriers grouped by status for the board view, every status present (possibly empty). */
export function barriersByStatus(barriers: readonly Barrier[]): Record<BarrierStatus, Barrier[]> {
  const columns = Object.fromEntries(BARRIER_STATUSES.map((s) => [s, [] as Barrier[]])) as Record<
    BarrierStatus,
    Barrier[]
  >
  for (const barrier of barriers) columns[barrier.status].push(barrier)
  return columns
}
