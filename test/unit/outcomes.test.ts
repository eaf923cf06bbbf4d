/**
 * Outcomes and success measures (shared/sections/outcomes/): the model on real Y.Docs, the rule
 * the server enforces on each outcome, what the ledger records, the exports and the comparison.
 * The section is judged through its own definition, not the registry, so these tests hold before
 * and after it is registered.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { OutcomesPrint } from '../../client/outcomes/OutcomesPrint.tsx'
import { OutcomesView } from '../../client/outcomes/OutcomesView.tsx'
import { liveExports, livePermissions } from '../../client/workshop/useLiveWorkshop.ts'
import { type Workshop, WorkshopProvider } from '../../client/workshop/WorkshopContext.tsx'
import { applyAndRead } from '../../server/sync/updateEffects.ts'
import type { Actor } from '../../shared/ledger.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { LockableSection } from '../../shared/permissions.ts'
import { groupByEntry } from '../../shared/rules/entries.ts'
import { Recorder } from '../../shared/rules/ledgerRecorder.ts'
import type { Change, Refusal, RuleContext } from '../../shared/rules/types.ts'
import { outcomesSection } from '../../shared/sections/outcomes/index.ts'
import type { ExportContext } from '../../shared/sections/types.ts'
import {
  addOutcome,
  DEFAULT_OUTCOME,
  deleteOutcome,
  getOutcomesMap,
  type OutcomeFields,
  OUTCOMES_KEY,
  readOutcome,
  readOutcomes,
  updateOutcome,
} from '../../shared/sections/outcomes/model.ts'

const pat: Actor = { userId: 'pat', name: 'Pat Participant', organisation: 'Swindon Borough Council' }
const kim: Actor = { userId: 'kim', name: 'Kim Lowe', organisation: 'Kent County Council' }

const fields = (over: Partial<OutcomeFields> = {}): OutcomeFields => ({
  ...DEFAULT_OUTCOME,
  outcome: 'Fewer school exclusions',
  measure: 'Fixed-term exclusions of children in the families worked with',
  baseline: '14 fixed-term exclusions per term',
  target: '5 per term by March 2014',
  ownerOrganisation: 'Swindon Borough Council',
  ...over,
})

const copyOf = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** The one update `change` makes to a peer holding exactly `server`'s state. */
function updateFrom(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const peer = copyOf(server)
  const updates: Uint8Array[] = []
  peer.on('update', (u: Uint8Array) => updates.push(u))
  change(peer)
  peer.destroy()
  expect(updates.length).toBeGreaterThan(0)
  return Y.mergeUpdates(updates)
}

/** What `update` does to `live` as the server reads it: the changes under `outcomes`, and the state after. */
function effectOf(live: Y.Doc, update: Uint8Array): { after: Y.Doc; byEntry: Map<string | null, Change[]> } {
  const after = copyOf(live)
  const { changes } = applyAndRead(after, update)
  return { after, byEntry: groupByEntry(changes).get(OUTCOMES_KEY) ?? new Map() }
}

const link = (role: LinkIdentity['role'], organisation: string | null = null): LinkIdentity => ({
  role,
  organisation,
  name: null,
  linkId: null,
})

const outcomesLocked: ReadonlySet<LockableSection> = new Set([OUTCOMES_KEY])

/**
 * Judges `update` against `live` with the outcomes rule alone, entry by entry, as
 * shared/rules/sectionRules.ts `judgeChanges` does for a registered section.
 */
function judge(
  live: Y.Doc,
  update: Uint8Array,
  writer: LinkIdentity,
  options: { userId?: string | null; locked?: ReadonlySet<LockableSection> } = {},
): Refusal | null {
  const { after, byEntry } = effectOf(live, update)
  let userId = options.userId ?? null
  const ctx: RuleContext = {
    before: live,
    after,
    writer: { link: writer, userId, proven: false },
    locked: options.locked ?? new Set(),
    updateBytes: update.byteLength,
    claimUser: (id) => {
      if (userId !== null) return userId === id
      userId = id
      return true
    },
  }
  try {
    expect(byEntry.size).toBeGreaterThan(0)
    for (const [key, changes] of byEntry) {
      const refusal = outcomesSection.rule(ctx, key, changes)
      if (refusal) return refusal
    }
    return null
  } finally {
    after.destroy()
  }
}

