/**
 * The ledger entries the server writes for an update it accepted, worked out from the effect the
 * update had (the document before and after, and the entries it touched), never from what the
 * writer says about itself. Clients cannot write the ledger at all (shared/rules/sectionRules.ts).
 *
 * Recorded: pot lines added, removed, and changes of amount, status, mode, kind and partner, and
 * the target; clauses added and removed, status changes, each organisation's position, and
 * changes to a clause's text after it has been agreed and reopened; barriers raised, removed,
 * moved, and changes of department, champion, impact and due date; actions and decisions added and
 * removed, action status, due date and owner, decision wording and each organisation agreeing; votes
 * started and ended; locks, the workshop's title, the organisations taking part, and the
 * facilitator marking the whole protocol agreed or withdrawing it.
 */
import type * as Y from 'yjs'
import type { LedgerEntry } from '../ledger.ts'
import { DOC_KEYS } from '../schema.ts'
import { readLocks, readTakingPart } from '../workshopSettings.ts'
import { PROTOCOL_AGREED_KEY, readProtocolAgreed } from '../protocolAgreement.ts'
import { groupByEntry } from './entries.ts'
import type { Change } from './types.ts'
import { Recorder, type LedgerAuthor } from './ledgerRecorder.ts'
import { lockableSections, sections, sectionOfKey } from '../sections/registry.ts'

function settingsEntries(r: Recorder, before: Y.Doc, after: Y.Doc, keys: ReadonlySet<string | null>): void {
  if (keys.has(PROTOCOL_AGREED_KEY)) {
    const was = readProtocolAgreed(before) !== null
    const now = readProtocolAgreed(after) !== null
    // Subject '' is the protocol as a whole; a clause's own status entries name the clause.
    if (was !== now)
      r.add(
        'protocol',
        '',
        'The protocol as a whole',
        'changed',
        'status',
        was ? 'agreed' : 'open',
        now ? 'agreed' : 'open',
      )
  }
  if (keys.has('locks')) {
    const was = readLocks(before)
    const now = readLocks(after)
    for (const { key, label } of lockableSections()) {
      if (was.has(key) !== now.has(key)) r.add('workshop', key, label, 'changed', 'lock', was.has(key), now.has(key))
    }
  }
  if (keys.has('organisations')) {
    const was = new Map(readTakingPart(before).map((t) => [t.organisation, t.group]))
    const now = new Map(readTakingPart(after).map((t) => [t.organisation, t.group]))
    for (const name of new Set([...was.keys(), ...now.keys()])) {
      const from = was.get(name) ?? null
      const to = now.get(name) ?? null
      if (from !== to)
        r.add(
          'workshop',
          '',
          name,
          to === null ? 'deleted' : from === null ? 'created' : 'changed',
          'takingPart',
          from,
          to,
        )
    }
  }
}

function metaEntries(r: Recorder, before: Y.Doc, after: Y.Doc, keys: ReadonlySet<string | null>): void {
  const was = before.getMap<unknown>(DOC_KEYS.meta)
  const now = after.getMap<unknown>(DOC_KEYS.meta)
  if (keys.has('title') && was.get('title') !== now.get('title'))
    r.add('workshop', '', 'Workshop title', 'changed', 'title', was.get('title') ?? '', now.get('title') ?? '')
  if (keys.has('targetPot') && was.get('targetPot') !== now.get('targetPot'))
    r.add(
      'pot',
      '',
      'Target pot size',
      'changed',
      'targetPot',
      was.get('targetPot') ?? null,
      now.get('targetPot') ?? null,
    )
}
/** The top-level types whose changes the ledger records (any other change records nothing). */
export const LEDGERED_ROOTS: ReadonlySet<string> = new Set([
  DOC_KEYS.meta,
  DOC_KEYS.settings,
  ...sections()
    .filter((section) => section.ledger !== null)
    .map((section) => section.key),
])

/** The entries to append for an accepted update, from the document `before` and `after` it. */
export function ledgerOfChanges(
  before: Y.Doc,
  after: Y.Doc,
  changes: readonly Change[],
  author: LedgerAuthor,
  now: number,
): LedgerEntry[] {
  const r = new Recorder(author, now, before)
  const touched = groupByEntry(changes)
  for (const [root, entries] of touched) {
    if (root === DOC_KEYS.meta) metaEntries(r, before, after, new Set(entries.keys()))
    else if (root === DOC_KEYS.settings) settingsEntries(r, before, after, new Set(entries.keys()))
    else {
      const ledger = sectionOfKey(root)?.ledger
      if (!ledger) continue
      for (const [key, list] of entries) if (key !== null) ledger(r, before, after, key, list)
    }
  }
  return r.entries
}
