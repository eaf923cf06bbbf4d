/**
 * The rules the server enforces on pot lines (see shared/rules/sectionRules.ts for how they are called).
 */
import type * as Y from 'yjs'
import { fieldEditSchema, POT_LINE_FIELDS } from '../../rules/values.ts'
import { entryOf } from '../../rules/entries.ts'
import { refuse, type Refusal, type RuleContext } from '../../rules/types.ts'
import { DOC_KEYS } from '../../schema.ts'
import {
  attributed,
  checkWrittenField,
  createdBy,
  fieldsWritten,
  invalid,
  listContent,
  lockedRefusal,
  mapOrNull,
  own,
  writtenAt,
  type EntryRule,
} from '../../rules/ruleKit.ts'

export const potRule: EntryRule = (ctx, key, changes) => {
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
      if (values.length + others > 0 || !after.has(field))
        return refuse('not_yours', 'Who proposed a pot line, and when, cannot be changed.')
      continue
    }
    if (field.startsWith('edit.')) {
      if (!own(POT_LINE_FIELDS, field.slice(5)))
        return refuse('unknown_part', `A pot line has no field “${field.slice(0, 40)}”.`)
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
    if (!parsed.success)
      return after.has(field)
        ? invalid(`A pot line’s ${field}`, parsed.error)
        : refuse('invalid', `A pot line needs its ${field}.`)
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
