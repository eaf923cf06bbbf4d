/**
 * The rules the server enforces on every update, part by part of the document. Each rule is given
 * what the update did to one entry of one top-level type (a pot line, a clause, a member record…),
 * the document before and after, and who wrote it; it returns a refusal or null.
 *
 * The rules rest on the same domain functions the browser asks before offering an edit
 * (shared/permissions.ts `mayWrite` for roles and locks, shared/protocol.ts `checkAgreement` and
 * `isClauseEditable`, shared/linkIdentity.ts `positionBasisFor`, shared/barriers.ts
 * `canMoveBarrier`, the domain schemas through ./values.ts), so the interface and the server
 * cannot drift apart.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { ACTION_ITEM_FIELDS, agreedByValueSchema, BARRIER_FIELDS, CANVAS_ASSET_MAX_BYTES, CANVAS_RECORD_MAX_BYTES, CANVAS_SCHEMA_MAX_BYTES, CLAUSE_BODY_MAX_BYTES, clauseStatusSchema, clauseTitleSchema, dotValueSchema, fieldEditSchema, handValueSchema, jsonWithin, memberValueSchema, orderKeySchema, POT_LINE_FIELDS, positionValueSchema, potTargetSchema, SETTINGS_VALUE_MAX_BYTES, workshopTitleSchema, BODY_ATTRIBUTES, BODY_MARKS, BODY_NODES, bodyAttributeSchema } from './values.ts'
import { entryOf, groupByEntry } from './entries.ts'
import { refuse, type Change, type Refusal, type RuleContext } from './types.ts'
import { actionFieldsSchema } from '../actions.ts'
import { canMoveBarrier, BARRIER_STATUS_LABELS, type BarrierStatus } from '../barriers.ts'
import { positionBasisFor } from '../linkIdentity.ts'
import { readLedger, type LedgerArea } from '../ledger.ts'
import { parseLinkKey } from '../links.ts'
import { LOCKABLE_SECTIONS, mayWrite, SECTION_KEYS, type LockableSection } from '../permissions.ts'
import { checkAgreement, isClauseEditable, readClause, type ClauseStatus } from '../protocol.ts'
import { clauseCommentSchema } from '../protocolComments.ts'
import { DOC_KEYS } from '../schema.ts'
import { organisationsTakingPart } from '../workshopSettings.ts'

type EntryRule = (ctx: RuleContext, key: string | null, changes: readonly Change[]) => Refusal | null

const isFacilitator = (ctx: RuleContext) => ctx.writer.link.role === 'facilitator'

const mapOrNull = (value: unknown): Y.Map<unknown> | null => (value instanceof Y.Map ? value : null)

function lockedRefusal(ctx: RuleContext, section: LockableSection): Refusal | null {
  const verdict = mayWrite(ctx.writer.link.role, SECTION_KEYS[section][0]!, null, ctx.locked)
  return verdict.ok ? null : refuse('locked', verdict.reason)
}

function invalid(what: string, error?: z.ZodError): Refusal {
  const detail = error?.issues[0]?.message
  return refuse('invalid', detail ? `${what}: ${detail}.` : `${what} is not valid.`)
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * A table's entry for a name a peer chose, by own property only: `fields['constructor']` would
 * otherwise be Object's, and a rule would throw or wave it through (found by the adversarial suite).
 */
function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/**
 * A person named in a value (who proposed, stated, commented…) must be the writer: their user id
 * (bound at first use, see RuleContext.claimUser) and, for a link bound to an organisation, that
 * organisation. Facilitators record for anyone.
 */
function attributed(ctx: RuleContext, person: { userId: string; organisation?: string }): Refusal | null {
  if (isFacilitator(ctx)) return null
  if (!ctx.claimUser(person.userId)) return refuse('not_yours', 'You can only act in your own name.')
  const bound = ctx.writer.link.organisation
  if (bound !== null && person.organisation !== undefined && person.organisation !== bound) {
    return refuse('not_yours', `Your link is for ${bound}: you can only act for ${bound}.`)
  }
  return null
}

