/**
 * The rules the server enforces on actions and decisions (see shared/rules/sectionRules.ts for how they are called).
 */
import * as Y from 'yjs'
import { ACTION_ITEM_FIELDS, agreedByValueSchema } from '../../rules/values.ts'
import { entryOf } from '../../rules/entries.ts'
import { refuse, type Change } from '../../rules/types.ts'
import { actionFieldsSchema } from '../../actions.ts'
import { DOC_KEYS } from '../../schema.ts'
import {
  attributed,
  checkField,
  checkWrittenField,
  fieldsWritten,
  invalid,
  linksRule,
  listContent,
  mapOrNull,
  own,
  sameJson,
  writtenAt,
  type EntryRule,
  createdOrBroughtBack,
} from '../../rules/ruleKit.ts'

export const actionRule: EntryRule = (ctx, key, changes) => {
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
      if (!(after.get(field) instanceof Y.Map))
        return invalid(field === 'links' ? `${label}’s list of links` : `${label}’s list of organisations agreeing`)
      continue
    }
    if (kind === 'decision' && own(actionFieldsSchema.shape, field) !== undefined && field !== 'what')
      return refuse('unknown_part', `A decision has no field “${field}”.`)
    const bad = created
      ? checkField(ACTION_ITEM_FIELDS, label, after, field)
      : checkWrittenField(ACTION_ITEM_FIELDS, label, after, changes, field)
    if (bad) return bad
    const whats = created ? [after.get('what')] : writtenAt(changes, 'what').values
    if (
      kind === 'action' &&
      field === 'what' &&
      whats.some((what) => !actionFieldsSchema.shape.what.safeParse(what).success)
    )
      return invalid('An action’s description')
  }
  if (created && kind === 'action') {
    for (const field of Object.keys(actionFieldsSchema.shape))
      if (!after.has(field)) return invalid(`An action’s ${field}`)
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
        if (!parsed.success || organisation.length > 120)
          return invalid(`${organisation.slice(0, 40)}’s agreement`, parsed.success ? undefined : parsed.error)
        const who = attributed(ctx, { userId: parsed.data.by.userId })
        if (who) return who
      }
    } else linkChanges.push(change)
  }
  const links = linksRule(label, after, linkChanges)
  if (links) return links
  if (created)
    return createdOrBroughtBack(
      ctx,
      DOC_KEYS.actions,
      key,
      after.get('createdBy') as { userId: string; organisation: string },
    )
  if (
    !sameJson(before!.get('createdBy'), after.get('createdBy')) ||
    before!.get('createdAt') !== after.get('createdAt') ||
    before!.get('kind') !== kind
  ) {
    return refuse('not_yours', 'Who recorded an item, and what kind it is, cannot be changed.')
  }
  return null
}
