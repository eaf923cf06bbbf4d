/**
 * The ledger the server writes (shared/rules/ledgerOfChanges.ts): entries worked out from what an
 * accepted update did, the document before and after, never from what a client says. Each case
 * runs a shared domain function the way a browser does and lets test/helpers/serverLedger.ts
 * take the resulting update as the room does (candidate replica → changes → entries → append).
 * These are the ledger assertions the domain tests (pot, barriers, actions, votes, protocol,
 * facilitation) made while clients still wrote the ledger themselves.
 */
import { createSectionUndo } from '../../shared/sectionUndo.ts'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAction,
  addDecision,
  deleteActionItem,
  linkActionItem,
  setDecisionAgreement,
  updateAction,
  updateDecision,
  type ActionFields,
} from '../../shared/actions.ts'
import {
  addBarrier,
  DEFAULT_BARRIER,
  deleteBarrier,
  linkBarrier,
  setBarrierStatus,
  updateBarrier,
  type BarrierFields,
} from '../../shared/barriers.ts'
import { readLedger, type Actor, type LedgerEntry } from '../../shared/ledger.ts'
import {
  addPotLine,
  DEFAULT_LINE,
  deletePotLine,
  setTargetPot,
  updatePotLine,
  type PotLineFields,
} from '../../shared/pot.ts'
import { addClause, clauseBody, proposeClause, reopenClause, statePosition } from '../../shared/protocol.ts'
import { ledgerOfChanges } from '../../shared/rules/ledgerOfChanges.ts'
import { TEXT_EDIT_RECORD_MS } from '../../shared/sections/protocol/ledger.ts'
import { getCanvasArray, getMembersMap, openCanvas, recordMember } from '../../shared/schema.ts'
import { endVote, placeDot, startVote } from '../../shared/votes.ts'
import { setLock, setTakingPart, setWorkshopTitle } from '../../shared/workshopSettings.ts'
import { acceptUpdate, authorOf, cloneDoc, recorded, tryUpdate } from '../helpers/serverLedger.ts'
import { readBarriers } from '../../shared/barriers.ts'

const dwp: Actor = { userId: 'u-dwp', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
const swindon: Actor = { userId: 'u-swi', name: 'Tom Reed', organisation: 'Swindon Borough Council' }
const kent: Actor = { userId: 'u-kent', name: 'Priya Shah', organisation: 'Kent County Council' }
const dh: Actor = { userId: 'u-dh', name: 'Owen Price', organisation: 'Department of Health (DH)' }
const facilitator: Actor = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }
const police: Actor = { userId: 'p', name: 'Sam', organisation: 'Police' }
const POUND = 100

const line = (fields: Partial<PotLineFields> & { partner: string }): PotLineFields => ({ ...DEFAULT_LINE, ...fields })
const barrier = (fields: Partial<BarrierFields> = {}): BarrierFields => ({
  ...DEFAULT_BARRIER,
  title: 'ESF families funding cannot be pooled',
  raisedBy: 'Kent County Council',
  rule: 'ESF match-funding and audit rules',
  ...fields,
})
const action = (fields: Partial<ActionFields> = {}): ActionFields => ({
  what: 'DH will hold a workshop with the 16 areas',
  ownerOrganisation: 'Department of Health (DH)',
  ownerPerson: 'Owen Price',
  dueDate: '2012-02-15',
  status: 'open',
  ...fields,
})
const changed = (doc: Y.Doc) => readLedger(doc).filter((e) => e.action === 'changed')
const triples = (entries: readonly LedgerEntry[]) => entries.map((e) => [e.field, e.from, e.to])

/** The update `edit` makes on a client holding `doc`'s state (the client's copy is discarded). */
function clientUpdate(doc: Y.Doc, edit: (client: Y.Doc) => void): Uint8Array {
  const client = cloneDoc(doc)
  const updates: Uint8Array[] = []
  client.on('update', (u: Uint8Array) => updates.push(u))
  edit(client)
  client.destroy()
  return Y.mergeUpdates(updates)
}