/** Who the server recorded as creating an entry (the ledger's `created` entry for it), if anyone. */
function createdBy(doc: Y.Doc, area: LedgerArea, subject: string): string | null {
  for (const entry of readLedger(doc)) if (entry.area === area && entry.subject === subject && entry.action === 'created' && entry.link) return entry.by.userId
  return null
}

/** Checks a plain field written under an entry: a known field name and a valid value. */
function checkField(fields: Record<string, z.ZodType>, label: string, map: Y.Map<unknown>, field: string): Refusal | null {
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
function writtenAt(changes: readonly Change[], ...keys: string[]): { values: unknown[]; others: number } {
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
function plainValuesAt(changes: readonly Change[], ...keys: string[]): unknown[] | null {
  const { values, others } = writtenAt(changes, ...keys)
  return others > 0 ? null : values
}

/** Checks what this update wrote into a plain field of an existing entry. */
function checkWrittenField(fields: Record<string, z.ZodType>, label: string, after: Y.Map<unknown>, changes: readonly Change[], field: string): Refusal | null {
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
function fieldsWritten(changes: readonly Change[]): { fields: Set<string>; deeper: Change[]; entryReplaced: boolean } {
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

const listContent: EntryRule = () => refuse('unknown_part', 'This change writes list content where the workshop keeps named entries.')

// ---- pot ------------------------------------------------------------------------------------

const potRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const locked = lockedRefusal(ctx, 'pot')
  if (locked) return locked
  const before = mapOrNull(entryOf(ctx.before, DOC_KEYS.pot, key))
  const afterValue = entryOf(ctx.after, DOC_KEYS.pot, key)
  if (afterValue === undefined) return null // a line removed
  const after = mapOrNull(afterValue)
  if (!after) return invalid('A pot line')
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  if (deeper.length > 0) return refuse('unknown_part', 'A pot line holds plain values only.')
  if (entryReplaced || !before) return newPotLine(ctx, key, after)
  for (const field of fields) {
    if (field === 'proposedBy' || field === 'createdAt') {
      const { values, others } = writtenAt(changes, field)
      if (values.length + others > 0 || !after.has(field)) return refuse('not_yours', 'Who proposed a pot line, and when, cannot be changed.')
      continue
    }
    if (field.startsWith('edit.')) {
      if (!own(POT_LINE_FIELDS, field.slice(5))) return refuse('unknown_part', `A pot line has no field “${field.slice(0, 40)}”.`)
      const { values, others } = writtenAt(changes, field)
      if (others > 0) return invalid('A pot line’s edit record')
      for (const value of values) {
        const edit = fieldEditSchema.safeParse(value)
        if (!edit.success) return invalid('A pot line’s edit record', edit.error)
        const who = attributed(ctx, edit.data)
        if (who) return who
      }
      continue
    }
    const bad = checkWrittenField(POT_LINE_FIELDS, 'A pot line', after, changes, field)
    if (bad) return bad
  }
  return null
}

/** A line this update adds (or brings back): whole, valid, and proposed by the writer. */
function newPotLine(ctx: RuleContext, key: string, after: Y.Map<unknown>): Refusal | null {
  for (const field of new Set([...Object.keys(POT_LINE_FIELDS), ...after.keys()])) {
    if (field.startsWith('edit.')) {
      const edit = fieldEditSchema.safeParse(after.get(field))
      if (!edit.success || !own(POT_LINE_FIELDS, field.slice(5))) return invalid('A pot line’s edit record', edit.error)
      continue
    }
    const schema = own(POT_LINE_FIELDS, field)
    if (!schema) return refuse('unknown_part', `A pot line has no field “${field.slice(0, 40)}”.`)
    const parsed = schema.safeParse(after.get(field))
    if (!parsed.success) return after.has(field) ? invalid(`A pot line’s ${field}`, parsed.error) : refuse('invalid', `A pot line needs its ${field}.`)
  }
  const proposedBy = after.get('proposedBy') as { userId: string; organisation: string }
  let who = attributed(ctx, proposedBy)
  for (const field of after.keys()) {
    if (who || !field.startsWith('edit.')) continue
    who = attributed(ctx, fieldEditSchema.parse(after.get(field)))
  }
  // Undoing a removal brings the line back as it was, proposed by whoever first proposed it and
  // last edited by whoever did: the server's own record of the line's creation says it existed.
  if (who && createdBy(ctx.before, 'pot', key) === proposedBy.userId) return null
  return who
}

// ---- protocol -------------------------------------------------------------------------------

function positionRule(ctx: RuleContext, clauseStatus: { before: ClauseStatus | null; after: ClauseStatus }, beforePositions: Y.Map<unknown> | null, afterPositions: Y.Map<unknown>, organisation: string, written: readonly unknown[]): Refusal | null {
  const previous = positionValueSchema.safeParse(beforePositions?.get(organisation))
  const previousCounts = previous.success && previous.data.basis !== undefined && previous.data.basis !== 'self-declared'
  if (written.length === 0) {
    if (afterPositions.has(organisation) || isFacilitator(ctx)) return null
    return previousCounts || !previous.success ? refuse('not_yours', 'Only the facilitator can clear a position.') : attributed(ctx, previous.data.by)
  }
  if (clauseStatus.before !== 'proposed' && clauseStatus.after !== 'proposed') return refuse('invalid', 'Positions are taken once the facilitator proposes the clause for agreement.')
  const { link } = ctx.writer
  // A link bound to an organisation speaks for that organisation alone.
  if (!isFacilitator(ctx) && link.organisation !== null && link.organisation !== organisation) return refuse('not_yours', `Only ${organisation} can state ${organisation}’s position.`)
  for (const value of written) {
    const parsed = positionValueSchema.safeParse(value)
    if (!parsed.success) return invalid(`${organisation}’s position`, parsed.error)
    const basis = parsed.data.basis ?? 'self-declared'
    // The basis may understate how a position was stated, never overstate it.
    if (basis !== 'self-declared' && basis !== positionBasisFor(link, organisation, basis === 'on-behalf')) {
      return refuse('not_yours', basis === 'link' ? `Only ${organisation} can state ${organisation}’s position.` : 'Only the facilitator can record a position on an organisation’s behalf.')
    }
    if (basis === 'self-declared' && !isFacilitator(ctx) && link.organisation === null && parsed.data.by.organisation !== organisation) {
      return refuse('not_yours', 'You can state a position for your own organisation only.')
    }
    if (previousCounts && basis === 'self-declared' && !isFacilitator(ctx)) return refuse('not_yours', `Only ${organisation} can change ${organisation}’s position.`)
    if (parsed.data.position === 'block' && !parsed.data.reason.trim()) return refuse('invalid', 'Say why you block, so that the clause can be changed to meet it.')
    const who = attributed(ctx, { userId: parsed.data.by.userId })
    if (who) return who
  }
  return null
}

function commentRule(ctx: RuleContext, before: Y.Map<unknown> | null, after: Y.Map<unknown>, id: string, written: readonly unknown[]): Refusal | null {
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
    if (!sameJson(stayBefore, stayAfter) && !isFacilitator(ctx)) return refuse('not_yours', 'Only its author can change a comment.')
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
    else for (const child of node.toArray()) if (child instanceof Y.XmlText || child instanceof Y.XmlElement) stack.push(child)
  }
  if (units * 3 <= CLAUSE_BODY_MAX_BYTES) return units * 3
  return new TextEncoder().encode(body.toString()).length
}

const protocolRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const locked = lockedRefusal(ctx, 'protocol')
  if (locked) return locked
  const before = mapOrNull(entryOf(ctx.before, DOC_KEYS.protocol, key))
  const beforeStatus = before ? readClause(key, before).status : null
  const afterValue = entryOf(ctx.after, DOC_KEYS.protocol, key)
  if (afterValue === undefined) {
    if (beforeStatus === 'agreed') return refuse('agreed', 'An agreed clause cannot be removed. The facilitator can reopen it first.')
    return null
  }
  const after = mapOrNull(afterValue)
  if (!after) return invalid('A clause')
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  const created = entryReplaced || !before
  const rawStatus = clauseStatusSchema.safeParse(after.get('status'))
  if (!rawStatus.success) return invalid('A clause’s status', rawStatus.error)
  const afterStatus = rawStatus.data
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
        const schema = field === 'title' ? clauseTitleSchema : field === 'orderKey' ? orderKeySchema : clauseStatusSchema
        for (const value of values) {
          const parsed = schema.safeParse(value)
          if (!parsed.success) return invalid(`A clause’s ${field === 'orderKey' ? 'place' : field}`, parsed.error)
        }
        if (field === 'title' && before && values.some((v) => v !== before.get('title'))) textChanged = true
        break
      }
      case 'positions':
      case 'comments':
        if (!(after.get(field) instanceof Y.Map)) return invalid(field === 'positions' ? 'A clause’s list of positions' : 'A clause’s comment thread')
        if (field === 'positions' && !created && !isFacilitator(ctx)) return refuse('facilitator_only', 'Only the facilitator can clear the positions on a clause.')
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
    }
    else if (field === 'positions' && change.path.length === 3 && typeof change.path[2] === 'string') positionsWritten.add(change.path[2])
    else if (field === 'comments' && change.path.length === 3 && typeof change.path[2] === 'string') commentsWritten.add(change.path[2])
    else return refuse('unknown_part', 'This change writes inside a clause where nothing belongs.')
  }
  if (created && afterPositions) for (const organisation of afterPositions.keys()) positionsWritten.add(organisation)
  if (beforeStatus !== null && !isClauseEditable({ status: beforeStatus }) && afterStatus === 'agreed' && (textChanged || positionsWritten.size > 0)) {
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
    const bad = positionRule(ctx, { before: beforeStatus, after: afterStatus }, beforePositions, afterPositions, organisation, written)
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
        return refuse('invalid', 'A clause is agreed only when every organisation taking part has agreed through its own link (or the facilitator on its behalf), and none blocks.')
      }
    } else if (!isFacilitator(ctx)) {
      return refuse('facilitator_only', 'Only the facilitator can propose or reopen a clause.')
    }
  }
  return null
}

