/**
 * The rules the server enforces on outcomes (see shared/rules/sectionRules.ts for how they are called).
 */
import { z } from 'zod'
import { actorSchema } from '../../ledger.ts'
import { entryOf } from '../../rules/entries.ts'
import {
  attributed,
  checkField,
  checkWrittenField,
  type EntryRule,
  fieldsWritten,
  invalid,
  listContent,
  lockedRefusal,
  mapOrNull,
  sameJson,
  createdOrBroughtBack,
} from '../../rules/ruleKit.ts'
import { refuse } from '../../rules/types.ts'
import { OUTCOMES_KEY, outcomeFieldsSchema } from './model.ts'

/**
 * What the server stores under an outcome, field by field (the shape ruleKit's checkField reads).
 * Readers tolerate bad values; these are what is refused in the first place.
 */
export const OUTCOME_FIELDS: Record<string, z.ZodType> = {
  ...outcomeFieldsSchema.shape,
  // A creator without a user id could not be checked against the writer by `attributed`.
  createdBy: actorSchema.extend({ userId: z.string().min(1).max(64) }),
  createdAt: z.number().finite(),
}

const LABEL = 'An outcome'

export const outcomeRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  const locked = lockedRefusal(ctx, OUTCOMES_KEY)
  if (locked) return locked
  const before = mapOrNull(entryOf(ctx.before, OUTCOMES_KEY, key))
  const afterValue = entryOf(ctx.after, OUTCOMES_KEY, key)
  if (afterValue === undefined) return null
  const after = mapOrNull(afterValue)
  if (!after) return invalid(LABEL)
  const { fields, deeper, entryReplaced } = fieldsWritten(changes)
  // An outcome holds plain values only: nothing nests inside one.
  if (deeper.length > 0) return refuse('unknown_part', 'This change writes inside an outcome where nothing belongs.')
  const created = entryReplaced || !before
  const written = created ? new Set([...Object.keys(OUTCOME_FIELDS), ...after.keys()]) : fields
  for (const field of written) {
    const bad = created
      ? checkField(OUTCOME_FIELDS, LABEL, after, field)
      : checkWrittenField(OUTCOME_FIELDS, LABEL, after, changes, field)
    if (bad) return bad
  }
  if (created)
    return createdOrBroughtBack(
      ctx,
      OUTCOMES_KEY,
      key,
      after.get('createdBy') as { userId: string; organisation: string },
    )
  if (
    !sameJson(before!.get('createdBy'), after.get('createdBy')) ||
    before!.get('createdAt') !== after.get('createdAt')
  ) {
    return refuse('not_yours', 'Who added an outcome, and when, cannot be changed.')
  }
  return null
}
