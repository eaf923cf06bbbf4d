/**
 * What the ledger records of protocol clauses (see shared/rules/ledgerOfChanges.ts for when).
 */
import { readClause } from '../../protocol.ts'
import { DOC_KEYS } from '../../schema.ts'
import { basisOf, entryMap } from '../../rules/ledgerRecorder.ts'
import type { SectionLedger } from '../types.ts'

/** A reopened clause's wording is recorded at most once per person per this long. */
export const TEXT_EDIT_RECORD_MS = 5 * 60_000

export const protocolEntries: SectionLedger = (r, before, after, id, changes) => {
  const userId = r.userId
  const a = entryMap(before, DOC_KEYS.protocol, id)
  const b = entryMap(after, DOC_KEYS.protocol, id)
  const was = a ? readClause(id, a) : null
  const now = b ? readClause(id, b) : null
  if (!was && now) {
    r.add('protocol', id, now.title, 'created', null, null, now.title)
    return
  }
  if (was && !now) {
    r.add('protocol', id, was.title, 'deleted', 'status', was.status, null)
    return
  }
  if (!was || !now) return
  for (const organisation of new Set([...was.positions.keys(), ...now.positions.keys()])) {
    const from = was.positions.get(organisation)
    const to = now.positions.get(organisation)
    if (now.status === 'reopened' && was.status !== 'reopened') continue // cleared by reopening, recorded below
    if (from?.position !== to?.position || from?.reason !== to?.reason || basisOf(from) !== basisOf(to)) {
      r.add(
        'protocol',
        id,
        now.title,
        'changed',
        `position:${organisation}`,
        from?.position ?? null,
        to?.position ?? null,
      )
    }
  }
  if (was.status !== now.status)
    r.add(
      'protocol',
      id,
      now.title,
      now.status === 'reopened' ? 'reopened' : 'changed',
      'status',
      was.status,
      now.status,
    )
  const textChanged = was.title !== now.title || changes.some((c) => c.path[1] === 'body')
  if (textChanged && was.status === 'reopened' && now.status === 'reopened') {
    // The wording of a clause that was agreed is negotiated again: recorded, but not per keystroke.
    const recent = r.history.some(
      (e) =>
        e.subject === id &&
        e.field === 'text' &&
        e.by.userId === userId &&
        Math.abs(e.at - r.now) < TEXT_EDIT_RECORD_MS,
    )
    if (!recent) r.add('protocol', id, now.title, 'changed', 'text', null, was.title !== now.title ? now.title : null)
  }
}
