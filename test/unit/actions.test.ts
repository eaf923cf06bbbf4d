import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAction,
  addDecision,
  deleteActionItem,
  isOverdue,
  itemsLinkedTo,
  linkActionItem,
  readActionItems,
  setDecisionAgreement,
  updateAction,
  updateDecision,
  type ActionFields,
} from '../../shared/actions.ts'
import { isIsoDate, localIsoDate } from '../../shared/dates.ts'
import type { Actor } from '../../shared/ledger.ts'
import { getActionsMap } from '../../shared/schema.ts'

const dh: Actor = { userId: 'u-dh', name: 'Owen Price', organisation: 'Department of Health (DH)' }
const kent: Actor = { userId: 'u-kent', name: 'Priya Shah', organisation: 'Kent County Council' }
const action = (fields: Partial<ActionFields> = {}): ActionFields => ({
  what: 'DH will hold a workshop with the 16 areas',
  ownerOrganisation: 'Department of Health (DH)',
  ownerPerson: 'Owen Price',
  dueDate: '2012-02-15',
  status: 'open',
  ...fields,
})

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

// What the server records in the ledger for each of these edits: test/unit/ledgerOfChanges.test.ts.
describe('actions and decisions', () => {
  it('adds an action linked to a barrier, and finds it from the barrier', () => {
    const doc = new Y.Doc()
    const id = addAction(doc, action(), dh, 1, [{ kind: 'barrier', id: 'b1' }])
    const items = readActionItems(doc)
    expect(items).toEqual([
      expect.objectContaining({
        id,
        kind: 'action',
        status: 'open',
        links: [{ kind: 'barrier', id: 'b1' }],
        createdBy: dh,
      }),
    ])
    expect(itemsLinkedTo(items, { kind: 'barrier', id: 'b1' }).map((i) => i.id)).toEqual([id])
    expect(itemsLinkedTo(items, { kind: 'barrier', id: 'b2' })).toEqual([])
  })

  it('refuses an empty description, a missing owner and an impossible date', () => {
    const doc = new Y.Doc()
    expect(() => addAction(doc, action({ what: ' ' }), dh, 1)).toThrow('Say what is to be done')
    expect(() => addAction(doc, action({ ownerOrganisation: '' }), dh, 1)).toThrow(
      'Say which organisation owns the action',
    )
    expect(() => addAction(doc, action({ dueDate: '31/03/2012' }), dh, 1)).toThrow('YYYY-MM-DD')
    expect(() => addDecision(doc, { what: '' }, [], dh, 1)).toThrow('Say what was decided')
    expect(() =>
      setDecisionAgreement(
        doc,
        addDecision(doc, { what: 'Pool ESF' }, [' Police ', 'Police'], dh, 1),
        'x'.repeat(121),
        true,
        dh,
        2,
      ),
    ).toThrow('An organisation’s name must be at most 120 characters')
    expect(readActionItems(doc)).toEqual([expect.objectContaining({ kind: 'decision', agreedBy: ['Police'] })])
    expect(isIsoDate('2012-02-29')).toBe(true)
    expect(isIsoDate('2011-02-29')).toBe(false)
  })

  it('changes status, due date and owner, writing nothing for unchanged values', () => {
    const doc = new Y.Doc()
    const id = addAction(doc, action(), dh, 1)
    const written: string[] = []
    getActionsMap(doc)
      .get(id)!
      .observe((event) => written.push(...event.keysChanged))
    updateAction(doc, id, { status: 'in-progress', what: 'DH will hold a workshop with the 16 areas' }, dh, 2)
    updateAction(doc, id, { dueDate: '2012-03-01', ownerPerson: 'Lena Ward' }, dh, 3)
    expect(written.sort()).toEqual(['dueDate', 'ownerPerson', 'status'])
    expect(readActionItems(doc)[0]).toMatchObject({
      status: 'in-progress',
      dueDate: '2012-03-01',
      ownerPerson: 'Lena Ward',
    })
  })

  it('marks an open or in-progress action past its due date as overdue, and nothing else', () => {
    const doc = new Y.Doc()
    addAction(doc, action({ dueDate: '2012-02-15' }), dh, 1)
    addAction(doc, action({ dueDate: '2012-02-15', status: 'done' }), dh, 2)
    addAction(doc, action({ dueDate: '' }), dh, 3)
    addAction(doc, action({ dueDate: '2012-02-16', status: 'in-progress' }), dh, 4)
    addDecision(doc, { what: 'Pool ESF as aligned money' }, [], dh, 5)
    expect(readActionItems(doc).map((item) => isOverdue(item, '2012-02-16'))).toEqual([
      true,
      false,
      false,
      false,
      false,
    ])
    expect(localIsoDate(new Date(2012, 1, 5))).toBe('2012-02-05')
  })

  it('keeps two organisations agreeing a decision at the same moment', () => {
    const a = new Y.Doc()
    const id = addDecision(
      a,
      { what: 'The pot is governed by the Kent Families Board' },
      ['Kent County Council'],
      kent,
      1,
    )
    const b = new Y.Doc()
    sync(a, b)
    setDecisionAgreement(a, id, 'Department of Health (DH)', true, dh, 2)
    setDecisionAgreement(b, id, 'Police', true, kent, 2)
    sync(a, b)
    const [decision] = readActionItems(b)
    expect(decision).toMatchObject({
      kind: 'decision',
      agreedBy: ['Department of Health (DH)', 'Kent County Council', 'Police'],
    })
    setDecisionAgreement(a, id, 'Police', false, kent, 3)
    expect(readActionItems(a)[0]).toMatchObject({ agreedBy: ['Department of Health (DH)', 'Kent County Council'] })
    expect(() => updateAction(a, id, { status: 'done' }, kent, 4)).toThrow('is a decision')
    updateDecision(a, id, { what: 'The pot is governed by the Kent Families Board from April' }, kent, 5)
    expect(readActionItems(a)[0]).toMatchObject({
      kind: 'decision',
      what: 'The pot is governed by the Kent Families Board from April',
    })
  })

  it('keeps links two people add at the same moment, and deletes', () => {
    const a = new Y.Doc()
    const id = addAction(a, action(), dh, 1)
    const b = new Y.Doc()
    sync(a, b)
    linkActionItem(a, id, { kind: 'clause', id: 'c1' }, true)
    linkActionItem(b, id, { kind: 'pot-line', id: 'p1' }, true)
    sync(a, b)
    expect(readActionItems(a)[0]!.links).toHaveLength(2)
    deleteActionItem(b, id, kent, 9)
    expect(readActionItems(b)).toEqual([])
    expect(getActionsMap(b).has(id)).toBe(false)
  })

  it('reads an item a peer wrote badly with defaults rather than hiding it', () => {
    const doc = new Y.Doc()
    const id = addAction(doc, action(), dh, 1)
    getActionsMap(doc).get(id)!.set('status', 'finished?')
    getActionsMap(doc).get(id)!.set('dueDate', 12)
    expect(readActionItems(doc)[0]).toMatchObject({
      id,
      status: 'open',
      dueDate: '',
      what: 'DH will hold a workshop with the 16 areas',
    })
  })
})