// ---- barriers -------------------------------------------------------------------------------

function linksRule(label: string, after: Y.Map<unknown>, deeper: readonly Change[]): Refusal | null {
  const links = mapOrNull(after.get('links'))
  for (const change of deeper) {
    const linkKey = change.path[2]
    if (change.path[1] !== 'links' || change.path.length !== 3 || linkKey === null || linkKey === undefined) return refuse('unknown_part', `This change writes inside ${label.toLowerCase()} where nothing belongs.`)
    if (!links) return invalid(`${label}’s list of links`)
    if (change.deleted) continue
    if (parseLinkKey(linkKey) === null || change.content !== 'json' || change.values.some((v) => v !== true)) return invalid(`${label}’s link`)
  }
  return null
}

const barrierRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const locked = lockedRefusal(ctx, 'barriers')
  if (locked) return locked
  const before = mapOrNull(entryOf(ctx.before, DOC_KEYS.barriers, key))
  const afterValue = entryOf(ctx.after, DOC_KEYS.barriers, key)
  if (afterValue === undefined) return null
  const after = mapOrNull(afterValue)
  if (!after) return invalid('A barrier')
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  const created = entryReplaced || !before
  const written = created ? new Set([...Object.keys(BARRIER_FIELDS), ...after.keys()]) : fields
  for (const field of written) {
    if (field === 'links') {
      if (!(after.get('links') instanceof Y.Map)) return invalid('A barrier’s list of links')
      continue
    }
    const bad = created ? checkField(BARRIER_FIELDS, 'A barrier', after, field) : checkWrittenField(BARRIER_FIELDS, 'A barrier', after, changes, field)
    if (bad) return bad
  }
  const links = linksRule('A barrier', after, deeper)
  if (links) return links
  if (created) return attributed(ctx, after.get('createdBy') as { userId: string; organisation: string })
  if (!sameJson(before!.get('createdBy'), after.get('createdBy')) || before!.get('createdAt') !== after.get('createdAt')) {
    return refuse('not_yours', 'Who raised a barrier, and when, cannot be changed.')
  }
  const from = before!.get('status') as BarrierStatus
  const to = after.get('status') as BarrierStatus
  if (from !== to && BARRIER_FIELDS.status!.safeParse(from).success && !canMoveBarrier(from, to)) {
    return refuse('invalid', `A barrier cannot move from ${BARRIER_STATUS_LABELS[from]} to ${BARRIER_STATUS_LABELS[to]}.`)
  }
  return null
}

