import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAction, addDecision, deleteActionItem, setDecisionAgreement, updateAction } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, deleteBarrier, setBarrierStatus, updateBarrier } from '../../shared/barriers.ts'
import { diffDocs, diffWorkshops, isEmptyDiff, summariseDiff } from '../../shared/diff.ts'
import type { Actor } from '../../shared/ledger.ts'
import { addPotLine, DEFAULT_LINE, deletePotLine, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody, moveClause, proposeClause, statePosition } from '../../shared/protocol.ts'
import { getCanvasArray, getProtocolMap, openCanvas } from '../../shared/schema.ts'

const dwp: Actor = { userId: 'u-dwp', name: 'Amira Khan', organisation: 'DWP' }
const POUND = 100
const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)

/** Applies `change` to a copy of `doc` and diffs the states before and after. */
function diffAfter(doc: Y.Doc, change: (doc: Y.Doc) => void) {
  const before = state(doc)
  change(doc)
  return diffWorkshops(before, state(doc))
}

function appendToFirstParagraph(doc: Y.Doc, clauseId: string, text: string) {
  const paragraph = clauseBody(doc, clauseId)!.get(0) as Y.XmlElement
  const node = paragraph.get(0) as Y.XmlText
  node.insert(node.length, text)
}

describe('diffWorkshops', () => {
  it('finds nothing between a state and itself', () => {
    const doc = new Y.Doc()
    addPotLine(doc, { ...DEFAULT_LINE, partner: 'DWP', amount: 5 * POUND }, dwp, 1)
    addClause(doc, 'Pooling', ['Partners pool.'], dwp, 2)
    addBarrier(doc, { ...DEFAULT_BARRIER, title: 'Rule', raisedBy: 'Swindon' }, dwp, 3)
    addAction(doc, { what: 'Meet', ownerOrganisation: 'DH', ownerPerson: '', dueDate: '', status: 'open' }, dwp, 4)
    openCanvas(doc).set('shape:a', { id: 'shape:a', typeName: 'shape', type: 'geo', x: 0, props: { w: 1 } })
    const diff = diffWorkshops(state(doc), state(doc))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(summariseDiff(diff)).toEqual([])
    expect(diff.pot.totals.overall).toEqual({ before: 5 * POUND, after: 5 * POUND, delta: 0 })
    expect(isEmptyDiff(diffDocs(doc, doc))).toBe(true)
    expect(isEmptyDiff(diffWorkshops(state(new Y.Doc()), state(new Y.Doc())))).toBe(true)
  })

  it('reports pot lines added, removed and changed, and the totals overall and by partner', () => {
    const doc = new Y.Doc()
    const work = addPotLine(
      doc,
      { ...DEFAULT_LINE, partner: 'DWP', stream: 'Work Programme', amount: 600_000 * POUND },
      dwp,
      1,
    )
    const gone = addPotLine(doc, { ...DEFAULT_LINE, partner: 'Swindon', amount: 100_000 * POUND }, dwp, 2)
    let added = ''
    const diff = diffAfter(doc, (d) => {
      updatePotLine(d, work, { amount: 750_000 * POUND, status: 'agreed' }, dwp, 3)
      deletePotLine(d, gone, dwp, 4)
      added = addPotLine(d, { ...DEFAULT_LINE, partner: 'DH', amount: 20_000 * POUND, status: 'offered' }, dwp, 5)
    })
    expect(diff.pot.added).toEqual([
      { id: added, label: 'DH', partner: 'DH', amount: 20_000 * POUND, status: 'offered' },
    ])
    expect(diff.pot.removed).toEqual([
      { id: gone, label: 'Swindon', partner: 'Swindon', amount: 100_000 * POUND, status: 'proposed' },
    ])
    expect(diff.pot.changed).toEqual([
      {
        id: work,
        label: 'DWP · Work Programme',
        changes: [
          { field: 'amount', before: 600_000 * POUND, after: 750_000 * POUND },
          { field: 'status', before: 'proposed', after: 'agreed' },
        ],
      },
    ])
    expect(diff.pot.totals.overall).toEqual({ before: 700_000 * POUND, after: 770_000 * POUND, delta: 70_000 * POUND })
    expect(diff.pot.totals.byPartner).toEqual([
      { partner: 'DH', before: 0, after: 20_000 * POUND, delta: 20_000 * POUND },
      { partner: 'DWP', before: 600_000 * POUND, after: 750_000 * POUND, delta: 150_000 * POUND },
      { partner: 'Swindon', before: 100_000 * POUND, after: 0, delta: -100_000 * POUND },
    ])
    expect(summariseDiff(diff)).toEqual([
      'Pot line added: DH, £20,000 (Offered).',
      'Pot line removed: Swindon, £100,000 (Proposed).',
      'DWP · Work Programme: £600,000 → £750,000 (+£150,000)',
      'DWP · Work Programme: status Proposed → Agreed',
      'DH total: £0 → £20,000 (+£20,000)',
      'DWP total: £600,000 → £750,000 (+£150,000)',
      'Swindon total: £100,000 → £0 (-£100,000)',
      'Pot total: £700,000 → £770,000 (+£70,000)',
    ])
    expect(isEmptyDiff(diff)).toBe(false)
  })

  it('counts a withdrawn line out of the totals', () => {
    const doc = new Y.Doc()
    const id = addPotLine(doc, { ...DEFAULT_LINE, partner: 'DWP', amount: 10 * POUND }, dwp, 1)
    const diff = diffAfter(doc, (d) => updatePotLine(d, id, { status: 'withdrawn' }, dwp, 2))
    expect(diff.pot.changed[0]!.changes).toEqual([{ field: 'status', before: 'proposed', after: 'withdrawn' }])
    expect(diff.pot.totals.overall).toEqual({ before: 10 * POUND, after: 0, delta: -10 * POUND })
  })

  it('reports clauses added, removed, renamed, moved, re-statused, reworded and positions changed', () => {
    const doc = new Y.Doc()
    const first = addClause(doc, 'Pooling', ['Partners pool £2m for families.'], dwp, 1)
    const second = addClause(doc, 'Governance', ['A board meets monthly.'], dwp, 2)
    const third = addClause(doc, 'Evaluation', ['Evaluated yearly.'], dwp, 3)
    let added = ''
    const diff = diffAfter(doc, (d) => {
      appendToFirstParagraph(d, first, ' DWP leads.')
      getProtocolMap(d).get(first)!.set('title', 'Pooled budget')
      proposeClause(d, second, dwp, 4)
      statePosition(d, second, 'DWP', 'agree', '', dwp, 5, 'link')
      statePosition(d, second, 'DH', 'block', 'Too soon', dwp, 6)
      moveClause(d, third, null, first) // Evaluation to the top
      added = addClause(d, 'Exit', ['Either partner may leave.'], dwp, 7)
    })
    expect(diff.protocol.added).toEqual([
      { id: added, title: 'Exit', status: 'draft', position: 4, text: 'Either partner may leave.' },
    ])
    expect(diff.protocol.removed).toEqual([])
    expect(diff.protocol.changed).toEqual([
      { id: third, title: 'Evaluation', order: { before: 3, after: 1 }, positions: [] },
      {
        id: first,
        title: 'Pooled budget',
        titleChange: { before: 'Pooling', after: 'Pooled budget' },
        text: [
          { kind: 'same', text: 'Partners pool £2m for families.' },
          { kind: 'added', text: ' DWP leads.' },
        ],
        body: [
          {
            type: 'paragraph',
            runs: [{ text: 'Partners pool £2m for families.' }, { text: ' DWP leads.', change: 'added' }],
          },
        ],
        positions: [],
      },
      {
        id: second,
        title: 'Governance',
        status: { before: 'draft', after: 'proposed' },
        positions: [
          { organisation: 'DH', before: null, after: 'block', basis: { before: null, after: 'self-declared' } },
          { organisation: 'DWP', before: null, after: 'agree', basis: { before: null, after: 'link' } },
        ],
      },
    ])
    expect(summariseDiff(diff)).toEqual([
      'Clause added: “Exit” (Draft, clause 4).',
      'Clause “Evaluation” moved from 3 to 1.',
      'Clause “Pooling” renamed “Pooled budget”.',
      'Clause “Pooled budget”: text changed (2 words added, 0 words removed).',
      'Clause “Governance”: Draft → Proposed.',
      'Clause “Governance”: DH no position → Block (self-declared).',
      'Clause “Governance”: DWP no position → Agree (by link).',
    ])
  })

  it('does not call a clause moved when it only shifted because another was removed', () => {
    const doc = new Y.Doc()
    const first = addClause(doc, 'One', ['a'], dwp, 1)
    addClause(doc, 'Two', ['b'], dwp, 2)
    const diff = diffAfter(doc, (d) => getProtocolMap(d).delete(first))
    expect(diff.protocol.removed).toEqual([{ id: first, title: 'One', status: 'draft', position: 1, text: 'a' }])
    expect(diff.protocol.changed).toEqual([])
    expect(summariseDiff(diff)).toEqual(['Clause removed: “One”.'])
  })

  it('reports barriers added, removed, and status and field changes', () => {
    const doc = new Y.Doc()
    const kept = addBarrier(doc, { ...DEFAULT_BARRIER, title: 'Benefit rules', raisedBy: 'Swindon' }, dwp, 1)
    const gone = addBarrier(doc, { ...DEFAULT_BARRIER, title: 'Data sharing', raisedBy: 'Swindon' }, dwp, 2)
    let added = ''
    const diff = diffAfter(doc, (d) => {
      setBarrierStatus(d, kept, 'with-department', dwp, 3)
      updateBarrier(d, kept, { champion: 'Jo Bloggs', impactPence: 50_000 * POUND }, dwp, 4)
      deleteBarrier(d, gone, dwp, 5)
      added = addBarrier(d, { ...DEFAULT_BARRIER, title: 'Ring fence', raisedBy: 'Bradford' }, dwp, 6)
    })
    expect(diff.barriers).toEqual({
      added: [{ id: added, title: 'Ring fence', status: 'raised' }],
      removed: [{ id: gone, title: 'Data sharing', status: 'raised' }],
      changed: [
        {
          id: kept,
          title: 'Benefit rules',
          status: { before: 'raised', after: 'with-department' },
          fields: [
            { field: 'champion', before: '', after: 'Jo Bloggs' },
            { field: 'impactPence', before: null, after: 50_000 * POUND },
          ],
        },
      ],
    })
    expect(summariseDiff(diff)).toEqual([
      'Barrier raised: “Ring fence” (Raised).',
      'Barrier removed: “Data sharing”.',
      'Barrier “Benefit rules”: Raised → With department.',
      'Barrier “Benefit rules”: champion (none) → Jo Bloggs.',
      'Barrier “Benefit rules”: impactPence (none) → £50,000.',
    ])
  })

  it('reports actions and decisions added, removed, status and agreement changes', () => {
    const doc = new Y.Doc()
    const action = addAction(
      doc,
      { what: 'Hold a workshop', ownerOrganisation: 'DH', ownerPerson: '', dueDate: '', status: 'open' },
      dwp,
      1,
    )
    const gone = addAction(
      doc,
      { what: 'Write up', ownerOrganisation: 'DWP', ownerPerson: '', dueDate: '', status: 'open' },
      dwp,
      2,
    )
    const decision = addDecision(doc, { what: 'Pool the budgets' }, ['DWP', 'DH'], dwp, 3)
    let added = ''
    const diff = diffAfter(doc, (d) => {
      updateAction(d, action, { status: 'done', dueDate: '2012-03-31' }, dwp, 4)
      deleteActionItem(d, gone, dwp, 5)
      setDecisionAgreement(d, decision, 'Swindon', true, dwp, 6)
      setDecisionAgreement(d, decision, 'DH', false, dwp, 7)
      added = addDecision(d, { what: 'Meet monthly' }, ['DWP'], dwp, 8)
    })
    expect(diff.actions).toEqual({
      added: [{ id: added, kind: 'decision', what: 'Meet monthly', agreedBy: ['DWP'] }],
      removed: [{ id: gone, kind: 'action', what: 'Write up', status: 'open' }],
      changed: [
        {
          id: action,
          kind: 'action',
          what: 'Hold a workshop',
          status: { before: 'open', after: 'done' },
          fields: [{ field: 'dueDate', before: '', after: '2012-03-31' }],
        },
        {
          id: decision,
          kind: 'decision',
          what: 'Pool the budgets',
          fields: [],
          agreedBy: { added: ['Swindon'], removed: ['DH'] },
        },
      ],
    })
    expect(summariseDiff(diff)).toEqual([
      'Decision added: “Meet monthly”.',
      'Action removed: “Write up”.',
      'Action “Hold a workshop”: Open → Done.',
      'Action “Hold a workshop”: dueDate (none) → 2012-03-31.',
      'Decision “Pool the budgets”: agreed by Swindon.',
      'Decision “Pool the budgets”: DH withdrew agreement.',
    ])
  })

  it('reports board shapes added, removed and changed by key and prop name, ignoring other records', () => {
    const doc = new Y.Doc()
    const canvas = openCanvas(doc)
    canvas.set('shape:a', {
      id: 'shape:a',
      typeName: 'shape',
      type: 'geo',
      x: 0,
      y: 0,
      props: { w: 10, h: 10, color: 'black' },
      meta: {},
    })
    canvas.set('shape:b', {
      id: 'shape:b',
      typeName: 'shape',
      type: 'note',
      x: 0,
      y: 0,
      props: { text: 'hi' },
      meta: {},
    })
    canvas.set('shape:c', {
      id: 'shape:c',
      typeName: 'shape',
      type: 'text',
      x: 0,
      y: 0,
      props: { text: 'same' },
      meta: {},
    })
    canvas.set('page:p', { id: 'page:p', typeName: 'page', name: 'Page 1' })
    const diff = diffAfter(doc, () => {
      canvas.set('shape:a', {
        id: 'shape:a',
        typeName: 'shape',
        type: 'geo',
        x: 5,
        y: 0,
        props: { w: 20, h: 10, color: 'red' },
        meta: {},
      })
      canvas.delete('shape:b')
      canvas.set('shape:d', { id: 'shape:d', typeName: 'shape', type: 'arrow', x: 0, y: 0, props: {}, meta: {} })
      canvas.set('page:p', { id: 'page:p', typeName: 'page', name: 'Renamed' })
      canvas.set('shape:c', {
        id: 'shape:c',
        typeName: 'shape',
        type: 'text',
        x: 0,
        y: 0,
        props: { text: 'same' },
        meta: {},
      })
    })
    expect(diff.board).toEqual({
      added: [{ id: 'shape:d', type: 'arrow' }],
      removed: [{ id: 'shape:b', type: 'note' }],
      changed: [{ id: 'shape:a', type: 'geo', keys: ['props', 'x'], props: ['color', 'w'] }],
    })
    expect(summariseDiff(diff)).toEqual(['Board: 1 shape added.', 'Board: 1 shape removed.', 'Board: 1 shape changed.'])
  })

  it('reads the canvas without writing to it (the rightmost duplicate entry wins, as in YKeyValue)', () => {
    const doc = new Y.Doc()
    const array = getCanvasArray(doc)
    array.push([{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape', type: 'geo', x: 0 } }])
    const before = new Y.Doc()
    Y.applyUpdate(before, state(doc))
    array.push([{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape', type: 'geo', x: 9 } }])
    const update = state(doc)
    expect(diffDocs(before, doc).board.changed).toEqual([{ id: 'shape:a', type: 'geo', keys: ['x'], props: [] }])
    expect(array.length).toBe(2)
    expect(state(doc)).toEqual(update)
  })
})
