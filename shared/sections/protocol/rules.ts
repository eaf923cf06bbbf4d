/**
 * The rules the server enforces on protocol clauses: titles, bodies, status, positions and
 * comments (see shared/rules/sectionRules.ts for how they are called).
 */
import * as Y from 'yjs'
import { readProtocolAgreed } from '../../protocolAgreement.ts'
import {
  CLAUSE_BODY_MAX_BYTES,
  clauseStatusSchema,
  clauseTitleSchema,
  orderKeySchema,
  positionValueSchema,
  BODY_ATTRIBUTES,
  BODY_MARKS,
  BODY_NODES,
  bodyAttributeSchema,
} from '../../rules/values.ts'
import { entryOf } from '../../rules/entries.ts'
import { refuse, type Change, type Refusal, type RuleContext } from '../../rules/types.ts'
import { positionBasisFor } from '../../linkIdentity.ts'
import { BLOCK_NEEDS_REASON, checkAgreement, isClauseEditable, readClause, type ClauseStatus } from '../../protocol.ts'
import { clauseCommentSchema } from '../../protocolComments.ts'
import { DOC_KEYS } from '../../schema.ts'
import { organisationsTakingPart } from '../../workshopSettings.ts'
import {
  attributed,
  fieldsWritten,
  invalid,
  isFacilitator,
  listContent,
  lockedRefusal,
  mapOrNull,
  plainValuesAt,
  sameJson,
  writtenAt,
  type EntryRule,
} from '../../rules/ruleKit.ts'

function positionRule(
  ctx: RuleContext,
  clauseStatus: { before: ClauseStatus | null; after: ClauseStatus },
  beforePositions: Y.Map<unknown> | null,
  afterPositions: Y.Map<unknown>,
  organisation: string,
  written: readonly unknown[],
): Refusal | null {
  const previous = positionValueSchema.safeParse(beforePositions?.get(organisation))
  const previousCounts =
    previous.success && previous.data.basis !== undefined && previous.data.basis !== 'self-declared'
  if (written.length === 0) {
    if (afterPositions.has(organisation) || isFacilitator(ctx)) return null
    return previousCounts || !previous.success
      ? refuse('not_yours', 'Only the facilitator can clear a position.')
      : attributed(ctx, previous.data.by)
  }
  if (clauseStatus.before !== 'proposed' && clauseStatus.after !== 'proposed')
    return refuse('invalid', 'Positions are taken once the facilitator proposes the clause for agreement.')
  const { link } = ctx.writer
  // A link bound to an organisation speaks for that organisation alone.
  if (!isFacilitator(ctx) && link.organisation !== null && link.organisation !== organisation)
    return refuse('not_yours', `Only ${organisation} can state ${organisation}’s position.`)
  for (const value of written) {
    const parsed = positionValueSchema.safeParse(value)
    if (!parsed.success) return invalid(`${organisation}’s position`, parsed.error)
    const basis = parsed.data.basis ?? 'self-declared'
    // The basis may understate how a position was stated, never overstate it.
    if (basis !== 'self-declared' && basis !== positionBasisFor(link, organisation, basis === 'on-behalf')) {
      return refuse(
        'not_yours',
        basis === 'link'
          ? `Only ${organisation} can state ${organisation}’s position.`
          : 'Only the facilitator can record a position on an organisation’s behalf.',
      )
    }
    if (
      basis === 'self-declared' &&
      !isFacilitator(ctx) &&
      link.organisation === null &&
      parsed.data.by.organisation !== organisation
    ) {
      return refuse('not_yours', 'You can state a position for your own organisation only.')
    }
    if (previousCounts && basis === 'self-declared' && !isFacilitator(ctx))
      return refuse('not_yours', `Only ${organisation} can change ${organisation}’s position.`)
    if (parsed.data.position === 'block' && !parsed.data.reason.trim()) return refuse('invalid', BLOCK_NEEDS_REASON)
    const who = attributed(ctx, { userId: parsed.data.by.userId })
    if (who) return who
  }
  return null
}