describe('the server’s ledger: pot', () => {
  it('records a line proposed by someone: who, when, its label and amount', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dwp, 1000, (d) =>
      addPotLine(d, line({ partner: 'DWP', stream: 'Work Programme', amount: 60_000_000 * POUND }), dwp, 1000),
    )
    expect(readLedger(doc)).toEqual([
      expect.objectContaining({
        area: 'pot',
        subject: id,
        label: 'DWP · Work Programme',
        action: 'created',
        field: 'amount',
        from: null,
        to: 6_000_000_000,
        by: dwp,
        at: 1000,
      }),
    ])
    // The server also records which link the change came through.
    expect(readLedger(doc)[0]!.link).toEqual({ role: 'participant', organisation: null, name: null, linkId: null })
  })

  it('records from and to for each negotiated field that really changes, and nothing for notes', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dwp, 1, (d) => addPotLine(d, line({ partner: 'Police', amount: 500_000 * POUND }), dwp, 1))
    recorded(doc, swindon, 2, (d) =>
      updatePotLine(
        d,
        id,
        { amount: 750_000 * POUND, status: 'offered', conditions: 'Subject to PCC approval', mode: 'pooled' },
        swindon,
        2,
      ),
    )
    expect(changed(doc).map((e) => [e.field, e.from, e.to, e.by.name])).toEqual([
      ['amount', 50_000_000, 75_000_000, 'Tom Reed'],
      ['status', 'proposed', 'offered', 'Tom Reed'],
    ])
    // Every negotiated field: amount, status, mode, kind and partner.
    recorded(doc, swindon, 3, (d) =>
      updatePotLine(
        d,
        id,
        { mode: 'aligned', kind: 'in-kind', partner: 'Wiltshire Police', years: '2012-13' },
        swindon,
        3,
      ),
    )
    expect(triples(changed(doc).slice(2))).toEqual([
      ['mode', 'pooled', 'aligned'],
      ['kind', 'cash', 'in-kind'],
      ['partner', 'Police', 'Wiltshire Police'],
    ])
    expect(
      changed(doc)
        .slice(2)
        .every((e) => e.label === 'Wiltshire Police'),
    ).toBe(true)
    // Writing a field's value again records nothing.
    recorded(doc, swindon, 4, (d) => updatePotLine(d, id, { amount: 750_000 * POUND }, swindon, 4))
    expect(changed(doc)).toHaveLength(5)
  })

  it('records both people’s changes when they edit different fields of one line at once', () => {
    const server = new Y.Doc()
    const id = recorded(server, dwp, 1, (d) =>
      addPotLine(d, line({ partner: 'Kent County Council', amount: 100 * POUND }), dwp, 1),
    )
    const fromA = clientUpdate(server, (a) => updatePotLine(a, id, { amount: 2_000_000 * POUND }, dwp, 2))
    const fromB = clientUpdate(server, (b) => updatePotLine(b, id, { status: 'agreed' }, swindon, 2))
    acceptUpdate(server, fromA, authorOf(dwp), 2)
    acceptUpdate(server, fromB, authorOf(swindon), 2)
    expect(changed(server).map((e) => [e.field, e.to, e.by.userId])).toEqual([
      ['amount', 200_000_000, dwp.userId],
      ['status', 'agreed', swindon.userId],
    ])
  })

  it('records a removed line with what it held', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dwp, 1, (d) =>
      addPotLine(d, line({ partner: 'DfE', stream: 'Early Intervention Grant', amount: 5 * POUND }), dwp, 1),
    )
    recorded(doc, swindon, 2, (d) => deletePotLine(d, id, swindon, 2))
    expect(readLedger(doc).at(-1)).toMatchObject({
      subject: id,
      action: 'deleted',
      label: 'DfE · Early Intervention Grant',
      from: 500,
      to: null,
      by: swindon,
    })
  })

  it('records setting and clearing the target pot size', () => {
    const doc = new Y.Doc()
    recorded(doc, swindon, 5, (d) => setTargetPot(d, 3_000_000 * POUND, swindon, 5))
    recorded(doc, swindon, 6, (d) => setTargetPot(d, null, swindon, 6))
    expect(readLedger(doc).map((e) => [e.area, e.label, e.field, e.from, e.to])).toEqual([
      ['pot', 'Target pot size', 'targetPot', null, 300_000_000],
      ['pot', 'Target pot size', 'targetPot', 300_000_000, null],
    ])
  })

  it('records a line brought back by undoing its removal as restored', () => {
    const doc = new Y.Doc()
    const undo = createSectionUndo(doc, 'pot')
    const id = recorded(doc, dwp, 1, (d) =>
      addPotLine(
        d,
        line({ partner: 'Police', amount: 300, kind: 'in-kind', kindDescription: 'Two officers', status: 'agreed' }),
        dwp,
        1,
      ),
    )
    recorded(doc, dwp, 2, (d) => deletePotLine(d, id, dwp, 2))
    recorded(doc, dwp, 3, () => undo.undo())
    expect(readLedger(doc).map((e) => [e.subject, e.action, e.field, e.from, e.to, e.at])).toEqual([
      [id, 'created', 'amount', null, 300, 1],
      [id, 'deleted', 'amount', 300, null, 2],
      [id, 'restored', 'amount', null, 300, 3],
    ])
    // A new line is created, never restored.
    const other = recorded(doc, dwp, 4, (d) => addPotLine(d, line({ partner: 'DfE', amount: 1 }), dwp, 4))
    expect(readLedger(doc).at(-1)).toMatchObject({ subject: other, action: 'created' })
  })
})