// ---- actions and decisions ------------------------------------------------------------------

const actionRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const before = mapOrNull(entryOf(ctx.before, DOC_KEYS.actions, key))
  const afterValue = entryOf(ctx.after, DOC_KEYS.actions, key)
  if (afterValue === undefined) return null
  const after = mapOrNull(afterValue)
  if (!after) return invalid('An action')
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  const created = entryReplaced || !before
  const kind = after.get('kind')
  const label = kind === 'decision' ? 'A decision' : 'An action'
  const written = created ? new Set(['kind', 'what', 'createdBy', 'createdAt', ...after.keys()]) : fields
  for (const field of written) {
    if (field === 'links' || field === 'agreedBy') {
      if (!(after.get(field) instanceof Y.Map)) return invalid(field === 'links' ? `${label}’s list of links` : `${label}’s list of organisations agreeing`)
      continue
    }
    if (kind === 'decision' && own(actionFieldsSchema.shape, field) !== undefined && field !== 'what') return refuse('unknown_part', `A decision has no field “${field}”.`)
    const bad = created ? checkField(ACTION_ITEM_FIELDS, label, after, field) : checkWrittenField(ACTION_ITEM_FIELDS, label, after, changes, field)
    if (bad) return bad
    const whats = created ? [after.get('what')] : writtenAt(changes, 'what').values
    if (kind === 'action' && field === 'what' && whats.some((what) => !actionFieldsSchema.shape.what.safeParse(what).success)) return invalid('An action’s description')
  }
  if (created && kind === 'action') {
    for (const field of Object.keys(actionFieldsSchema.shape)) if (!after.has(field)) return invalid(`An action’s ${field}`)
  }
  const agreedBy = mapOrNull(after.get('agreedBy'))
  const linkChanges: Change[] = []
  for (const change of deeper) {
    if (change.path[1] === 'agreedBy' && change.path.length === 3 && change.path[2] !== null) {
      if (kind !== 'decision' || !agreedBy) return invalid('A decision’s agreement')
      const organisation = change.path[2]!
      if (change.deleted) continue
      for (const value of change.content === 'json' ? change.values : [undefined]) {
        const parsed = agreedByValueSchema.safeParse(value)
        if (!parsed.success || organisation.length > 120) return invalid(`${organisation.slice(0, 40)}’s agreement`, parsed.success ? undefined : parsed.error)
        const who = attributed(ctx, { userId: parsed.data.by.userId })
        if (who) return who
      }
    } else linkChanges.push(change)
  }
  const links = linksRule(label, after, linkChanges)
  if (links) return links
  if (created) return attributed(ctx, after.get('createdBy') as { userId: string; organisation: string })
  if (!sameJson(before!.get('createdBy'), after.get('createdBy')) || before!.get('createdAt') !== after.get('createdAt') || before!.get('kind') !== kind) {
    return refuse('not_yours', 'Who recorded an item, and what kind it is, cannot be changed.')
  }
  return null
}