function commentRule(
  ctx: RuleContext,
  before: Y.Map<unknown> | null,
  after: Y.Map<unknown>,
  id: string,
  written: readonly unknown[],
): Refusal | null {
  const previous = clauseCommentSchema.safeParse(before?.get(id))
  if (written.length === 0) {
    if (after.has(id) || isFacilitator(ctx)) return null
    return previous.success ? attributed(ctx, previous.data.by) : null
  }
  for (const value of written) {
    const parsed = clauseCommentSchema.safeParse(value)
    if (!parsed.success || parsed.data.id !== id) return invalid('A comment', parsed.error)
    if (!previous.success) {
      const who = attributed(ctx, parsed.data.by)
      if (who) return who
      continue
    }
    const { resolved: _before, ...stayBefore } = previous.data
    const { resolved, ...stayAfter } = parsed.data
    if (!sameJson(stayBefore, stayAfter) && !isFacilitator(ctx))
      return refuse('not_yours', 'Only its author can change a comment.')
    if (resolved) {
      const who = attributed(ctx, { userId: resolved.by.userId })
      if (who) return who
    }
  }
  return null
}

/**
 * What may go inside a clause body: elements of the editor's schema and text in the fragment and
 * in elements, attributes on elements, text and the editor's marks in text. Anything else (a map,
 * a plain value among the nodes) would break every reader of the clause, from the editor to the
 * printed agreement (found by the adversarial suite).
 */
function bodyChangeRule(change: Change): Refusal | null {
  if (change.deleted) return null
  const key = change.path[change.path.length - 1] ?? null
  const bad = refuse('invalid', 'A clause’s text holds something the editor cannot show.')
  switch (change.parentKind) {
    case 'xmlFragment':
    case 'xmlElement':
      if (key !== null) {
        if (change.parentKind !== 'xmlElement' || change.content !== 'json' || !BODY_ATTRIBUTES.has(key)) return bad
        return change.values.every((v) => bodyAttributeSchema.safeParse(v).success) ? null : bad
      }
      if (change.content !== 'type') return bad
      if (change.typeKind === 'xmlText') return null
      return change.typeKind === 'xmlElement' && change.name !== undefined && BODY_NODES.has(change.name) ? null : bad
    case 'xmlText':
      if (key !== null) return bad
      if (change.content === 'text') return null
      if (change.content !== 'format' || change.name === undefined || !BODY_MARKS.has(change.name)) return bad
      return change.values.every((v) => bodyAttributeSchema.safeParse(v).success) ? null : bad
    default:
      return bad
  }
}

function bodyBytes(body: Y.XmlFragment): number {
  // UTF-16 length is cheap (Yjs keeps it); a UTF-8 byte is at most 3 per UTF-16 unit, so only a
  // body near the cap is serialised to count exactly.
  let units = 0
  const stack: (Y.XmlFragment | Y.XmlElement | Y.XmlText)[] = [body]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node instanceof Y.XmlText) units += node.length
    else
      for (const child of node.toArray())
        if (child instanceof Y.XmlText || child instanceof Y.XmlElement) stack.push(child)
  }
  if (units * 3 <= CLAUSE_BODY_MAX_BYTES) return units * 3
  return new TextEncoder().encode(body.toString()).length
}