describe('the server’s ledger: protocol', () => {
  function workshop() {
    const doc = new Y.Doc()
    recordMember(doc, 'f', { name: 'Fiona', organisation: 'Swindon Borough Council', role: 'facilitator' }, 1)
    recordMember(doc, 'd', { name: 'Amira', organisation: 'DWP', role: 'participant' }, 1)
    recordMember(doc, 'p', { name: 'Sam', organisation: 'Police', role: 'participant' }, 1)
    return doc
  }
  const amira: Actor = { userId: 'd', name: 'Amira', organisation: 'DWP' }

  it('records a clause’s creation, its proposal, each position, its agreement and its reopening', () => {
    const doc = workshop()
    const id = recorded(doc, facilitator, 1, (d) => addClause(d, 'Risk share', [], facilitator, 1))
    recorded(doc, facilitator, 2, (d) => proposeClause(d, id, facilitator, 2))
    for (const [org, actor] of [
      ['Swindon Borough Council', facilitator],
      ['DWP', amira],
      ['Police', police],
    ] as const) {
      recorded(doc, actor, 3, (d) => statePosition(d, id, org, 'agree', '', actor, 3, 'link'))
    }
    recorded(doc, facilitator, 4, (d) => reopenClause(d, id, facilitator, 4))
    const entries = readLedger(doc).filter((e) => e.area === 'protocol')
    expect(entries.map((e) => [e.action, e.field, e.from, e.to])).toEqual([
      ['created', null, null, 'Risk share'],
      ['changed', 'status', 'draft', 'proposed'],
      ['changed', 'position:Swindon Borough Council', null, 'agree'],
      ['changed', 'position:DWP', null, 'agree'],
      ['changed', 'position:Police', null, 'agree'],
      // The last position agrees the clause in the same update.
      ['changed', 'status', 'proposed', 'agreed'],
      // Reopening clears the positions: recorded once, as the reopening.
      ['reopened', 'status', 'agreed', 'reopened'],
    ])
    expect(entries.find((e) => e.field === 'position:DWP')).toMatchObject({
      from: null,
      to: 'agree',
      by: amira,
      subject: id,
      label: 'Risk share',
    })
    expect(entries.every((e) => e.subject === id)).toBe(true)
  })

  it('records a changed position and a changed reason, but not an unchanged one', () => {
    const doc = workshop()
    const id = recorded(doc, facilitator, 1, (d) => addClause(d, 'Governance', [], facilitator, 1))
    recorded(doc, facilitator, 2, (d) => proposeClause(d, id, facilitator, 2))
    recorded(doc, amira, 3, (d) => statePosition(d, id, 'DWP', 'disagree', 'Too vague', amira, 3, 'link'))
    recorded(doc, amira, 4, (d) => statePosition(d, id, 'DWP', 'block', 'Needs a DPIA', amira, 4, 'link'))
    recorded(doc, amira, 5, (d) => statePosition(d, id, 'DWP', 'block', 'Needs a DPIA first', amira, 5, 'link'))
    expect(triples(readLedger(doc).filter((e) => e.field === 'position:DWP'))).toEqual([
      ['position:DWP', null, 'disagree'],
      ['position:DWP', 'disagree', 'block'],
      ['position:DWP', 'block', 'block'],
    ])
  })

  it('records the wording of a reopened clause changing, once per person in five minutes, and never a draft’s typing', () => {
    const doc = workshop()
    const id = recorded(doc, facilitator, 1, (d) => addClause(d, 'Pooling', ['Partners pool money.'], facilitator, 1))
    const text = (d: Y.Doc) => (clauseBody(d, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    recorded(doc, amira, 2, (d) => text(d).insert(0, 'All '))
    expect(readLedger(doc)).toHaveLength(1)
    recorded(doc, facilitator, 3, (d) => proposeClause(d, id, facilitator, 3))
    recorded(doc, facilitator, 4, (d) => reopenClause(d, id, facilitator, 4))
    const before = readLedger(doc).length
    recorded(doc, amira, 10_000, (d) => text(d).insert(0, 'Now '))
    recorded(doc, amira, 20_000, (d) => text(d).insert(0, 'then '))
    recorded(doc, police, 30_000, (d) => text(d).insert(0, 'X'))
    recorded(doc, amira, 10_000 + TEXT_EDIT_RECORD_MS + 1, (d) => text(d).insert(0, 'Y'))
    expect(
      readLedger(doc)
        .slice(before)
        .map((e) => [e.field, e.by.userId, e.at]),
    ).toEqual([
      ['text', 'd', 10_000],
      ['text', 'p', 30_000],
      ['text', 'd', 10_000 + TEXT_EDIT_RECORD_MS + 1],
    ])
  })

  it('records a clause removed', () => {
    const doc = workshop()
    const id = recorded(doc, facilitator, 1, (d) => addClause(d, 'Exit', [], facilitator, 1))
    recorded(doc, facilitator, 2, (d) => d.getMap('protocol').delete(id))
    expect(readLedger(doc).at(-1)).toMatchObject({
      area: 'protocol',
      subject: id,
      action: 'deleted',
      label: 'Exit',
      from: 'draft',
      to: null,
    })
  })
})

describe('the server’s ledger: barriers', () => {
  const champion: Actor = { userId: 'u-dh', name: 'Owen Price', organisation: 'Department of Health (DH)' }

  it('records a barrier raised, by whom, as raised', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, kent, 1000, (d) =>
      addBarrier(
        d,
        barrier({
          department: 'DWP',
          champion: 'Director General, DWP',
          impactPence: 250_000_000,
          familiesAffected: 450,
          dueDate: '2012-03-31',
        }),
        kent,
        1000,
      ),
    )
    expect(readLedger(doc)).toEqual([
      expect.objectContaining({
        area: 'barriers',
        subject: id,
        label: 'ESF families funding cannot be pooled',
        action: 'created',
        field: 'status',
        from: null,
        to: 'raised',
        by: kent,
        at: 1000,
      }),
    ])
  })

  it('records every status move', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, kent, 1, (d) => addBarrier(d, barrier(), kent, 1))
    recorded(doc, champion, 3, (d) => setBarrierStatus(d, id, 'with-department', champion, 3))
    recorded(doc, champion, 4, (d) => setBarrierStatus(d, id, 'flexibility-agreed', champion, 4))
    recorded(doc, kent, 5, (d) => setBarrierStatus(d, id, 'resolved', kent, 5))
    const moves = readLedger(doc).filter((e) => e.field === 'status' && e.action === 'changed')
    expect(moves.map((e) => [e.from, e.to, e.by.userId])).toEqual([
      ['raised', 'with-department', champion.userId],
      ['with-department', 'flexibility-agreed', champion.userId],
      ['flexibility-agreed', 'resolved', kent.userId],
    ])
  })

  it('records changes of department, champion, impact and due date, and nothing else', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, kent, 1, (d) => addBarrier(d, barrier(), kent, 1))
    recorded(doc, kent, 2, (d) =>
      updateBarrier(
        d,
        id,
        {
          department: 'DfE',
          champion: 'Director, DfE',
          impactPence: 1_000,
          dueDate: '2012-06-30',
          flexibility: 'Align',
          familiesAffected: 12,
          title: 'ESF funding',
        },
        kent,
        2,
      ),
    )
    expect(triples(changed(doc))).toEqual([
      ['department', 'DWP', 'DfE'],
      ['champion', '', 'Director, DfE'],
      ['impactPence', null, 1_000],
      ['dueDate', '', '2012-06-30'],
    ])
    expect(changed(doc).every((e) => e.label === 'ESF funding')).toBe(true)
    // Links are not negotiated changes.
    recorded(doc, kent, 3, (d) => linkBarrier(d, id, { kind: 'clause', id: 'c1' }, true))
    expect(changed(doc)).toHaveLength(4)
  })

  it('records only what changed when two people edit different fields at the same time', () => {
    const server = new Y.Doc()
    const id = recorded(server, kent, 1, (d) => addBarrier(d, barrier(), kent, 1))
    const fromA = clientUpdate(server, (a) => updateBarrier(a, id, { champion: 'Director General, DH' }, kent, 2))
    const fromB = clientUpdate(server, (b) =>
      updateBarrier(
        b,
        id,
        { flexibility: 'Allow ESF to be aligned rather than pooled', title: 'ESF families funding cannot be pooled' },
        champion,
        2,
      ),
    )
    acceptUpdate(server, fromA, authorOf(kent), 2)
    acceptUpdate(server, fromB, authorOf(champion), 2)
    expect(readBarriers(server)[0]).toMatchObject({
      champion: 'Director General, DH',
      flexibility: 'Allow ESF to be aligned rather than pooled',
    })
    expect(changed(server).map((e) => e.field)).toEqual(['champion'])
  })

  it('records a barrier removed, keeping its title', () => {
    const doc = new Y.Doc()
    const first = recorded(doc, kent, 1, (d) => addBarrier(d, barrier(), kent, 1))
    const second = recorded(doc, kent, 2, (d) =>
      addBarrier(d, barrier({ title: 'Data sharing between police and health' }), kent, 2),
    )
    recorded(doc, kent, 3, (d) => setBarrierStatus(d, second, 'escalated', kent, 3))
    recorded(doc, kent, 4, (d) => deleteBarrier(d, first, kent, 4))
    expect(readLedger(doc).at(-1)).toMatchObject({
      action: 'deleted',
      subject: first,
      label: 'ESF families funding cannot be pooled',
      field: 'status',
      from: 'raised',
      to: null,
    })
  })
})