// ---- votes ----------------------------------------------------------------------------------

const voteRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  if (isFacilitator(ctx)) {
    // The facilitator runs votes; their values are read leniently but must stay a size a reader can hold.
    for (const change of changes) for (const value of change.values) if (!jsonWithin(value, SETTINGS_VALUE_MAX_BYTES)) return invalid('A vote')
    return null
  }
  const after = mapOrNull(entryOf(ctx.after, DOC_KEYS.votes, key))
  const dots = mapOrNull(after?.get('dots'))
  if (!after || !dots) return refuse('facilitator_only', 'Only the facilitator can start or end a vote.')
  for (const change of changes) {
    if (change.path[1] !== 'dots' || change.path.length !== 3 || change.path[2] === null) return refuse('facilitator_only', 'Only the facilitator can start or end a vote.')
    const slot = change.path[2]!
    const at = slot.lastIndexOf('#')
    const owner = slot.slice(0, Math.max(0, at))
    const number = Number(slot.slice(at + 1))
    const perPerson = after.get('dotsPerPerson')
    if (at <= 0 || !Number.isInteger(number) || number < 0 || typeof perPerson !== 'number' || number >= perPerson) return invalid('A dot')
    if (!ctx.claimUser(owner)) return refuse('not_yours', 'You can only place or move your own dots.')
    if (after.get('status') !== 'open') return refuse('invalid', 'This vote has ended.')
    if (change.deleted) continue
    for (const value of change.content === 'json' ? change.values : [undefined]) {
      const parsed = dotValueSchema.safeParse(value)
      if (!parsed.success || parsed.data.by.userId !== owner) return invalid('A dot', parsed.success ? undefined : parsed.error)
    }
  }
  return null
}

