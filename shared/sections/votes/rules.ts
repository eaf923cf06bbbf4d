/**
 * The rules the server enforces on dot votes (see shared/rules/sectionRules.ts for how they are called).
 */
import { dotValueSchema, jsonWithin, SETTINGS_VALUE_MAX_BYTES } from '../../rules/values.ts'
import { entryOf } from '../../rules/entries.ts'
import { refuse } from '../../rules/types.ts'
import { DOC_KEYS } from '../../schema.ts'
import { invalid, isFacilitator, listContent, mapOrNull, type EntryRule } from '../../rules/ruleKit.ts'

export const voteRule: EntryRule = (ctx, key, changes) => {
  if (key === null) return listContent(ctx, key, changes)
  if (isFacilitator(ctx)) {
    // The facilitator runs votes; their values are read leniently but must stay a size a reader can hold.
    for (const change of changes)
      for (const value of change.values) if (!jsonWithin(value, SETTINGS_VALUE_MAX_BYTES)) return invalid('A vote')
    return null
  }
  const after = mapOrNull(entryOf(ctx.after, DOC_KEYS.votes, key))
  const dots = mapOrNull(after?.get('dots'))
  if (!after || !dots) return refuse('facilitator_only', 'Only the facilitator can start or end a vote.')
  for (const change of changes) {
    if (change.path[1] !== 'dots' || change.path.length !== 3 || change.path[2] === null)
      return refuse('facilitator_only', 'Only the facilitator can start or end a vote.')
    const slot = change.path[2]!
    const at = slot.lastIndexOf('#')
    const owner = slot.slice(0, Math.max(0, at))
    const number = Number(slot.slice(at + 1))
    const perPerson = after.get('dotsPerPerson')
    if (at <= 0 || !Number.isInteger(number) || number < 0 || typeof perPerson !== 'number' || number >= perPerson)
      return invalid('A dot')
    if (!ctx.claimUser(owner)) return refuse('not_yours', 'You can only place or move your own dots.')
    if (after.get('status') !== 'open') return refuse('invalid', 'This vote has ended.')
    if (change.deleted) continue
    for (const value of change.content === 'json' ? change.values : [undefined]) {
      const parsed = dotValueSchema.safeParse(value)
      if (!parsed.success || parsed.data.by.userId !== owner)
        return invalid('A dot', parsed.success ? undefined : parsed.error)
    }
  }
  return null
}
