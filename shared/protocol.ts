/**
 * The locally written protocol: an ordered list of clauses, each with a co-edited body, a status,
 * and every organisation's position on it. Order uses fractional index keys so concurrent moves
 * converge; positions live in a Y.Map per clause keyed by organisation, so organisations stating
 * positions at the same moment never overwrite each other.
 *
 * A clause is agreed only when every organisation taking part has agreed or abstained, at least
 * one has agreed, and nobody blocks. Only positions that speak for their organisation count:
 * stated through a link bound to it, or recorded on its behalf by the facilitator. A self-declared
 * position (a general link's holder saying which organisation they are from) is shown, never
 * counted: a self-declared agreement agrees nothing, and a self-declared block is shown as an
 * objection but blocks nothing (anyone can type any organisation; the organisation's own link or
 * the facilitator can turn it into a position that counts). Once agreed its text is read-only; reopening clears the
 * positions and is recorded in the ledger, like every position change. Each clause also carries a
 * comment thread (shared/protocolComments.ts), untouched by reopening.
 */
import * as Y from 'yjs'
import { generateKeyBetween } from 'fractional-indexing'
import { z } from 'zod'
import { newId } from './ids.ts'
import type { Actor } from './ledger.ts'
import { POSITION_BASES, type PositionBasis } from './linkIdentity.ts'
import { COMMENTS_KEY, newCommentThread } from './protocolComments.ts'
import { getProtocolMap, getSettingsMap } from './schema.ts'
import { organisationsTakingPart } from './workshopSettings.ts'

export const CLAUSE_STATUSES = ['draft', 'proposed', 'agreed', 'reopened'] as const
export type ClauseStatus = (typeof CLAUSE_STATUSES)[number]
export const POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const
export type Position = (typeof POSITIONS)[number]

export const CLAUSE_STATUS_LABELS: Record<ClauseStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  agreed: 'Agreed',
  reopened: 'Reopened',
}
export const POSITION_LABELS: Record<Position, string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  disagree: 'Disagree',
  block: 'Block',
}

export const TITLE_MAX = 200

/**
 * The settings key of the facilitator's mark that the whole protocol is agreed
 * (shared/protocolAgreement.ts); named here because reopening a clause withdraws it.
 */
export const PROTOCOL_AGREED_KEY = 'protocolAgreed'
export const REASON_MAX = 2000
/** Why a block without a reason is refused, wherever it is checked. */
export const BLOCK_NEEDS_REASON = 'Say why you block, so that the clause can be changed to meet it.'

/**
 * One organisation's stated position, as stored under the clause's `positions` map. `by` is the
 * person who stated it (their own organisation, which for 'on-behalf' is not the one keyed).
 * `basis` is absent in positions stated before links could be bound: those read as self-declared.
 */
export const positionSchema = z.object({
  position: z.enum(POSITIONS),
  reason: z.string().max(REASON_MAX),
  by: z.object({ userId: z.string(), name: z.string(), organisation: z.string() }),
  at: z.number(),
  basis: z.enum(POSITION_BASES).default('self-declared'),
})
export type StatedPosition = z.infer<typeof positionSchema>

/** Whether a position speaks for its organisation, and so counts toward agreement. */
export const positionCounts = (stated: Pick<StatedPosition, 'basis'>): boolean => stated.basis !== 'self-declared'

/** Short words for a position's basis, beside the position (the sign-off matrix, lists). */
export const POSITION_BASIS_LABELS: Record<PositionBasis, string> = {
  link: 'by link',
  'on-behalf': 'on behalf',
  'self-declared': 'self-declared',
}

/**
 * How a position was stated, in words: "stated through DWP’s link by Dana Smith", "on behalf,
 * recorded by Fiona, facilitator", "self-declared by Pat".
 */
export function positionBasisText(organisation: string, stated: Pick<StatedPosition, 'basis' | 'by'>): string {
  if (stated.basis === 'link') return `stated through ${organisation}’s link by ${stated.by.name}`
  if (stated.basis === 'on-behalf') return `on behalf, recorded by ${stated.by.name}, facilitator`
  // Anything else (an export from before bases, read as it came) is what it always was: self-declared.
  return `self-declared by ${stated.by.name}`
}

export interface Clause {
  id: string
  orderKey: string
  title: string
  status: ClauseStatus
  /** Organisation → its stated position (malformed entries from peers are left out). */
  positions: Map<string, StatedPosition>
}