// ---- members, hands -------------------------------------------------------------------------

const memberRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  if (changes.some((c) => c.path.length > 1)) return refuse('unknown_part', 'A member record holds plain values only.')
  const { values, others } = writtenAt(changes)
  if (others > 0) return invalid('A member record')
  const members = []
  for (const value of values) {
    const parsed = memberValueSchema.safeParse(value)
    if (!parsed.success) return invalid('A member record', parsed.error)
    members.push(parsed.data)
  }
  if (isFacilitator(ctx)) return null
  if (values.length === 0) return entryOf(ctx.after, DOC_KEYS.members, key) === undefined ? refuse('facilitator_only', 'Only the facilitator can remove someone from the workshop.') : null
  if (!ctx.claimUser(key)) return refuse('not_yours', 'You can only change your own details.')
  const bound = ctx.writer.link.organisation
  for (const member of members) {
    if (member.keyed && !ctx.writer.proven) return refuse('not_yours', 'Only the browser that holds this person’s key can mark their record as keyed.')
    if (member.role !== ctx.writer.link.role) return refuse('not_yours', 'Your role comes from your invite link.')
    if (bound !== null && member.organisation !== bound) return refuse('not_yours', `Your link is for ${bound}.`)
  }
  return null
}

const handRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  if (changes.some((c) => c.path.length > 1)) return refuse('unknown_part', 'A raised hand holds plain values only.')
  const { values, others } = writtenAt(changes)
  if (others > 0) return invalid('A raised hand')
  for (const value of values) {
    const parsed = handValueSchema.safeParse(value)
    if (!parsed.success) return invalid('A raised hand', parsed.error)
  }
  if (isFacilitator(ctx) || ctx.claimUser(key)) return null
  return refuse('not_yours', values.length === 0 ? 'Only the facilitator can lower someone else’s hand.' : 'You can only raise your own hand.')
}

// ---- meta, settings, canvas, ledger ---------------------------------------------------------

const metaRule: EntryRule = (ctx, key, changes) => {
  if (key === null || changes.some((c) => c.path.length > 1)) return refuse('unknown_part', 'The workshop’s details hold plain values only.')
  const { values, others } = writtenAt(changes)
  if (others > 0) return invalid('A detail of the workshop')
  if (mayWrite(ctx.writer.link.role, DOC_KEYS.meta, key, ctx.locked).ok && key === 'canvasSchema') {
    return values.every((value) => jsonWithin(value, CANVAS_SCHEMA_MAX_BYTES)) ? null : invalid('The board’s schema')
  }
  const verdict = mayWrite(ctx.writer.link.role, DOC_KEYS.meta, key, ctx.locked)
  if (!verdict.ok) return refuse('facilitator_only', verdict.reason)
  const schema = key === 'title' ? workshopTitleSchema : key === 'targetPot' ? potTargetSchema : key === 'createdAt' ? z.number().finite() : null
  if (!schema) return refuse('unknown_part', `The workshop has no setting “${key.slice(0, 40)}”.`)
  const label = key === 'title' ? 'The workshop title' : key === 'targetPot' ? 'The target pot' : 'When the workshop was created'
  for (const value of values) {
    const parsed = schema.safeParse(value)
    if (!parsed.success) return invalid(label, parsed.error)
  }
  return null
}