describe('the server’s ledger: actions and decisions', () => {
  it('records an action and a decision created', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dh, 1, (d) => addAction(d, action(), dh, 1, [{ kind: 'barrier', id: 'b1' }]))
    const decision = recorded(doc, kent, 2, (d) =>
      addDecision(d, { what: 'Pool ESF' }, ['Police', 'Kent County Council'], kent, 2),
    )
    expect(readLedger(doc)).toEqual([
      expect.objectContaining({
        area: 'actions',
        action: 'created',
        subject: id,
        label: 'DH will hold a workshop with the 16 areas',
        field: 'status',
        to: 'open',
        by: dh,
      }),
      expect.objectContaining({
        area: 'actions',
        action: 'created',
        subject: decision,
        label: 'Pool ESF',
        field: 'agreedBy',
        to: 'Kent County Council, Police',
        by: kent,
      }),
    ])
  })

  it('records status, due date and owner changes, and nothing for unchanged values or the person', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dh, 1, (d) => addAction(d, action(), dh, 1))
    recorded(doc, dh, 2, (d) =>
      updateAction(d, id, { status: 'in-progress', what: 'DH will hold a workshop with the 16 areas' }, dh, 2),
    )
    recorded(doc, dh, 3, (d) => updateAction(d, id, { dueDate: '2012-03-01', ownerPerson: 'Lena Ward' }, dh, 3))
    recorded(doc, dh, 4, (d) => updateAction(d, id, { ownerOrganisation: 'Kent County Council' }, dh, 4))
    expect(triples(changed(doc))).toEqual([
      ['status', 'open', 'in-progress'],
      ['dueDate', '2012-02-15', '2012-03-01'],
      ['ownerOrganisation', 'Department of Health (DH)', 'Kent County Council'],
    ])
  })

  it('records each organisation agreeing a decision, even at the same moment, and its wording changing', () => {
    const server = new Y.Doc()
    const id = recorded(server, kent, 1, (d) =>
      addDecision(d, { what: 'The pot is governed by the Kent Families Board' }, ['Kent County Council'], kent, 1),
    )
    const fromA = clientUpdate(server, (a) => setDecisionAgreement(a, id, 'Department of Health (DH)', true, dh, 2))
    const fromB = clientUpdate(server, (b) => setDecisionAgreement(b, id, 'Police', true, kent, 2))
    acceptUpdate(server, fromA, authorOf(dh), 2)
    acceptUpdate(server, fromB, authorOf(kent), 2)
    recorded(server, kent, 3, (d) => setDecisionAgreement(d, id, 'Police', false, kent, 3))
    recorded(server, kent, 5, (d) =>
      updateDecision(d, id, { what: 'The pot is governed by the Kent Families Board from April' }, kent, 5),
    )
    expect(triples(changed(server))).toEqual([
      ['agreedBy:Department of Health (DH)', false, true],
      ['agreedBy:Police', false, true],
      ['agreedBy:Police', true, false],
      [
        'what',
        'The pot is governed by the Kent Families Board',
        'The pot is governed by the Kent Families Board from April',
      ],
    ])
    expect(readLedger(server).at(-1)).toMatchObject({
      field: 'what',
      to: 'The pot is governed by the Kent Families Board from April',
    })
  })

  it('records an item removed, saying what kind it was; links are not recorded', () => {
    const doc = new Y.Doc()
    const id = recorded(doc, dh, 1, (d) => addAction(d, action(), dh, 1))
    recorded(doc, dh, 2, (d) => linkActionItem(d, id, { kind: 'clause', id: 'c1' }, true))
    expect(readLedger(doc)).toHaveLength(1)
    recorded(doc, kent, 9, (d) => deleteActionItem(d, id, kent, 9))
    expect(readLedger(doc).at(-1)).toMatchObject({ action: 'deleted', subject: id, from: 'action', to: null, by: kent })
  })
})

