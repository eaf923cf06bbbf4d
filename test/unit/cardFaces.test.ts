/**
 * What a card on the board says in a picture of the board, read from the document without React
 * (client/board/cardFaces.ts), and how its words are wrapped (client/board/cardSvg.tsx).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAction, addDecision } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, deleteBarrier } from '../../shared/barriers.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { actionFace, barrierFace, potLineFace } from '../../client/board/cardFaces.ts'
import { wrapText } from '../../client/board/cardSvg.tsx'

const actor = { userId: 'u', name: 'Kim Kent', organisation: 'Swindon Borough Council' }
/** A monospaced stand-in for the browser's metrics: 10 px a character. */
const measure = (text: string) => text.length * 10

describe('card faces', () => {
  it('reads each kind of card from the document as the on-screen card shows it', () => {
    const doc = new Y.Doc()
    const line = addPotLine(
      doc,
      {
        ...DEFAULT_LINE,
        partner: 'Swindon Borough Council',
        stream: 'Troubled Families',
        amount: 25_000_000,
        status: 'withdrawn',
      },
      actor,
      1,
    )
    expect(potLineFace(doc, line)).toMatchObject({
      removed: false,
      title: 'Swindon Borough Council',
      details: ['Troubled Families'],
      figure: { text: '£250,000', struck: true },
      status: { label: 'Withdrawn' },
    })
    const barrier = addBarrier(
      doc,
      { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled', raisedBy: 'Swindon', department: 'DWP' },
      actor,
      2,
    )
    expect(barrierFace(doc, barrier)).toMatchObject({
      kicker: 'Barrier',
      title: 'ESF cannot be pooled',
      badge: { text: 'DWP' },
      status: { label: 'Raised' },
    })
    const action = addAction(
      doc,
      {
        what: 'Write to DH',
        ownerOrganisation: 'Swindon Borough Council',
        ownerPerson: 'Kim',
        dueDate: '2024-03-01',
        status: 'open',
      },
      actor,
      3,
    )
    expect(actionFace(doc, action, '2024-03-02')).toMatchObject({
      kicker: 'Action',
      title: 'Write to DH',
      details: ['Swindon Borough Council · Kim'],
      badge: { text: 'OVERDUE' },
      aside: 'Due 1 Mar 2024',
    })
    expect(actionFace(doc, action, '2024-03-01').badge).toBeNull()
    const decision = addDecision(doc, { what: 'Pool from April' }, ['DWP'], actor, 4)
    expect(actionFace(doc, decision, '2024-03-01')).toMatchObject({ kicker: 'Decision', details: ['Agreed by DWP'] })
  })

  it('says "Removed" only for an item that is gone', () => {
    const doc = new Y.Doc()
    const barrier = addBarrier(doc, { ...DEFAULT_BARRIER, title: 'Gone soon', raisedBy: 'Swindon' }, actor, 1)
    deleteBarrier(doc, barrier, actor, 2)
    expect(barrierFace(doc, barrier)).toMatchObject({ removed: true, title: 'Removed barrier' })
    expect(potLineFace(doc, 'nope')).toMatchObject({ removed: true, title: 'Removed contribution' })
  })
})

describe('wrapText', () => {
  it('breaks between words, keeps to the lines allowed and ends what is cut with an ellipsis', () => {
    expect(wrapText('ESF money cannot be pooled at source', 120, 3, '', measure)).toEqual([
      'ESF money',
      'cannot be',
      'pooled at…',
    ])
    expect(wrapText('Short', 120, 2, '', measure)).toEqual(['Short'])
    // A word longer than a line is broken inside it.
    expect(wrapText('Supercalifragilisticexpialidocious', 100, 2, '', measure)).toEqual(['Supercalif', 'ragilisti…'])
    expect(wrapText('  spaced   out  ', 200, 1, '', measure)).toEqual(['spaced out'])
  })
})
