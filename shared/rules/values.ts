/**
 * What a value written into each part of the document must look like, field by field. Readers in
 * the domain modules tolerate bad values (they show defaults); these schemas are what the server
 * refuses to store in the first place, so every field has its type, range and length cap here.
 */
import { z } from 'zod'
import { actionFieldsSchema, decisionFieldsSchema, ACTION_KINDS } from '../actions.ts'
import { TITLE_MAX as WORKSHOP_TITLE_MAX } from '../api.ts'
import { barrierFieldsSchema, BARRIER_STATUSES } from '../barriers.ts'
import { parseFinancialYears } from '../financialYears.ts'
import { MAX_PENCE } from '../money.ts'
import { potLineFieldsSchema } from '../pot.ts'
import { NAME_MAX, ORGANISATION_MAX } from '../presence.ts'
import { CLAUSE_STATUSES, POSITIONS, REASON_MAX, TITLE_MAX as CLAUSE_TITLE_MAX } from '../protocol.ts'
import { roleSchema } from '../roles.ts'
import { POSITION_BASES } from '../linkIdentity.ts'

/** A clause body holds at most this many bytes of text (UTF-8), as the editor's paste limit allows. */
export const CLAUSE_BODY_MAX_BYTES = 400_000
/** A board record (one shape, binding, page…) serialised as JSON. */
export const CANVAS_RECORD_MAX_BYTES = 256 * 1024
/** An asset record (a pasted image kept inline as a data URL). */
export const CANVAS_ASSET_MAX_BYTES = 4 * 1024 * 1024
/** tldraw's serialised schema, written by the board into `meta.canvasSchema`. */
export const CANVAS_SCHEMA_MAX_BYTES = 64 * 1024
/** Any single JSON value under the facilitator's settings. */
export const SETTINGS_VALUE_MAX_BYTES = 64 * 1024

/** What a clause body may hold: the editor's schema (client/protocol/editor/ClauseEditor.tsx). */
export const BODY_NODES: ReadonlySet<string> = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'hardBreak',
])
export const BODY_MARKS: ReadonlySet<string> = new Set(['bold', 'italic', 'link'])
/** Node attributes the editor writes: a heading's level, an ordered list's start and type. */
export const BODY_ATTRIBUTES: ReadonlySet<string> = new Set(['level', 'start', 'type'])
/** A node attribute (a heading's level, a list's start) or a mark's value (a link's href and rel). */
export const bodyAttributeSchema = z.union([
  z.string().max(2000),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.record(z.string().max(40), z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()])),
])

const ID_MAX = 64
const finite = z.number().finite()

export const personSchema = z.object({
  userId: z.string().min(1).max(ID_MAX),
  name: z.string().max(NAME_MAX),
  organisation: z.string().max(ORGANISATION_MAX),
})

export const memberValueSchema = z.object({
  name: z.string().min(1).max(NAME_MAX),
  organisation: z.string().min(1).max(ORGANISATION_MAX),
  role: roleSchema,
  firstSeen: finite,
  lastSeen: finite,
  /** The member's id is the digest of a secret their browser holds (shared/userKey.ts). */
  keyed: z.boolean().optional(),
})

export const handValueSchema = z.object({
  name: z.string().max(NAME_MAX),
  organisation: z.string().max(ORGANISATION_MAX),
  at: finite,
})

export const fieldEditSchema = z.object({
  userId: z.string().min(1).max(ID_MAX),
  name: z.string().max(NAME_MAX),
  at: finite,
})

/**
 * A line's years as the grid, the add form and the import write them: empty (a line added without
 * them) or one financial year or a span in the standard form, so a hand-made update cannot store
 * "next year" or a month where finance reads a financial year.
 */
const potYearsSchema = potLineFieldsSchema.shape.years.refine((years) => {
  if (years === '') return true
  const read = parseFinancialYears(years)
  return read.ok && read.years === years
}, 'Financial years are written as 2026-27, or as a span such as 2026-27 to 2028-29')

export const POT_LINE_FIELDS: Record<string, z.ZodType> = {
  ...potLineFieldsSchema.shape,
  years: potYearsSchema,
  proposedBy: personSchema,
  createdAt: finite,
}

export const potTargetSchema = z.number().int().min(0).max(MAX_PENCE).nullable()

export const positionValueSchema = z.object({
  position: z.enum(POSITIONS),
  reason: z.string().max(REASON_MAX),
  by: personSchema,
  at: finite,
  basis: z.enum(POSITION_BASES).optional(),
})

export const clauseTitleSchema = z.string().trim().min(1).max(CLAUSE_TITLE_MAX)
export const orderKeySchema = z.string().min(1).max(200)
export const clauseStatusSchema = z.enum(CLAUSE_STATUSES)

export const BARRIER_FIELDS: Record<string, z.ZodType> = {
  ...barrierFieldsSchema.shape,
  status: z.enum(BARRIER_STATUSES),
  createdBy: personSchema,
  createdAt: finite,
}

export const ACTION_ITEM_FIELDS: Record<string, z.ZodType> = {
  kind: z.enum(ACTION_KINDS),
  ...actionFieldsSchema.shape,
  // A decision's wording may be longer than an action's; checked again by kind below.
  what: decisionFieldsSchema.shape.what,
  createdBy: personSchema,
  createdAt: finite,
}

export const agreedByValueSchema = z.object({ by: personSchema, at: finite })

export const dotValueSchema = z.object({ barrierId: z.string().min(1).max(ID_MAX), by: personSchema, at: finite })

export const workshopTitleSchema = z.string().trim().min(1).max(WORKSHOP_TITLE_MAX)

const encoder = new TextEncoder()

/** Whether a JSON value fits in `max` bytes; exact counting only near the cap (a UTF-16 unit is at most 3 bytes). */
export function jsonWithin(value: unknown, max: number): boolean {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    return false
  }
  if (text === undefined || text.length * 3 <= max) return true
  return text.length <= max && encoder.encode(text).length <= max
}
