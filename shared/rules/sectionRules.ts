/**
 * The rules the server enforces on every update, part by part of the document. Each rule is given
 * what the update did to one entry of one top-level type (a pot line, a clause, a member record…),
 * the document before and after, and who wrote it; it returns a refusal or null. The negotiated
 * sections declare their own rules (shared/sections/<name>/rules.ts); the other parts' are here.
 *
 * The rules rest on the same domain functions the browser asks before offering an edit
 * (shared/permissions.ts `mayWrite` for roles and locks, shared/protocol.ts `checkAgreement` and
 * `isClauseEditable`, shared/linkIdentity.ts `positionBasisFor`, shared/barriers.ts
 * `canMoveBarrier`, the domain schemas through ./values.ts), so the interface and the server
 * cannot drift apart.
 */
import { z } from 'zod'
import {
  CANVAS_ASSET_MAX_BYTES,
  CANVAS_RECORD_MAX_BYTES,
  CANVAS_SCHEMA_MAX_BYTES,
  handValueSchema,
  jsonWithin,
  memberValueSchema,
  potTargetSchema,
  SETTINGS_VALUE_MAX_BYTES,
  workshopTitleSchema,
} from './values.ts'
import { entryOf, groupByEntry } from './entries.ts'
import { refuse, type Change, type Refusal, type RuleContext } from './types.ts'
import { mayWrite, type LockableSection } from '../permissions.ts'
import { DOC_KEYS } from '../schema.ts'
import { invalid, isFacilitator, listContent, writtenAt, type EntryRule } from './ruleKit.ts'
import { isLockable, sections } from '../sections/registry.ts'
import { readClauses } from '../protocol.ts'
import {
  PROTOCOL_AGREED_KEY,
  protocolAgreedSchema,
  protocolAgreementBlocker,
  readProtocolAgreed,
} from '../protocolAgreement.ts'

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
  if (values.length === 0)
    return entryOf(ctx.after, DOC_KEYS.members, key) === undefined
      ? refuse('facilitator_only', 'Only the facilitator can remove someone from the workshop.')
      : null
  if (!ctx.claimUser(key)) return refuse('not_yours', 'You can only change your own details.')
  const bound = ctx.writer.link.organisation
  for (const member of members) {
    if (member.keyed && !ctx.writer.proven)
      return refuse('not_yours', 'Only the browser that holds this person’s key can mark their record as keyed.')
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
  return refuse(
    'not_yours',
    values.length === 0 ? 'Only the facilitator can lower someone else’s hand.' : 'You can only raise your own hand.',
  )
}

// ---- meta, settings, canvas, ledger ---------------------------------------------------------

const metaRule: EntryRule = (ctx, key, changes) => {
  if (key === null || changes.some((c) => c.path.length > 1))
    return refuse('unknown_part', 'The workshop’s details hold plain values only.')
  const { values, others } = writtenAt(changes)
  if (others > 0) return invalid('A detail of the workshop')
  if (mayWrite(ctx.writer.link.role, DOC_KEYS.meta, key, ctx.locked).ok && key === 'canvasSchema') {
    return values.every((value) => jsonWithin(value, CANVAS_SCHEMA_MAX_BYTES)) ? null : invalid('The board’s schema')
  }
  const verdict = mayWrite(ctx.writer.link.role, DOC_KEYS.meta, key, ctx.locked)
  if (!verdict.ok) return refuse('facilitator_only', verdict.reason)
  const schema =
    key === 'title'
      ? workshopTitleSchema
      : key === 'targetPot'
        ? potTargetSchema
        : key === 'createdAt'
          ? z.number().finite()
          : null
  if (!schema) return refuse('unknown_part', `The workshop has no setting “${key.slice(0, 40)}”.`)
  const label =
    key === 'title' ? 'The workshop title' : key === 'targetPot' ? 'The target pot' : 'When the workshop was created'
  for (const value of values) {
    const parsed = schema.safeParse(value)
    if (!parsed.success) return invalid(label, parsed.error)
  }
  return null
}

