/**
 * The locally written protocol: an ordered list of clauses, each with a co-edited body, a status,
 * and every organisation's position on it. Order uses fractional index keys so concurrent moves
 * converge; positions live in a Y.Map per clause keyed by organisation, so organisations stating
 * positions at the same moment never overwrite each other.
 *
 * A clause is agreed only when every organisation taking part has agreed or abstained, at least
 * one has agreed, and nobody blocks. Once agreed its text is read-only; reopening clears the
 * positions and is recorded in the ledger, like every position change. Each clause also carries a
 * comment thread (shared/protocolComments.ts), untouched by reopening.
 */
import * as Y from 'yjs'
import { generateKeyBetween } from 'fractional-indexing'
import { z } from 'zod'
import { newId } from './ids.ts'
import { appendLedger, ledgerEntry, type Actor, type LedgerEntry } from './ledger.ts'
import { COMMENTS_KEY, newCommentThread } from './protocolComments.ts'
import { getProtocolMap } from './schema.ts'
import { organisationsTakingPart } from './workshopSettings.ts'

export const CLAUSE_STATUSES = ['draft', 'proposed', 'agreed', 'reopened'] as const
export type ClauseStatus = (typeof CLAUSE_STATUSES)[number]
export const POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const
export type Position = (typeof POSITIONS)[number]

export const CLAUSE_STATUS_LABELS: Record<ClauseStatus, string> = { draft: 'Draft', proposed: 'Proposed', agreed: 'Agreed', reopened: 'Reopened' }
export const POSITION_LABELS: Record<Position, string> = { agree: 'Agree', abstain: 'Abstain', disagree: 'Disagree', block: 'Block' }

export const TITLE_MAX = 200
export const REASON_MAX = 2000

const positionSchema = z.object({
  position: z.enum(POSITIONS),
  reason: z.string().max(REASON_MAX),
  by: z.object({ userId: z.string(), name: z.string(), organisation: z.string() }),
  at: z.number(),
})
export type StatedPosition = z.infer<typeof positionSchema>

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

const entry = (actor: Actor, now: number, clause: Pick<Clause, 'id' | 'title'>, action: LedgerEntry['action'], field: string | null, from: LedgerEntry['from'], to: LedgerEntry['to']): LedgerEntry =>
  ledgerEntry('protocol', actor, now, clause.id, clause.title, action, field, from, to)

/** A key between two neighbours' keys (either may be missing: the start or the end). */
function keyBetween(before: string | null, after: string | null): string {
  // Guard against two clauses with the same key (concurrent inserts): a key strictly between
  // equal keys does not exist, so insert after the earlier one instead.
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null)
  return generateKeyBetween(before, after)
}

/** Adds a clause after `afterId` (or at the end), with paragraphs of body text. Returns its id. */
export function addClause(doc: Y.Doc, title: string, paragraphs: readonly string[], actor: Actor, now: number, afterId: string | null = null): string {
  const clean = title.trim()
  if (!clean) throw new Error('Give the clause a title')
  if (clean.length > TITLE_MAX) throw new Error(`The title must be at most ${TITLE_MAX} characters`)
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
    appendLedger(doc, [entry(actor, now, { id, title: clean }, 'created', null, null, clean)])
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
  blocks: { organisation: string; reason: string; by: string }[]
  disagreeing: string[]
  missing: string[]
}

/** Whether a clause can pass among `organisations`, and if not, exactly why. */
export function checkAgreement(clause: Clause, organisations: readonly string[]): AgreementCheck {
  const blocks: AgreementCheck['blocks'] = []
  const disagreeing: string[] = []
  const missing: string[] = []
  let agrees = 0
  for (const organisation of organisations) {
    const stated = clause.positions.get(organisation)
    if (!stated) missing.push(organisation)
    else if (stated.position === 'block') blocks.push({ organisation, reason: stated.reason, by: stated.by.name })
    else if (stated.position === 'disagree') disagreeing.push(organisation)
    else if (stated.position === 'agree') agrees++
  }
  // Blocks from organisations no longer taking part still count: a block is never silently dropped.
  for (const [organisation, stated] of clause.positions) {
    if (stated.position === 'block' && !organisations.includes(organisation)) blocks.push({ organisation, reason: stated.reason, by: stated.by.name })
  }
  return { passes: organisations.length > 0 && agrees > 0 && blocks.length === 0 && disagreeing.length === 0 && missing.length === 0, blocks, disagreeing, missing }
}

/** The facilitator puts a draft or reopened clause to the partners. */
export function proposeClause(doc: Y.Doc, id: string, actor: Actor, now: number): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status === 'proposed' || clause.status === 'agreed') return
  doc.transact(() => {
    map.set('status', 'proposed')
    appendLedger(doc, [entry(actor, now, clause, 'changed', 'status', clause.status, 'proposed')])
  })
}

/**
 * States `organisation`'s position on a proposed clause, then agrees the clause if that makes it
 * pass. Positions can only be stated on a proposed clause.
 */
export function statePosition(doc: Y.Doc, id: string, organisation: string, position: Position, reason: string, actor: Actor, now: number): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status !== 'proposed') throw new Error('Positions are taken once the facilitator proposes the clause for agreement.')
  if (position === 'block' && !reason.trim()) throw new Error('Say why you block, so that the clause can be changed to meet it.')
  if (reason.length > REASON_MAX) throw new Error(`The reason must be at most ${REASON_MAX} characters`)
  const before = clause.positions.get(organisation)?.position ?? null
  doc.transact(() => {
    let positions = positionsOf(map)
    if (!positions) {
      positions = new Y.Map()
      map.set('positions', positions)
    }
    positions.set(organisation, { position, reason: reason.trim(), by: actor, at: now } satisfies StatedPosition)
    appendLedger(doc, [entry(actor, now, clause, 'changed', `position:${organisation}`, before, position)])
    settleClause(doc, id, participatingOrganisations(doc), actor, now)
  })
}

/** Agrees a proposed clause whose positions now pass (also run when members or positions change). */
export function settleClause(doc: Y.Doc, id: string, organisations: readonly string[], actor: Actor, now: number): boolean {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status !== 'proposed' || !checkAgreement(clause, organisations).passes) return false
  doc.transact(() => {
    map.set('status', 'agreed')
    appendLedger(doc, [entry(actor, now, clause, 'changed', 'status', 'proposed', 'agreed')])
  })
  return true
}

/** The facilitator reopens an agreed or proposed clause: positions are cleared and it can be edited again. */
export function reopenClause(doc: Y.Doc, id: string, actor: Actor, now: number): void {
  const map = clauseMap(doc, id)
  const clause = readClause(id, map)
  if (clause.status === 'draft' || clause.status === 'reopened') return
  doc.transact(() => {
    map.set('status', 'reopened')
    map.set('positions', new Y.Map())
    appendLedger(doc, [entry(actor, now, clause, 'reopened', 'status', clause.status, 'reopened')])
  })
}

/** An agreed clause's text is read-only for everyone until it is reopened. */
export function isClauseEditable(clause: Clause): boolean {
  return clause.status !== 'agreed'
}