describe('the outcomes model', () => {
  it('adds, reads back, updates and deletes outcomes on a real document, in the order added', () => {
    const doc = new Y.Doc()
    const first = addOutcome(doc, fields({ outcome: '  Fewer school exclusions  ' }), pat, 2000)
    const second = addOutcome(doc, fields({ outcome: 'More adults into work', status: 'agreed' }), kim, 1000)
    expect(readOutcomes(doc).map((o) => o.id)).toEqual([second, first])
    expect(readOutcomes(doc)[1]).toEqual({
      id: first,
      ...fields(),
      status: 'proposed',
      createdBy: pat,
      createdAt: 2000,
    })

    updateOutcome(doc, first, { target: '4 per term', status: 'on-track' })
    expect(readOutcome(first, getOutcomesMap(doc).get(first)!)).toMatchObject({
      outcome: 'Fewer school exclusions',
      target: '4 per term',
      status: 'on-track',
      createdBy: pat,
      createdAt: 2000,
    })

    deleteOutcome(doc, second)
    expect(readOutcomes(doc).map((o) => o.id)).toEqual([first])
    expect(() => updateOutcome(doc, second, { target: 'x' })).toThrow('This outcome no longer exists')
  })

  it('writes only the fields that change', () => {
    const doc = new Y.Doc()
    const id = addOutcome(doc, fields(), pat, 1)
    const written: string[] = []
    getOutcomesMap(doc)
      .get(id)!
      .observe((event) => written.push(...event.keysChanged))
    updateOutcome(doc, id, { ...fields(), target: '4 per term' })
    expect(written).toEqual(['target'])

    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    updateOutcome(doc, id, { target: '4 per term', baseline: fields().baseline })
    expect(updates).toHaveLength(0)
  })

  it('explains what is wrong in words, and writes nothing', () => {
    const doc = new Y.Doc()
    expect(() => addOutcome(doc, fields({ outcome: '   ' }), pat, 1)).toThrow('Say what should change for families')
    expect(() => addOutcome(doc, fields({ measure: 'm'.repeat(501) }), pat, 1)).toThrow(
      'Measure must be at most 500 characters',
    )
    expect(() => addOutcome(doc, fields({ ownerOrganisation: 'o'.repeat(121) }), pat, 1)).toThrow(
      'Owner organisation must be at most 120 characters',
    )
    expect(() => addOutcome(doc, fields({ status: 'done' as OutcomeFields['status'] }), pat, 1)).toThrow(
      'Choose a status: Proposed, Agreed, On track, At risk, Met, Dropped',
    )
    expect(readOutcomes(doc)).toEqual([])
    const id = addOutcome(doc, fields(), pat, 1)
    expect(() => updateOutcome(doc, id, { target: 't'.repeat(201) })).toThrow('Target must be at most 200 characters')
    expect(readOutcomes(doc)[0]!.target).toBe(fields().target)
  })

  it('reads a value a peer wrote badly as its default, never hiding the outcome', () => {
    const doc = new Y.Doc()
    const map = new Y.Map<unknown>()
    getOutcomesMap(doc).set('peer', map)
    map.set('outcome', 42)
    map.set('status', 'done')
    map.set('target', '5 per term')
    map.set('createdAt', 7)
    getOutcomesMap(doc).set('not-a-map', 'text' as unknown as Y.Map<unknown>)
    expect(readOutcomes(doc)).toEqual([
      {
        id: 'peer',
        ...DEFAULT_OUTCOME,
        outcome: '(untitled outcome)',
        target: '5 per term',
        status: 'proposed',
        createdBy: { userId: '', name: '', organisation: '' },
        createdAt: 7,
      },
    ])
  })
})