/** The co-edited body (TipTap / y-prosemirror document) of a clause. */
export function clauseBody(doc: Y.Doc, id: string): Y.XmlFragment | null {
  const body = getProtocolMap(doc).get(id)?.get('body')
  return body instanceof Y.XmlFragment ? body : null
}

function clauseMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = getProtocolMap(doc).get(id)
  if (!(map instanceof Y.Map)) throw new Error('This clause no longer exists: someone may have removed it.')
  return map
}

function positionsOf(map: Y.Map<unknown>): Y.Map<unknown> | null {
  const positions = map.get('positions')
  return positions instanceof Y.Map ? positions : null
}

export function readClause(id: string, map: Y.Map<unknown>): Clause {
  const positions = new Map<string, StatedPosition>()
  positionsOf(map)?.forEach((value, organisation) => {
    const parsed = positionSchema.safeParse(value)
    if (parsed.success) positions.set(organisation, parsed.data)
  })
  const status = z.enum(CLAUSE_STATUSES).safeParse(map.get('status'))
  const title = map.get('title')
  const orderKey = map.get('orderKey')
  return {
    id,
    orderKey: typeof orderKey === 'string' ? orderKey : '',
    title: typeof title === 'string' ? title : '',
    status: status.success ? status.data : 'draft',
    positions,
  }
}

/** Clauses in order; equal keys (two people inserting at the same place) fall back to id order. */
export function readClauses(doc: Y.Doc): Clause[] {
  const clauses: Clause[] = []
  getProtocolMap(doc).forEach((map, id) => {
    if (map instanceof Y.Map) clauses.push(readClause(id, map))
  })
  return clauses.sort((a, b) => (a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : a.id < b.id ? -1 : 1))
}

/** A key between two neighbours' keys (either may be missing: the start or the end). */
function keyBetween(before: string | null, after: string | null): string {
  // Guard against two clauses with the same key (concurrent inserts): a key strictly between
  // equal keys does not exist, so insert after the earlier one instead.
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null)
  return generateKeyBetween(before, after)
}

/** Adds a clause after `afterId` (or at the end), with paragraphs of body text. Returns its id. */
export function addClause(
  doc: Y.Doc,
  title: string,
  paragraphs: readonly string[],
  _actor: Actor,
  _now: number,
  afterId: string | null = null,
): string {
  const clean = title.trim()
  if (!clean) throw new Error('Give the clause a title')
  if (clean.length > TITLE_MAX) throw new Error(`The title must be at most ${TITLE_MAX} characters`)
  if (getSettingsMap(doc).has(PROTOCOL_AGREED_KEY))
    throw new Error('The protocol is marked agreed. The facilitator can withdraw the mark to add a clause.')
  const clauses = readClauses(doc)
  const at = afterId === null ? clauses.length - 1 : clauses.findIndex((c) => c.id === afterId)
  const orderKey = keyBetween(clauses[at]?.orderKey ?? null, clauses[at + 1]?.orderKey ?? null)
  const id = newId()
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    map.set('title', clean)
    map.set('orderKey', orderKey)
    map.set('status', 'draft')
    map.set('positions', new Y.Map())
    map.set(COMMENTS_KEY, newCommentThread())
    const body = new Y.XmlFragment()
    map.set('body', body)
    getProtocolMap(doc).set(id, map)
    body.insert(
      0,
      paragraphs.map((text) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(text)])
        return paragraph
      }),
    )
  })
  return id
}

/** Moves a clause to sit between two others (null: the start or the end). */
export function moveClause(doc: Y.Doc, id: string, beforeId: string | null, afterId: string | null): void {
  const clauses = readClauses(doc)
  const before = beforeId === null ? null : (clauses.find((c) => c.id === beforeId)?.orderKey ?? null)
  const after = afterId === null ? null : (clauses.find((c) => c.id === afterId)?.orderKey ?? null)
  clauseMap(doc, id).set('orderKey', keyBetween(before, after))
}

/** Moves a clause one place up (-1) or down (+1), for keyboard reordering. */
export function moveClauseBy(doc: Y.Doc, id: string, step: -1 | 1): void {
  const clauses = readClauses(doc)
  const index = clauses.findIndex((c) => c.id === id)
  const target = index + step
  if (index < 0 || target < 0 || target >= clauses.length) return
  if (step === -1) moveClause(doc, id, clauses[target - 1]?.id ?? null, clauses[target]!.id)
  else moveClause(doc, id, clauses[target]!.id, clauses[target + 1]?.id ?? null)
}

/** Organisations taking part: the facilitator's list, else everyone who joined with edit rights. */
export function participatingOrganisations(doc: Y.Doc): string[] {
  return organisationsTakingPart(doc)
}