const settingsRule: EntryRule = (ctx, key, changes) => {
  const verdict = mayWrite(ctx.writer.link.role, DOC_KEYS.settings, key, ctx.locked)
  if (!verdict.ok) return refuse('facilitator_only', verdict.reason)
  for (const change of changes) for (const value of change.values) if (!jsonWithin(value, SETTINGS_VALUE_MAX_BYTES)) return invalid('A workshop setting')
  return null
}

/** A JSON value written as part of an update of `updateBytes` is at most six times that as JSON (escapes). */
const JSON_PER_UPDATE_BYTE = 6

const canvasRule: EntryRule = (ctx, _key, changes) => {
  const small = ctx.updateBytes * JSON_PER_UPDATE_BYTE <= CANVAS_RECORD_MAX_BYTES
  for (const change of changes) {
    if (change.path.length !== 1 || change.path[0] !== null) return refuse('unknown_part', 'The board holds records as a list.')
    if (change.deleted) continue
    if (change.content !== 'json') return invalid('A board record')
    for (const value of change.values) {
      const entry = value as { key?: unknown; val?: { id?: unknown; typeName?: unknown } } | null
      if (!entry || typeof entry !== 'object' || typeof entry.key !== 'string' || entry.key.length > 200 || !entry.val || typeof entry.val !== 'object' || entry.val.id !== entry.key || typeof entry.val.typeName !== 'string') {
        return invalid('A board record')
      }
      const max = entry.val.typeName === 'asset' ? CANVAS_ASSET_MAX_BYTES : CANVAS_RECORD_MAX_BYTES
      if (!small && !jsonWithin(value, max)) return refuse('invalid', entry.val.typeName === 'asset' ? `An image on the board can be at most ${max / 1024 / 1024} MB.` : `A board record can be at most ${max / 1024} kB.`)
    }
  }
  return null
}

const ledgerRule: EntryRule = () => refuse('ledger', 'The record of changes is written by the server alone.')

/** The rule for each top-level type; a type not listed does not exist and cannot be created. */
const ROOT_RULE_TABLE: Readonly<Record<string, EntryRule>> = {
  [DOC_KEYS.meta]: metaRule,
  [DOC_KEYS.members]: memberRule,
  [DOC_KEYS.canvas]: canvasRule,
  [DOC_KEYS.pot]: potRule,
  [DOC_KEYS.protocol]: protocolRule,
  [DOC_KEYS.barriers]: barrierRule,
  [DOC_KEYS.actions]: actionRule,
  [DOC_KEYS.votes]: voteRule,
  [DOC_KEYS.settings]: settingsRule,
  [DOC_KEYS.hands]: handRule,
  [DOC_KEYS.ledger]: ledgerRule,
}

/** The rule for each top-level type, looked up by own name only (never `constructor`, `__proto__`…). */
export const ROOT_RULES: ReadonlyMap<string, EntryRule> = new Map(Object.entries(ROOT_RULE_TABLE))

/** The lockable section a top-level type belongs to, if any. */
export function sectionOfRoot(root: string): LockableSection | null {
  return LOCKABLE_SECTIONS.find((s) => s === root) ?? null
}

/**
 * Judges everything one update did. Changes are grouped by top-level type and entry, and each
 * entry is judged once against its state before and after. Returns the first refusal, or null.
 */
export function judgeChanges(ctx: RuleContext, changes: readonly Change[]): Refusal | null {
  if (ctx.writer.link.role === 'observer') return refuse('observer', 'Observers can look but not change anything.')
  const grouped = groupByEntry(changes)
  for (const [root, entries] of grouped) {
    const rule = ROOT_RULES.get(root)
    if (!rule) return refuse('unknown_part', 'This change writes a part the workshop does not have.')
    for (const [key, list] of entries) {
      const refusal = rule(ctx, key, list)
      if (refusal) return refusal
    }
  }
  return null
}