describe('the server’s ledger: votes', () => {
  it('records a vote started and ended, and no dots', () => {
    const doc = new Y.Doc()
    const esf = recorded(doc, kent, 1, (d) => addBarrier(d, barrier({ title: 'ESF cannot be pooled' }), kent, 1))
    const settings = {
      title: 'Which barriers matter most?',
      dotsPerPerson: 3,
      durationMinutes: null,
      visibility: 'live' as const,
    }
    const id = recorded(doc, facilitator, 10, (d) => startVote(d, settings, facilitator, 10))
    expect(readLedger(doc).at(-1)).toMatchObject({
      area: 'votes',
      action: 'started',
      subject: id,
      label: 'Which barriers matter most?',
      field: 'dotsPerPerson',
      to: 3,
    })
    recorded(doc, kent, 11, (d) => placeDot(d, id, esf, kent, 11))
    expect(readLedger(doc).filter((e) => e.area === 'votes')).toHaveLength(1)
    recorded(doc, facilitator, 20, (d) => endVote(d, id, readBarriers(d), facilitator, 20))
    expect(readLedger(doc).at(-1)).toMatchObject({
      area: 'votes',
      action: 'ended',
      subject: id,
      field: 'status',
      from: 'open',
      to: 'ended',
    })
  })
})