const settingsRule: EntryRule = (ctx, key, changes) => {
  const verdict = mayWrite(ctx.writer.link.role, DOC_KEYS.settings, key, ctx.locked)
  if (!verdict.ok) return refuse('facilitator_only', verdict.reason)
  for (const change of changes)
    for (const value of change.values)
      if (!jsonWithin(value, SETTINGS_VALUE_MAX_BYTES)) return invalid('A workshop setting')
  if (key === PROTOCOL_AGREED_KEY) return protocolAgreedRule(ctx, changes)
  return null
}

/** The mark that the whole protocol is agreed: well formed, and only over a wholly agreed protocol. */
const protocolAgreedRule = (ctx: RuleContext, changes: readonly Change[]): Refusal | null => {
  if (changes.some((c) => c.path.length > 1)) return invalid('The protocol’s agreement')
  const { values, others } = writtenAt(changes)
  if (others > 0) return invalid('The protocol’s agreement')
  for (const value of values) {
    const parsed = protocolAgreedSchema.safeParse(value)
    if (!parsed.success) return invalid('The protocol’s agreement', parsed.error)
  }
  if (!readProtocolAgreed(ctx.after)) return null
  const blocker = protocolAgreementBlocker(readClauses(ctx.after))
  return blocker ? refuse('invalid', `The protocol cannot be marked agreed: ${blocker}`) : null
}

/** A JSON value written as part of an update of `updateBytes` is at most six times that as JSON (escapes). */
const JSON_PER_UPDATE_BYTE = 6

const canvasRule: EntryRule = (ctx, _key, changes) => {
  const small = ctx.updateBytes * JSON_PER_UPDATE_BYTE <= CANVAS_RECORD_MAX_BYTES
  for (const change of changes) {
    if (change.path.length !== 1 || change.path[0] !== null)
      return refuse('unknown_part', 'The board holds records as a list.')
    if (change.deleted) continue
    if (change.content !== 'json') return invalid('A board record')
    for (const value of change.values) {
      const entry = value as { key?: unknown; val?: { id?: unknown; typeName?: unknown } } | null
      if (
        !entry ||
        typeof entry !== 'object' ||
        typeof entry.key !== 'string' ||
        entry.key.length > 200 ||
        !entry.val ||
        typeof entry.val !== 'object' ||
        entry.val.id !== entry.key ||
        typeof entry.val.typeName !== 'string'
      ) {
        return invalid('A board record')
      }
      const max = entry.val.typeName === 'asset' ? CANVAS_ASSET_MAX_BYTES : CANVAS_RECORD_MAX_BYTES
      if (!small && !jsonWithin(value, max))
        return refuse(
          'invalid',
          entry.val.typeName === 'asset'
            ? `An image on the board can be at most ${max / 1024 / 1024} MB.`
            : `A board record can be at most ${max / 1024} kB.`,
        )
    }
  }
  return null
}

const ledgerRule: EntryRule = () => refuse('ledger', 'The record of changes is written by the server alone.')

const receiptsRule: EntryRule = () => refuse('ledger', 'Sign-off receipts are signed and written by the server alone.')

/** The rule for each top-level type that is not a negotiated section (those declare their own, shared/sections/). */
const ROOT_RULE_TABLE: Readonly<Record<string, EntryRule>> = {
  [DOC_KEYS.meta]: metaRule,
  [DOC_KEYS.members]: memberRule,
  [DOC_KEYS.canvas]: canvasRule,
  [DOC_KEYS.settings]: settingsRule,
  [DOC_KEYS.hands]: handRule,
  [DOC_KEYS.ledger]: ledgerRule,
  [DOC_KEYS.receipts]: receiptsRule,
}

/**
 * The rule for each top-level type, looked up by own name only (never `constructor`, `__proto__`…);
 * a type not listed does not exist and cannot be created.
 */
export const ROOT_RULES: ReadonlyMap<string, EntryRule> = new Map([
  ...Object.entries(ROOT_RULE_TABLE),
  ...sections().map((section): [string, EntryRule] => [section.key, section.rule]),
])

/** The lockable section a top-level type belongs to, if any. */
export function sectionOfRoot(root: string): LockableSection | null {
  return isLockable(root) ? root : null
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