describe('the outcomes rule', () => {
  it('lets a participant add an outcome in their own name', () => {
    const server = new Y.Doc()
    const add = updateFrom(server, (d) => void addOutcome(d, fields(), pat, 1))
    expect(judge(server, add, link('participant'))).toBeNull()
    expect(judge(server, add, link('participant', pat.organisation), { userId: 'pat' })).toBeNull()
  })

  it('refuses an outcome added in someone else’s name or organisation', () => {
    const server = new Y.Doc()
    const forged = updateFrom(server, (d) => void addOutcome(d, fields(), kim, 1))
    expect(judge(server, forged, link('participant'), { userId: 'pat' })).toEqual({
      code: 'not_yours',
      reason: 'You can only act in your own name.',
    })
    const otherOrganisation = updateFrom(server, (d) => void addOutcome(d, fields(), pat, 1))
    expect(judge(server, otherOrganisation, link('participant', 'Kent County Council'))).toEqual({
      code: 'not_yours',
      reason: 'Your link is for Kent County Council: you can only act for Kent County Council.',
    })
    // The facilitator records outcomes for anyone.
    expect(judge(server, forged, link('facilitator'), { userId: 'fac' })).toBeNull()
  })

  it('keeps who added an outcome, and when, as they were', () => {
    const server = new Y.Doc()
    const id = addOutcome(server, fields(), pat, 1)
    const author = updateFrom(server, (d) => getOutcomesMap(d).get(id)!.set('createdBy', kim))
    expect(judge(server, author, link('participant'), { userId: 'kim' })).toEqual({
      code: 'not_yours',
      reason: 'Who added an outcome, and when, cannot be changed.',
    })
    const when = updateFrom(server, (d) => getOutcomesMap(d).get(id)!.set('createdAt', 99))
    expect(judge(server, when, link('participant'))).toMatchObject({ code: 'not_yours' })
  })

  it('refuses a status that is not one of the six, and a field an outcome does not have', () => {
    const server = new Y.Doc()
    const id = addOutcome(server, fields(), pat, 1)
    const status = updateFrom(server, (d) => getOutcomesMap(d).get(id)!.set('status', 'done'))
    expect(judge(server, status, link('participant'))).toEqual({
      code: 'invalid',
      reason: 'An outcome’s status: Choose a status: Proposed, Agreed, On track, At risk, Met, Dropped.',
    })
    const created = updateFrom(server, (d) => {
      const map = new Y.Map<unknown>()
      for (const [key, value] of Object.entries({ ...fields(), status: 'done', createdBy: pat, createdAt: 2 }))
        map.set(key, value)
      getOutcomesMap(d).set('new', map)
    })
    expect(judge(server, created, link('participant'))).toMatchObject({ code: 'invalid' })
    const long = updateFrom(server, (d) => getOutcomesMap(d).get(id)!.set('target', 't'.repeat(201)))
    expect(judge(server, long, link('participant'))).toMatchObject({ code: 'invalid' })
    const extra = updateFrom(server, (d) => getOutcomesMap(d).get(id)!.set('colour', 'red'))
    expect(judge(server, extra, link('participant'))).toMatchObject({ code: 'unknown_part' })
    const fine = updateFrom(server, (d) => updateOutcome(d, id, { status: 'agreed', target: '4 per term' }))
    expect(judge(server, fine, link('participant'))).toBeNull()
  })

  // mayWrite honours a lock only on a section the registry lists as lockable: this holds once the
  // outcomes section is registered.
  it('refuses participants’ changes while the section is locked, and lets the facilitator through', () => {
    const server = new Y.Doc()
    const id = addOutcome(server, fields(), pat, 1)
    const edit = updateFrom(server, (d) => updateOutcome(d, id, { status: 'agreed' }))
    const add = updateFrom(server, (d) => void addOutcome(d, fields(), pat, 2))
    const remove = updateFrom(server, (d) => deleteOutcome(d, id))
    for (const update of [edit, add, remove]) {
      expect(judge(server, update, link('participant'), { locked: outcomesLocked })).toMatchObject({ code: 'locked' })
      expect(judge(server, update, link('participant'))).toBeNull()
      expect(judge(server, update, link('facilitator'), { locked: outcomesLocked })).toBeNull()
    }
  })
})

