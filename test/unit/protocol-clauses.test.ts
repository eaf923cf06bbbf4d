import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addClause,
  checkAgreement,
  clauseBody,
  isClauseEditable,
  moveClauseBy,
  moveClause,
  participatingOrganisations,
  proposeClause,
  readClauses,
  reopenClause,
  statePosition,
} from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { recordMember } from '../../shared/schema.ts'

const facilitator = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }
const dwp = { userId: 'd', name: 'Amira', organisation: 'DWP' }
const police = { userId: 'p', name: 'Sam', organisation: 'Police' }

function workshop() {
  const doc = new Y.Doc()
  recordMember(doc, 'f', { name: 'Fiona', organisation: 'Swindon Borough Council', role: 'facilitator' }, 1)
  recordMember(doc, 'd', { name: 'Amira', organisation: 'DWP', role: 'participant' }, 1)
  recordMember(doc, 'p', { name: 'Sam', organisation: 'Police', role: 'participant' }, 1)
  recordMember(doc, 'o', { name: 'Olu', organisation: 'HM Treasury', role: 'observer' }, 1)
  return doc
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('clauses', () => {
  it('starts from the template in order, with its paragraphs as the body', () => {
    const doc = workshop()
    for (const clause of PROTOCOL_TEMPLATE) addClause(doc, clause.title, clause.paragraphs, facilitator, 1)
    const clauses = readClauses(doc)
    expect(clauses.map((c) => c.title)).toEqual(PROTOCOL_TEMPLATE.map((c) => c.title))
    expect(clauses.every((c) => c.status === 'draft')).toBe(true)
    expect(clauseBody(doc, clauses[2]!.id)!.toString()).toContain('European Social Fund')
  })

  it('reorders by keyboard steps and by placing between two clauses', () => {
    const doc = workshop()
    const [a, b, c] = ['A', 'B', 'C'].map((t) => addClause(doc, t, [], facilitator, 1))
    moveClauseBy(doc, c!, -1)
    expect(readClauses(doc).map((x) => x.title)).toEqual(['A', 'C', 'B'])
    moveClause(doc, a!, b!, null)
    expect(readClauses(doc).map((x) => x.title)).toEqual(['C', 'B', 'A'])
    moveClauseBy(doc, c!, -1)
    expect(readClauses(doc).map((x) => x.title)).toEqual(['C', 'B', 'A'])
  })

  it('converges when two people move clauses at the same time', () => {
    const a = workshop()
    const ids = ['One', 'Two', 'Three', 'Four'].map((t) => addClause(a, t, [], facilitator, 1))
    const b = new Y.Doc()
    sync(a, b)
    moveClauseBy(a, ids[3]!, -1)
    moveClauseBy(b, ids[0]!, 1)
    sync(a, b)
    expect(readClauses(a).map((c) => c.title)).toEqual(readClauses(b).map((c) => c.title))
    expect(new Set(readClauses(a).map((c) => c.title)).size).toBe(4)
  })

  it('refuses an empty title', () => {
    expect(() => addClause(workshop(), '  ', [], facilitator, 1)).toThrow('Give the clause a title')
  })
})

describe('agreement rules', () => {
  function proposed() {
    const doc = workshop()
    const id = addClause(doc, 'Data sharing', ['Share only what is needed.'], facilitator, 1)
    proposeClause(doc, id, facilitator, 2)
    return { doc, id }
  }

  it('counts every organisation that joined with edit rights, not observers', () => {
    expect(participatingOrganisations(workshop())).toEqual(['DWP', 'Police', 'Swindon Borough Council'])
  })

  it('agrees a clause once every organisation has agreed or abstained', () => {
    const { doc, id } = proposed()
    statePosition(doc, id, 'Swindon Borough Council', 'agree', '', facilitator, 3, 'link')
    statePosition(doc, id, 'DWP', 'abstain', 'Not our money', dwp, 4, 'link')
    expect(readClauses(doc)[0]!.status).toBe('proposed')
    expect(checkAgreement(readClauses(doc)[0]!, participatingOrganisations(doc)).missing).toEqual(['Police'])
    statePosition(doc, id, 'Police', 'agree', '', police, 5, 'link')
    const clause = readClauses(doc)[0]!
    expect(clause.status).toBe('agreed')
    expect(isClauseEditable(clause)).toBe(false)
  })

  it('does not pass while anyone blocks, and says who and why', () => {
    const { doc, id } = proposed()
    statePosition(doc, id, 'Swindon Borough Council', 'agree', '', facilitator, 3, 'link')
    statePosition(doc, id, 'DWP', 'agree', '', dwp, 4, 'link')
    statePosition(doc, id, 'Police', 'block', 'Needs a data protection impact assessment first', police, 5, 'link')
    const clause = readClauses(doc)[0]!
    expect(clause.status).toBe('proposed')
    expect(checkAgreement(clause, participatingOrganisations(doc))).toMatchObject({
      passes: false,
      blocks: [{ organisation: 'Police', reason: 'Needs a data protection impact assessment first', by: 'Sam' }],
    })
    expect(() => statePosition(doc, id, 'Police', 'block', ' ', police, 6)).toThrow(/Say why you block/)
  })

  it('does not pass when everyone abstains or someone disagrees', () => {
    const { doc, id } = proposed()
    for (const [org, actor] of [
      ['Swindon Borough Council', facilitator],
      ['DWP', dwp],
      ['Police', police],
    ] as const) {
      statePosition(doc, id, org, 'abstain', '', actor, 3, 'link')
    }
    expect(readClauses(doc)[0]!.status).toBe('proposed')
    statePosition(doc, id, 'DWP', 'disagree', 'Too vague', dwp, 4, 'link')
    expect(checkAgreement(readClauses(doc)[0]!, participatingOrganisations(doc)).disagreeing).toEqual(['DWP'])
  })

  // The server records each of these steps in the ledger: test/unit/ledgerOfChanges.test.ts.
  it('takes positions only on a proposed clause, and reopening clears them', () => {
    const doc = workshop()
    const id = addClause(doc, 'Risk share', [], facilitator, 1)
    expect(() => statePosition(doc, id, 'DWP', 'agree', '', dwp, 2)).toThrow(/once the facilitator proposes/)
    proposeClause(doc, id, facilitator, 2)
    for (const [org, actor] of [
      ['Swindon Borough Council', facilitator],
      ['DWP', dwp],
      ['Police', police],
    ] as const) {
      statePosition(doc, id, org, 'agree', '', actor, 3, 'link')
    }
    expect(readClauses(doc)[0]!.status).toBe('agreed')
    reopenClause(doc, id, facilitator, 4)
    const clause = readClauses(doc)[0]!
    expect(clause.status).toBe('reopened')
    expect(clause.positions.size).toBe(0)
    expect(isClauseEditable(clause)).toBe(true)
    // A reopened clause takes positions again once the facilitator proposes it anew.
    expect(() => statePosition(doc, id, 'DWP', 'agree', '', dwp, 5, 'link')).toThrow(/once the facilitator proposes/)
    proposeClause(doc, id, facilitator, 6)
    statePosition(doc, id, 'DWP', 'agree', '', dwp, 7, 'link')
    expect(readClauses(doc)[0]!.positions.get('DWP')).toMatchObject({
      position: 'agree',
      by: dwp,
      at: 7,
      basis: 'link',
    })
  })

  it('keeps both organisations’ positions when stated at the same moment', () => {
    const { doc: a, id } = proposed()
    const b = new Y.Doc()
    sync(a, b)
    statePosition(a, id, 'DWP', 'agree', '', dwp, 3, 'link')
    statePosition(b, id, 'Police', 'block', 'Data', police, 3, 'link')
    sync(a, b)
    expect([...readClauses(a)[0]!.positions.keys()].sort()).toEqual(['DWP', 'Police'])
    expect(readClauses(b)[0]!.positions.get('DWP')?.position).toBe('agree')
  })
})