export const protocolRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const locked = lockedRefusal(ctx, 'protocol')
  if (locked) return locked
  const before = mapOrNull(entryOf(ctx.before, DOC_KEYS.protocol, key))
  const beforeStatus = before ? readClause(key, before).status : null
  const afterValue = entryOf(ctx.after, DOC_KEYS.protocol, key)
  if (afterValue === undefined) {
    if (beforeStatus === 'agreed')
      return refuse('agreed', 'An agreed clause cannot be removed. The facilitator can reopen it first.')
    return null
  }
  const after = mapOrNull(afterValue)
  if (!after) return invalid('A clause')
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  const created = entryReplaced || !before
  const rawStatus = clauseStatusSchema.safeParse(after.get('status'))
  if (!rawStatus.success) return invalid('A clause’s status', rawStatus.error)
  const afterStatus = rawStatus.data
  // The facilitator's mark stands only over a wholly agreed protocol (shared/protocolAgreement.ts).
  if (afterStatus !== 'agreed' && readProtocolAgreed(ctx.after))
    return refuse(
      'agreed',
      'The protocol is marked agreed as a whole. The facilitator can withdraw the mark (or reopen a clause) first.',
    )
  const written = created ? new Set(['title', 'orderKey', 'status', ...after.keys()]) : fields
  let textChanged = false
  // What this update wrote into a plain field (on a new clause, the clause as it stands).
  const valuesOf = (field: string): unknown[] | null => {
    if (created) return [after.get(field)]
    const { values, others } = writtenAt(changes, field)
    return others > 0 ? null : values
  }
  for (const field of written) {
    switch (field) {
      case 'title':
      case 'orderKey':
      case 'status': {
        const values = valuesOf(field)
        if (values === null || !after.has(field)) return invalid(`A clause’s ${field === 'orderKey' ? 'place' : field}`)
        const schema =
          field === 'title' ? clauseTitleSchema : field === 'orderKey' ? orderKeySchema : clauseStatusSchema
        for (const value of values) {
          const parsed = schema.safeParse(value)
          if (!parsed.success) return invalid(`A clause’s ${field === 'orderKey' ? 'place' : field}`, parsed.error)
        }
        if (field === 'title' && before && values.some((v) => v !== before.get('title'))) textChanged = true
        break
      }
      case 'positions':
      case 'comments':
        if (!(after.get(field) instanceof Y.Map))
          return invalid(field === 'positions' ? 'A clause’s list of positions' : 'A clause’s comment thread')
        if (field === 'positions' && !created && !isFacilitator(ctx))
          return refuse('facilitator_only', 'Only the facilitator can clear the positions on a clause.')
        break
      case 'body':
        if (!(after.get('body') instanceof Y.XmlFragment)) return invalid('A clause’s text')
        if (!created) textChanged = true
        break
      default:
        return refuse('unknown_part', `A clause has no field “${field.slice(0, 40)}”.`)
    }
  }
  const afterPositions = mapOrNull(after.get('positions'))
  const beforePositions = mapOrNull(before?.get('positions'))
  const positionsWritten = new Set<string>()
  const commentsWritten = new Set<string>()
  for (const change of deeper) {
    const field = change.path[1]
    if (field === 'body') {
      textChanged = true
      const bad = bodyChangeRule(change)
      if (bad) return bad
    } else if (field === 'positions' && change.path.length === 3 && typeof change.path[2] === 'string')
      positionsWritten.add(change.path[2])
    else if (field === 'comments' && change.path.length === 3 && typeof change.path[2] === 'string')
      commentsWritten.add(change.path[2])
    else return refuse('unknown_part', 'This change writes inside a clause where nothing belongs.')
  }
  if (created && afterPositions) for (const organisation of afterPositions.keys()) positionsWritten.add(organisation)
  if (
    beforeStatus !== null &&
    !isClauseEditable({ status: beforeStatus }) &&
    afterStatus === 'agreed' &&
    (textChanged || positionsWritten.size > 0)
  ) {
    return refuse('agreed', 'This clause is agreed: its text cannot change until the facilitator reopens it.')
  }
  if (textChanged || created) {
    const body = after.get('body')
    if (body instanceof Y.XmlFragment && bodyBytes(body) > CLAUSE_BODY_MAX_BYTES) {
      return refuse('invalid', `A clause’s text can be at most ${Math.round(CLAUSE_BODY_MAX_BYTES / 1000)} kB.`)
    }
  }
  for (const organisation of positionsWritten) {
    if (!afterPositions) return invalid('A clause’s list of positions')
    const written = created ? [afterPositions.get(organisation)] : plainValuesAt(changes, 'positions', organisation)
    if (written === null) return invalid(`${organisation.slice(0, 40)}’s position`)
    const bad = positionRule(
      ctx,
      { before: beforeStatus, after: afterStatus },
      beforePositions,
      afterPositions,
      organisation,
      written,
    )
    if (bad) return bad
  }
  const afterComments = mapOrNull(after.get('comments'))
  for (const id of commentsWritten) {
    if (!afterComments) return invalid('A comment')
    const written = created ? [afterComments.get(id)] : plainValuesAt(changes, 'comments', id)
    if (written === null) return invalid('A comment')
    const bad = commentRule(ctx, mapOrNull(before?.get('comments')), afterComments, id, written)
    if (bad) return bad
  }
  if ((beforeStatus ?? 'draft') !== afterStatus) {
    if (afterStatus === 'agreed') {
      if (!checkAgreement(readClause(key, after), organisationsTakingPart(ctx.after)).passes) {
        return refuse(
          'invalid',
          'A clause is agreed only when every organisation taking part has agreed through its own link (or the facilitator on its behalf), and none blocks.',
        )
      }
    } else if (!isFacilitator(ctx)) {
      return refuse('facilitator_only', 'Only the facilitator can propose or reopen a clause.')
    }
  }
  return null
}