describe('the outcomes ledger', () => {
  /** The entries the server records for `update` taken into `live`, by `by`. */
  function recordedFor(live: Y.Doc, update: Uint8Array, by: Actor, now: number) {
    const { after, byEntry } = effectOf(live, update)
    const r = new Recorder(
      { by, link: { role: 'participant', organisation: null, name: null, linkId: null } },
      now,
      live,
    )
    for (const [key, changes] of byEntry) if (key !== null) outcomesSection.ledger!(r, live, after, key, changes)
    after.destroy()
    return r.entries
  }

  it('records a change of status and of the target, with who made it and from what to what', () => {
    const server = new Y.Doc()
    const id = addOutcome(server, fields(), pat, 1)
    const update = updateFrom(server, (d) => updateOutcome(d, id, { status: 'agreed', target: '4 per term' }))
    expect(recordedFor(server, update, kim, 50)).toMatchObject([
      {
        area: 'outcomes',
        subject: id,
        label: 'Fewer school exclusions',
        action: 'changed',
        field: 'status',
        from: 'proposed',
        to: 'agreed',
        at: 50,
        by: kim,
      },
      { action: 'changed', field: 'target', from: '5 per term by March 2014', to: '4 per term' },
    ])
  })

  it('records an outcome added and removed with its status, and nothing for a rewording', () => {
    const server = new Y.Doc()
    const add = updateFrom(server, (d) => void addOutcome(d, fields({ status: 'agreed' }), pat, 1))
    expect(recordedFor(server, add, pat, 1)).toMatchObject([
      { area: 'outcomes', action: 'created', field: 'status', from: null, to: 'agreed' },
    ])
    const id = addOutcome(server, fields(), pat, 1)
    const reword = updateFrom(server, (d) => updateOutcome(d, id, { outcome: 'No more exclusions' }))
    expect(recordedFor(server, reword, pat, 2)).toEqual([])
    const remove = updateFrom(server, (d) => deleteOutcome(d, id))
    expect(recordedFor(server, remove, pat, 3)).toMatchObject([
      { action: 'deleted', field: 'status', from: 'proposed', to: null, label: 'Fewer school exclusions' },
    ])
  })
})

describe('the outcomes exports', () => {
  // The outcomes' minutes read nothing but the outcomes.
  const noContext = {} as ExportContext

  it('gives the minutes a heading and a table a reader can read, cells kept whole', () => {
    const doc = new Y.Doc()
    expect(outcomesSection.export.markdown!(outcomesSection.export.read(doc), noContext)).toEqual([])
    addOutcome(doc, fields({ status: 'at-risk' }), pat, 1)
    addOutcome(doc, fields({ outcome: 'Adults | into work', measure: 'Job starts\nsustained 6 months' }), kim, 2)
    const data = outcomesSection.export.read(doc)
    expect(data.map((o) => o.outcome)).toEqual(['Fewer school exclusions', 'Adults | into work'])
    expect(outcomesSection.export.markdown!(data, noContext)).toEqual([
      '## Outcomes and success measures',
      '',
      '| Outcome | Measure | Baseline | Target | Owner | Status |',
      '|---|---|---|---|---|---|',
      '| Fewer school exclusions | Fixed-term exclusions of children in the families worked with | 14 fixed-term exclusions per term | 5 per term by March 2014 | Swindon Borough Council | At risk |',
      '| Adults \\| into work | Job starts sustained 6 months | 14 fixed-term exclusions per term | 5 per term by March 2014 | Swindon Borough Council | Proposed |',
    ])
  })

  it('gives one CSV table of the outcomes, with who added each and when', () => {
    const doc = new Y.Doc()
    addOutcome(doc, fields({ status: 'met' }), pat, Date.UTC(2013, 2, 1))
    const [table, ...others] = outcomesSection.export.tables
    expect(others).toEqual([])
    expect(table!.part).toBe('outcomes')
    expect(table!.columns).toEqual([
      'Outcome',
      'Measure',
      'Baseline',
      'Target',
      'Owner',
      'Status',
      'Added by',
      'Added by (organisation)',
      'Added',
    ])
    expect(table!.rows(outcomesSection.export.read(doc))).toEqual([
      [
        'Fewer school exclusions',
        'Fixed-term exclusions of children in the families worked with',
        '14 fixed-term exclusions per term',
        '5 per term by March 2014',
        'Swindon Borough Council',
        'Met',
        'Pat Participant',
        'Swindon Borough Council',
        // Midnight UTC on 1 March is midnight in London too (GMT).
        '2013-03-01 00:00',
      ],
    ])
  })
})

