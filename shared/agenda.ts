/**
 * The workshop's agenda: items with timeboxes, in an order the facilitator sets, and the item the
 * room is on now. It lives in the facilitator's settings (only they write it). Order uses
 * fractional index keys like the protocol, so a move is one small write.
 */
import * as Y from 'yjs'
import { generateKeyBetween } from 'fractional-indexing'
import { z } from 'zod'
import { newId } from './ids.ts'
import { getSettingsMap } from './schema.ts'
import { parseOrExplain } from './validation.ts'

export const AGENDA_TITLE_MAX = 200
export const AGENDA_MAX_MINUTES = 480

export const agendaFieldsSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'Give the agenda item a title')
    .max(AGENDA_TITLE_MAX, `The title must be at most ${AGENDA_TITLE_MAX} characters`),
  minutes: z
    .number()
    .int('Minutes must be a whole number')
    .min(1, 'An item lasts at least one minute')
    .max(AGENDA_MAX_MINUTES, `An item lasts at most ${AGENDA_MAX_MINUTES} minutes`),
})
export type AgendaFields = z.infer<typeof agendaFieldsSchema>
const storedSchema = agendaFieldsSchema.extend({ orderKey: z.string() })

export interface AgendaItem extends AgendaFields {
  id: string
  orderKey: string
}

export interface Agenda {
  items: AgendaItem[]
  /** The item the room is on; null before the first or after the last. */
  currentId: string | null
  /** Sum of every item's timebox. */
  totalMinutes: number
}

function itemsMap(doc: Y.Doc, create: boolean): Y.Map<unknown> | null {
  const settings = getSettingsMap(doc)
  const existing = settings.get('agenda')
  if (existing instanceof Y.Map) return existing
  if (!create) return null
  const map = new Y.Map<unknown>()
  settings.set('agenda', map)
  return map
}

export function readAgenda(doc: Y.Doc): Agenda {
  const items: AgendaItem[] = []
  itemsMap(doc, false)?.forEach((value, id) => {
    const parsed = storedSchema.safeParse(value)
    if (parsed.success) items.push({ id, ...parsed.data })
  })
  items.sort((a, b) => (a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : a.id.localeCompare(b.id)))
  const current = getSettingsMap(doc).get('currentItem')
  return {
    items,
    currentId: typeof current === 'string' && items.some((i) => i.id === current) ? current : null,
    totalMinutes: items.reduce((sum, i) => sum + i.minutes, 0),
  }
}

/** Adds an item at the end. Returns its id. */
export function addAgendaItem(doc: Y.Doc, fields: AgendaFields): string {
  const valid = parseOrExplain(agendaFieldsSchema, fields)
  const last = readAgenda(doc).items.at(-1)
  const id = newId(8)
  doc.transact(() => {
    itemsMap(doc, true)!.set(id, { ...valid, orderKey: generateKeyBetween(last?.orderKey ?? null, null) })
  })
  return id
}

export function updateAgendaItem(doc: Y.Doc, id: string, patch: Partial<AgendaFields>): void {
  const item = readAgenda(doc).items.find((i) => i.id === id)
  if (!item) throw new Error('This agenda item no longer exists.')
  const valid = parseOrExplain(agendaFieldsSchema, {
    title: patch.title ?? item.title,
    minutes: patch.minutes ?? item.minutes,
  })
  itemsMap(doc, true)!.set(id, { ...valid, orderKey: item.orderKey })
}

export function removeAgendaItem(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    itemsMap(doc, false)?.delete(id)
    if (getSettingsMap(doc).get('currentItem') === id) getSettingsMap(doc).delete('currentItem')
  })
}

/** Moves an item one place up (-1) or down (+1). */
export function moveAgendaItem(doc: Y.Doc, id: string, step: -1 | 1): void {
  const { items } = readAgenda(doc)
  const index = items.findIndex((i) => i.id === id)
  const target = index + step
  if (index < 0 || target < 0 || target >= items.length) return
  const [before, after] = step === -1 ? [items[target - 1], items[target]] : [items[target], items[target + 1]]
  const item = items[index]!
  const orderKey = generateKeyBetween(before?.orderKey ?? null, after?.orderKey ?? null)
  itemsMap(doc, true)!.set(id, { title: item.title, minutes: item.minutes, orderKey })
}

/** Puts the room on an item (null: none). */
export function setCurrentAgendaItem(doc: Y.Doc, id: string | null): void {
  if (id === null) getSettingsMap(doc).delete('currentItem')
  else if (readAgenda(doc).items.some((i) => i.id === id)) getSettingsMap(doc).set('currentItem', id)
  else throw new Error('This agenda item no longer exists.')
}

/** The item after the current one (the first when none is current); null at the end. */
export function nextAgendaItem(agenda: Agenda): AgendaItem | null {
  if (agenda.currentId === null) return agenda.items[0] ?? null
  const index = agenda.items.findIndex((i) => i.id === agenda.currentId)
  return agenda.items[index + 1] ?? null
}