describe('the server’s ledger: the workshop', () => {
  it('records locking and unlocking a section, not locking it again', () => {
    const doc = new Y.Doc()
    recorded(doc, facilitator, 50, (d) => setLock(d, 'pot', true, facilitator, 50))
    recorded(doc, facilitator, 60, (d) => setLock(d, 'pot', true, facilitator, 60))
    recorded(doc, facilitator, 70, (d) => setLock(d, 'pot', false, facilitator, 70))
    expect(readLedger(doc).map((e) => [e.area, e.subject, e.label, e.field, e.from, e.to, e.at])).toEqual([
      ['workshop', 'pot', 'Pot', 'lock', false, true, 50],
      ['workshop', 'pot', 'Pot', 'lock', true, false, 70],
    ])
  })

  it('records the workshop’s title and the organisations taking part', () => {
    const doc = new Y.Doc()
    recorded(doc, facilitator, 1, (d) => d.getMap('meta').set('title', 'Kent Community Budget'))
    expect(readLedger(doc)).toHaveLength(1)
    recorded(doc, facilitator, 2, (d) => setWorkshopTitle(d, 'Kent and Medway Community Budget', facilitator, 2))
    recorded(doc, facilitator, 3, (d) => setTakingPart(d, 'Police', 'partner', facilitator, 3))
    recorded(doc, facilitator, 4, (d) => setTakingPart(d, 'Police', 'area', facilitator, 4))
    recorded(doc, facilitator, 5, (d) => setTakingPart(d, 'Police', null, facilitator, 5))
    expect(
      readLedger(doc)
        .slice(1)
        .map((e) => [e.area, e.label, e.action, e.field, e.from, e.to]),
    ).toEqual([
      ['workshop', 'Workshop title', 'changed', 'title', 'Kent Community Budget', 'Kent and Medway Community Budget'],
      ['workshop', 'Police', 'created', 'takingPart', null, 'partner'],
      ['workshop', 'Police', 'changed', 'takingPart', 'partner', 'area'],
      ['workshop', 'Police', 'deleted', 'takingPart', 'area', null],
    ])
  })

  it('records nothing for the board, members, hands, or an update that changes nothing negotiated', () => {
    const doc = new Y.Doc()
    recorded(doc, kent, 1, (d) => {
      openCanvas(d).set('shape:a', { id: 'shape:a', typeName: 'shape', x: 1 })
      recordMember(d, kent.userId, { name: kent.name, organisation: kent.organisation, role: 'participant' }, 1)
      d.getMap('hands').set(kent.userId, { name: kent.name, organisation: kent.organisation, at: 1 })
    })
    expect(getCanvasArray(doc).length).toBe(1)
    expect(getMembersMap(doc).size).toBe(1)
    expect(readLedger(doc)).toEqual([])
  })
})

describe('ledgerOfChanges itself', () => {
  it('works from the changes it is given and the documents before and after, nothing else', () => {
    const before = new Y.Doc()
    const id = recorded(before, dwp, 1, (d) => addPotLine(d, line({ partner: 'DWP', amount: 5 }), dwp, 1))
    const update = clientUpdate(before, (d) => updatePotLine(d, id, { amount: 7 }, dwp, 2))
    const { changes, after, done } = tryUpdate(before, update)
    expect(changes.filter((c) => !c.deleted).map((c) => [c.root, ...c.path])).toEqual([
      ['pot', id, 'amount'],
      ['pot', id, 'edit.amount'],
    ])
    const author = authorOf(dwp, { role: 'participant', organisation: 'DWP', linkId: 'link-1' })
    expect(ledgerOfChanges(before, after, changes, author, 2)).toEqual([
      expect.objectContaining({
        area: 'pot',
        subject: id,
        action: 'changed',
        field: 'amount',
        from: 5,
        to: 7,
        at: 2,
        by: dwp,
        link: author.link,
      }),
    ])
    // No changes given: nothing recorded, whatever differs between the documents.
    expect(ledgerOfChanges(before, after, [], author, 2)).toEqual([])
    done()
  })
})