describe('the outcomes comparison', () => {
  it('matches outcomes by id and says what changed in sentences', () => {
    const before = new Y.Doc()
    const kept = addOutcome(before, fields(), pat, 1)
    const dropped = addOutcome(before, fields({ outcome: 'Less reoffending' }), pat, 2)
    const after = copyOf(before)
    updateOutcome(after, kept, { status: 'agreed', target: '4 per term', measure: '' })
    deleteOutcome(after, dropped)
    const added = addOutcome(after, fields({ outcome: 'More adults into work' }), kim, 3)

    const differ = outcomesSection.diff!
    const diff = differ.compare(before, after)
    expect(diff).toEqual({
      added: [{ id: added, outcome: 'More adults into work', status: 'proposed' }],
      removed: [{ id: dropped, outcome: 'Less reoffending', status: 'proposed' }],
      changed: [
        {
          id: kept,
          outcome: 'Fewer school exclusions',
          status: { before: 'proposed', after: 'agreed' },
          fields: [
            { field: 'measure', before: fields().measure, after: '' },
            { field: 'target', before: '5 per term by March 2014', after: '4 per term' },
          ],
        },
      ],
    })
    expect(differ.isEmpty(diff)).toBe(false)
    expect(differ.summarise(diff)).toEqual([
      'Outcome added: “More adults into work” (Proposed).',
      'Outcome removed: “Less reoffending”.',
      'Outcome “Fewer school exclusions”: Proposed → Agreed.',
      'Outcome “Fewer school exclusions”: measure Fixed-term exclusions of children in the families worked with → (none).',
      'Outcome “Fewer school exclusions”: target 5 per term by March 2014 → 4 per term.',
    ])
  })

  it('reports a rewording, and nothing at all between equal states', () => {
    const before = new Y.Doc()
    const id = addOutcome(before, fields(), pat, 1)
    const same = copyOf(before)
    const differ = outcomesSection.diff!
    const none = differ.compare(before, same)
    expect(differ.isEmpty(none)).toBe(true)
    expect(differ.summarise(none)).toEqual([])
    updateOutcome(same, id, { outcome: 'No exclusions at all' })
    expect(differ.summarise(differ.compare(before, same))).toEqual([
      'Outcome “Fewer school exclusions” reworded as “No exclusions at all”.',
    ])
  })
})

describe('the outcomes view and print', () => {
  /** The view as `role` first sees it (no effects run: the outcomes as the document holds them). */
  function view(doc: Y.Doc, role: 'participant' | 'observer'): string {
    // The view reads the document, the actor, the permissions and the exports; nothing else of a workshop.
    const workshop = {
      doc,
      actor: pat,
      permissions: livePermissions(role, new Set()),
      exports: liveExports('room', 'token'),
    } as Partial<Workshop> as Workshop
    return renderToStaticMarkup(
      // biome-ignore lint/correctness/noChildrenProp: the provider's props type requires its children, given as a prop without JSX here
      createElement(WorkshopProvider, { value: workshop, children: createElement(OutcomesView) }),
    )
  }

  it('offers a participant the form, a status select and deletion; an observer reads the same table', () => {
    const doc = new Y.Doc()
    expect(view(doc, 'participant')).toContain('No outcomes yet.')
    addOutcome(doc, fields({ status: 'at-risk' }), pat, 1)
    const editable = view(doc, 'participant')
    expect(editable).toContain('<section class="outcomes-view" aria-label="Outcomes and success measures">')
    expect(editable).toContain('>Add outcome</button>')
    expect(editable).toContain('<select aria-label="Status of Fewer school exclusions">')
    expect(editable).toContain('aria-label="Delete outcome Fewer school exclusions"')
    const readOnly = view(doc, 'observer')
    expect(readOnly).toContain('<td>5 per term by March 2014</td>')
    expect(readOnly).toContain('<span class="outcome-status-badge status-at-risk">At risk</span>')
    expect(readOnly).not.toContain('<select')
    expect(readOnly).not.toContain('Add outcome')
    expect(readOnly).not.toContain('Delete')
  })

  it('prints the outcomes as a table, and says when there are none', () => {
    const doc = new Y.Doc()
    expect(renderToStaticMarkup(createElement(OutcomesPrint, { data: [] }))).toBe(
      '<p class="print-empty">No outcomes yet.</p>',
    )
    addOutcome(doc, fields({ status: 'on-track' }), pat, 1)
    const printed = renderToStaticMarkup(createElement(OutcomesPrint, { data: readOutcomes(doc) }))
    expect(printed).toContain('<table class="print-table">')
    expect(printed).toContain(
      '<tr><td>Fewer school exclusions</td><td>Fixed-term exclusions of children in the families worked with</td>' +
        '<td>14 fixed-term exclusions per term</td><td>5 per term by March 2014</td><td>Swindon Borough Council</td>' +
        '<td>On track</td></tr>',
    )
  })
})