export interface AgreementCheck {
  passes: boolean
  /** Blocks that count (through the organisation's link or on its behalf). */
  blocks: { organisation: string; reason: string; by: string }[]
  disagreeing: string[]
  /** Organisations taking part without a position that counts (a self-declared one does not). */
  missing: string[]
  /** Self-declared positions: shown, never counted; a self-declared block is an objection that blocks nothing. */
  selfDeclared: { organisation: string; position: Position; reason: string; by: string }[]
}

/** Whether a clause can pass among `organisations`, and if not, exactly why. */
export function checkAgreement(clause: Clause, organisations: readonly string[]): AgreementCheck {
  const blocks: AgreementCheck['blocks'] = []
  const disagreeing: string[] = []
  const missing: string[] = []
  const selfDeclared: AgreementCheck['selfDeclared'] = []
  let agrees = 0
  for (const organisation of organisations) {
    const stated = clause.positions.get(organisation)
    if (!stated || !positionCounts(stated)) missing.push(organisation)
    else if (stated.position === 'block') blocks.push({ organisation, reason: stated.reason, by: stated.by.name })
    else if (stated.position === 'disagree') disagreeing.push(organisation)
    else if (stated.position === 'agree') agrees++
  }
  for (const [organisation, stated] of clause.positions) {
    if (!positionCounts(stated))
      selfDeclared.push({ organisation, position: stated.position, reason: stated.reason, by: stated.by.name })
    // Blocks from organisations no longer taking part still count: a block is never silently dropped.
    else if (stated.position === 'block' && !organisations.includes(organisation))
      blocks.push({ organisation, reason: stated.reason, by: stated.by.name })
  }
  return {
    passes:
      organisations.length > 0 && agrees > 0 && blocks.length === 0 && disagreeing.length === 0 && missing.length === 0,
    blocks,
    disagreeing,
    missing,
    selfDeclared,
  }
}

/** The facilitator puts a draft or reopened clause to the partners. */
export function proposeClause(doc: Y.Doc, id: string, _actor: Actor, _now: number): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status === 'proposed' || clause.status === 'agreed') return
  doc.transact(() => {
    map.set('status', 'proposed')
  })
}

/**
 * States `organisation`'s position on a proposed clause, then agrees the clause if that makes it
 * pass. Positions can only be stated on a proposed clause. `basis` is how it is stated
 * (shared/linkIdentity.ts `positionBasisFor`); only 'link' and 'on-behalf' count toward agreement.
 */
export function statePosition(
  doc: Y.Doc,
  id: string,
  organisation: string,
  position: Position,
  reason: string,
  actor: Actor,
  now: number,
  basis: PositionBasis = 'self-declared',
): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status !== 'proposed')
    throw new Error('Positions are taken once the facilitator proposes the clause for agreement.')
  if (position === 'block' && !reason.trim()) throw new Error(BLOCK_NEEDS_REASON)
  if (reason.length > REASON_MAX) throw new Error(`The reason must be at most ${REASON_MAX} characters`)
  doc.transact(() => {
    let positions = positionsOf(map)
    if (!positions) {
      positions = new Y.Map()
      map.set('positions', positions)
    }
    positions.set(organisation, { position, reason: reason.trim(), by: actor, at: now, basis } satisfies StatedPosition)
    settleClause(doc, id, participatingOrganisations(doc), actor, now)
  })
}

/** Agrees a proposed clause whose positions now pass (also run when members or positions change). */
export function settleClause(
  doc: Y.Doc,
  id: string,
  organisations: readonly string[],
  _actor: Actor,
  _now: number,
): boolean {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status !== 'proposed' || !checkAgreement(clause, organisations).passes) return false
  doc.transact(() => {
    map.set('status', 'agreed')
  })
  return true
}

/** The facilitator reopens an agreed or proposed clause: positions are cleared and it can be edited again. */
export function reopenClause(doc: Y.Doc, id: string, _actor: Actor, _now: number): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status === 'draft' || clause.status === 'reopened') return
  doc.transact(() => {
    map.set('status', 'reopened')
    map.set('positions', new Y.Map())
    // A protocol with a reopened clause is no longer agreed as a whole (the server refuses otherwise).
    const settings = getSettingsMap(doc)
    if (settings.has(PROTOCOL_AGREED_KEY)) settings.delete(PROTOCOL_AGREED_KEY)
  })
}

/** An agreed clause's text is read-only for everyone until it is reopened. */
export function isClauseEditable(clause: Pick<Clause, 'status'>): boolean {
  return clause.status !== 'agreed'
}
