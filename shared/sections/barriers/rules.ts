/**
 * The rules the server enforces on barriers (see shared/rules/sectionRules.ts for how they are called).
 */
import * as Y from 'yjs'
import { BARRIER_FIELDS } from '../../rules/values.ts'
import { entryOf } from '../../rules/entries.ts'
import { refuse } from '../../rules/types.ts'
import { canMoveBarrier, BARRIER_STATUS_LABELS, type BarrierStatus } from '../../barriers.ts'
import { DOC_KEYS } from '../../schema.ts'
import {
  attributed,
  checkField,
  checkWrittenField,
  fieldsWritten,
  invalid,
  linksRule,
  listContent,
  lockedRefusal,
  mapOrNull,
  sameJson,
  type EntryRule,
  createdOrBroughtBack,
} from '../../rules/ruleKit.ts'

export const barrierRule: EntryRule = (ctx, key, changes) => {
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
    const bad = created
      ? checkField(BARRIER_FIELDS, 'A barrier', after, field)
      : checkWrittenField(BARRIER_FIELDS, 'A barrier', after, changes, field)
    if (bad) return bad
  }
  const links = linksRule('A barrier', after, deeper)
  if (links) return links
  if (created)
    return createdOrBroughtBack(
      ctx,
      DOC_KEYS.barriers,
      key,
      after.get('createdBy') as { userId: string; organisation: string },
    )
  if (
    !sameJson(before!.get('createdBy'), after.get('createdBy')) ||
    before!.get('createdAt') !== after.get('createdAt')
  ) {
    return refuse('not_yours', 'Who raised a barrier, and when, cannot be changed.')
  }
  const from = before!.get('status') as BarrierStatus
  const to = after.get('status') as BarrierStatus
  if (from !== to && BARRIER_FIELDS.status!.safeParse(from).success && !canMoveBarrier(from, to)) {
    return refuse(
      'invalid',
      `A barrier cannot move from ${BARRIER_STATUS_LABELS[from]} to ${BARRIER_STATUS_LABELS[to]}.`,
    )
  }
  return null
}
