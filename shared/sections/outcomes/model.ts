/**
 * Outcomes and success measures: what the partners agree should change for families, how they
 * will know (a measure, a baseline, a target) and which organisation answers for it. Each outcome
 * is a Y.Map in the top-level map `outcomes`, so two people editing different fields of the same
 * outcome both keep their change. Unlike a barrier's, an outcome's status has no fixed path: a
 * partnership may agree an outcome, find it at risk, then drop it, in any order.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { existingEntry, readEntriesInOrder } from '../../entryMaps.ts'
import { newId } from '../../ids.ts'
import { actorSchema, type Actor } from '../../ledger.ts'
import { parseOrExplain } from '../../validation.ts'

/** The top-level map of the document that holds the outcomes; also the section's key, ledger area and lock. */
export const OUTCOMES_KEY = 'outcomes'

export const OUTCOME_STATUSES = ['proposed', 'agreed', 'on-track', 'at-risk', 'met', 'dropped'] as const
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number]
export const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, string> = {
  proposed: 'Proposed',
  agreed: 'Agreed',
  'on-track': 'On track',
  'at-risk': 'At risk',
  met: 'Met',
  dropped: 'Dropped',
}

export const OUTCOME_LIMITS = {
  outcome: 200,
  measure: 500,
  baseline: 200,
  target: 200,
  ownerOrganisation: 120,
} as const

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

/** The fields a person edits; validated wherever they come in (forms, peers, imports). */
export const outcomeFieldsSchema = z.object({
  outcome: text(OUTCOME_LIMITS.outcome).min(1, 'Say what should change for families'),
  measure: text(OUTCOME_LIMITS.measure),
  baseline: text(OUTCOME_LIMITS.baseline),
  target: text(OUTCOME_LIMITS.target),
  ownerOrganisation: text(OUTCOME_LIMITS.ownerOrganisation),
  status: z.enum(OUTCOME_STATUSES, {
    error: `Choose a status: ${OUTCOME_STATUSES.map((s) => OUTCOME_STATUS_LABELS[s]).join(', ')}`,
  }),
})
export type OutcomeFields = z.infer<typeof outcomeFieldsSchema>
export type OutcomeField = keyof OutcomeFields

/** The fields' names in table headings, exports and sentences ("target 5 per term → 4 per term"). */
export const OUTCOME_FIELD_LABELS: Record<OutcomeField, string> = {
  outcome: 'Outcome',
  measure: 'Measure',
  baseline: 'Baseline',
  target: 'Target',
  ownerOrganisation: 'Owner',
  status: 'Status',
}

export const DEFAULT_OUTCOME: Omit<OutcomeFields, 'outcome'> = {
  measure: '',
  baseline: '',
  target: '',
  ownerOrganisation: '',
  status: 'proposed',
}

export interface Outcome extends OutcomeFields {
  id: string
  createdBy: Actor
  createdAt: number
}

const storedSchema = outcomeFieldsSchema.extend({
  createdBy: actorSchema,
  createdAt: z.number(),
})

export function getOutcomesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(OUTCOMES_KEY)
}

/** Reads one outcome; a field a peer wrote badly is read as its default, never hiding the outcome. */
export function readOutcome(id: string, map: Y.Map<unknown>): Outcome {
  const raw = map.toJSON() as Record<string, unknown>
  const parsed = storedSchema.safeParse(raw)
  if (parsed.success) return { id, ...parsed.data }
  const fields: Omit<Outcome, 'id'> = {
    ...DEFAULT_OUTCOME,
    outcome: '(untitled outcome)',
    createdBy: { userId: '', name: '', organisation: '' },
    createdAt: 0,
  }
  const shape = storedSchema.shape
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const field = shape[key].safeParse(raw[key])
    if (field.success) (fields as Record<string, unknown>)[key] = field.data
  }
  return { id, ...fields }
}

/** Outcomes in the order they were added. */
export function readOutcomes(doc: Y.Doc): Outcome[] {
  return readEntriesInOrder(getOutcomesMap(doc), readOutcome)
}

function outcomeMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return existingEntry(getOutcomesMap(doc), id, 'outcome')
}

/** Adds an outcome in `actor`'s name. Returns its id. */
export function addOutcome(doc: Y.Doc, fields: OutcomeFields, actor: Actor, now: number): string {
  const valid = parseOrExplain(outcomeFieldsSchema, fields)
  const id = newId()
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(valid)) map.set(key, value)
    map.set('createdBy', { userId: actor.userId, name: actor.name, organisation: actor.organisation })
    map.set('createdAt', now)
    getOutcomesMap(doc).set(id, map)
  })
  return id
}

/**
 * Changes fields of an outcome. Only values that really change are written, so a field someone
 * else is editing is not overwritten with the value this person merely saw.
 */
export function updateOutcome(doc: Y.Doc, id: string, patch: Partial<OutcomeFields>): void {
  const map = outcomeMap(doc, id)
  const valid = parseOrExplain(outcomeFieldsSchema.partial(), patch)
  const current = readOutcome(id, map)
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid) as [OutcomeField, OutcomeFields[OutcomeField]][]) {
      if (value === undefined || current[key] === value) continue
      map.set(key, value)
    }
  })
}

/** Removes an outcome; the ledger keeps that it existed. */
export function deleteOutcome(doc: Y.Doc, id: string): void {
  const outcomes = getOutcomesMap(doc)
  if (outcomes.get(id) instanceof Y.Map) outcomes.delete(id)
}
