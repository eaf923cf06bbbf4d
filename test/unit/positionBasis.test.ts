/**
 * How a position was stated (issue #16): through the organisation's own link, on its behalf by the
 * facilitator, or self-declared. Only the first two count toward agreement; positions stored
 * before bases existed read as self-declared; every export and the diff say which it was.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffDocs, summariseDiff } from '../../shared/diff.ts'
import { buildExport, exportToMarkdown } from '../../shared/export.ts'
import { csvOf } from '../../shared/exportCsv.ts'
import { PROTOCOL_CSV_COLUMNS } from '../../shared/sections/protocol/exports.ts'
import { positionBasisFor, positionChoices } from '../../shared/linkIdentity.ts'
import {
  addClause,
  checkAgreement,
  participatingOrganisations,
  positionSchema,
  proposeClause,
  readClauses,
  settleClause,
  statePosition,
} from '../../shared/protocol.ts'
import { getProtocolMap, recordMember } from '../../shared/schema.ts'

const fiona = { userId: 'f', name: 'Fiona', organisation: 'Kent County Council' }
const dana = { userId: 'd', name: 'Dana', organisation: 'DWP' }
const pat = { userId: 'p', name: 'Pat', organisation: 'Police' }

function proposed() {
  const doc = new Y.Doc()
  recordMember(doc, 'f', { name: 'Fiona', organisation: 'Kent County Council', role: 'facilitator' }, 1)
  recordMember(doc, 'd', { name: 'Dana', organisation: 'DWP', role: 'participant' }, 1)
  const id = addClause(doc, 'Pooling', ['Partners pool £2m.'], fiona, 1)
  proposeClause(doc, id, fiona, 2)
  return { doc, id, clause: () => readClauses(doc)[0]! }
}

describe('agreement counts only positions that speak for their organisation', () => {
  it('does not pass on self-declared agreement, and passes once the link and the facilitator state them', () => {
    const { doc, id, clause } = proposed()
    statePosition(doc, id, 'Kent County Council', 'agree', '', fiona, 3, 'self-declared')
    statePosition(doc, id, 'DWP', 'agree', '', dana, 4, 'self-declared')
    const organisations = participatingOrganisations(doc)
    expect(clause().status).toBe('proposed')
    const check = checkAgreement(clause(), organisations)
    expect(check.passes).toBe(false)
    // A self-declared position is no position as far as agreement goes: both are still awaited.
    expect(check.missing).toEqual(['DWP', 'Kent County Council'])
    expect(check.selfDeclared.map((p) => [p.organisation, p.position])).toEqual([
      ['Kent County Council', 'agree'],
      ['DWP', 'agree'],
    ])
    expect(settleClause(doc, id, organisations, fiona, 5)).toBe(false)

    statePosition(doc, id, 'DWP', 'agree', '', dana, 6, 'link')
    expect(clause().status).toBe('proposed')
    expect(checkAgreement(clause(), organisations).missing).toEqual(['Kent County Council'])
    statePosition(doc, id, 'Kent County Council', 'agree', '', fiona, 7, 'on-behalf')
    expect(clause().status).toBe('agreed')
    expect(clause().positions.get('Kent County Council')).toMatchObject({ basis: 'on-behalf', by: fiona })
    expect(clause().positions.get('DWP')).toMatchObject({ basis: 'link', by: dana })
  })

  it('shows a self-declared block as an objection that blocks nothing; a counted block still blocks', () => {
    const { doc, id, clause } = proposed()
    // Someone on a general link says they are from the police, who are not taking part, and blocks.
    statePosition(doc, id, 'Police', 'block', 'We were not consulted', pat, 3)
    statePosition(doc, id, 'DWP', 'agree', '', dana, 4, 'link')
    expect(checkAgreement(clause(), participatingOrganisations(doc)).selfDeclared).toEqual([
      { organisation: 'Police', position: 'block', reason: 'We were not consulted', by: 'Pat' },
    ])
    statePosition(doc, id, 'Kent County Council', 'agree', '', fiona, 5, 'on-behalf')
    const check = checkAgreement(clause(), participatingOrganisations(doc))
    expect(check.blocks).toEqual([])
    expect(check.passes).toBe(true)
    expect(clause().status).toBe('agreed')

    const other = proposed()
    statePosition(other.doc, other.id, 'DWP', 'block', 'Not yet', dana, 3, 'link')
    expect(checkAgreement(other.clause(), participatingOrganisations(other.doc))).toMatchObject({
      passes: false,
      blocks: [{ organisation: 'DWP', reason: 'Not yet', by: 'Dana' }],
      selfDeclared: [],
    })
  })

  it('counts a counted block from an organisation no longer taking part, not a self-declared one', () => {
    const { doc, id, clause } = proposed()
    statePosition(doc, id, 'Police', 'block', 'Data sharing', pat, 3, 'on-behalf')
    expect(checkAgreement(clause(), participatingOrganisations(doc)).blocks.map((b) => b.organisation)).toEqual([
      'Police',
    ])
  })
})

describe('positions as stored', () => {
  it('reads a position stored before bases existed as self-declared, and leaves out a malformed basis', () => {
    const { doc, id, clause } = proposed()
    const positions = getProtocolMap(doc).get(id)!.get('positions') as Y.Map<unknown>
    const legacy = { position: 'agree', reason: '', by: dana, at: 3 }
    positions.set('DWP', legacy)
    positions.set('Police', { ...legacy, by: pat, basis: 'trust-me' })
    expect(positionSchema.parse(legacy).basis).toBe('self-declared')
    expect([...clause().positions.keys()]).toEqual(['DWP'])
    expect(clause().positions.get('DWP')).toEqual({ ...legacy, basis: 'self-declared' })
    expect(checkAgreement(clause(), participatingOrganisations(doc)).missing).toContain('DWP')
  })

  it('writes the basis with the position, self-declared when none is given', () => {
    const { doc, id } = proposed()
    statePosition(doc, id, 'DWP', 'disagree', 'Too vague', dana, 3)
    const raw = (getProtocolMap(doc).get(id)!.get('positions') as Y.Map<unknown>).get('DWP')
    expect(raw).toEqual({ position: 'disagree', reason: 'Too vague', by: dana, at: 3, basis: 'self-declared' })
  })
})

describe('the basis of a position about to be stated', () => {
  const general = { role: 'participant' as const, organisation: null }
  const dwpLink = { role: 'participant' as const, organisation: 'DWP' }
  const facilitator = { role: 'facilitator' as const, organisation: null }

  it('is the link for its own organisation, on behalf only when a facilitator chooses it, else self-declared', () => {
    expect(positionBasisFor(dwpLink, 'DWP', false)).toBe('link')
    expect(positionBasisFor(dwpLink, 'Police', true)).toBe('self-declared')
    expect(positionBasisFor(general, 'DWP', true)).toBe('self-declared')
    expect(positionBasisFor(facilitator, 'DWP', false)).toBe('self-declared')
    expect(positionBasisFor(facilitator, 'DWP', true)).toBe('on-behalf')
    expect(
      positionBasisFor({ role: 'facilitator', organisation: 'Kent County Council' }, 'Kent County Council', true),
    ).toBe('link')
  })

  it('offers a bound participant their organisation only, and a facilitator every organisation on behalf, explicitly', () => {
    const taking = ['DWP', 'Kent County Council', 'Police']
    expect(positionChoices(dwpLink, 'Whatever they typed', taking)).toEqual([{ organisation: 'DWP', basis: 'link' }])
    expect(positionChoices(general, 'Police', taking)).toEqual([{ organisation: 'Police', basis: 'self-declared' }])
    expect(positionChoices(facilitator, 'Kent County Council', taking)).toEqual([
      { organisation: 'Kent County Council', basis: 'self-declared' },
      { organisation: 'DWP', basis: 'on-behalf' },
      { organisation: 'Kent County Council', basis: 'on-behalf' },
      { organisation: 'Police', basis: 'on-behalf' },
    ])
    expect(positionChoices({ role: 'facilitator', organisation: 'Kent County Council' }, 'x', taking)).toEqual([
      { organisation: 'Kent County Council', basis: 'link' },
      { organisation: 'DWP', basis: 'on-behalf' },
      { organisation: 'Police', basis: 'on-behalf' },
    ])
  })
})

describe('exports and the diff say how each position was stated', () => {
  function stated() {
    const { doc, id } = proposed()
    statePosition(doc, id, 'Police', 'block', 'Not consulted', pat, Date.UTC(2026, 11, 3, 12))
    statePosition(doc, id, 'DWP', 'agree', 'Fine by us', dana, Date.UTC(2026, 11, 3, 10), 'link')
    statePosition(doc, id, 'Kent County Council', 'agree', '', fiona, Date.UTC(2026, 11, 3, 11), 'on-behalf')
    return doc
  }

  it('in the JSON, the Markdown minutes and the positions CSV', () => {
    const data = buildExport(stated())
    expect(data.protocol.clauses[0]!.positions).toMatchObject({
      DWP: { basis: 'link' },
      'Kent County Council': { basis: 'on-behalf' },
      Police: { basis: 'self-declared' },
    })
    expect(data.protocol.clauses[0]!.passes).toBe(true)
    const markdown = exportToMarkdown(data)
    expect(markdown).toContain('- DWP: **Agree** (Fine by us), stated through DWP’s link by Dana')
    expect(markdown).toContain('- Kent County Council: **Agree**, on behalf, recorded by Fiona, facilitator')
    expect(markdown).toContain('- Police: **Block** (Not consulted), self-declared by Pat')
    expect(markdown).toContain('_Self-declared positions are shown but do not count toward agreement._')

    // Labels as the sign-off matrix shows them; times in London (GMT in December).
    const rows = csvOf(data, 'protocol')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(rows[0]).toBe(PROTOCOL_CSV_COLUMNS.join(','))
    expect(rows.slice(1)).toEqual([
      '1,Pooling,Agreed,Police,Block,self-declared,Not consulted,Pat,Police,2026-12-03 12:00',
      '1,Pooling,Agreed,DWP,Agree,by link,Fine by us,Dana,DWP,2026-12-03 10:00',
      '1,Pooling,Agreed,Kent County Council,Agree,on behalf,,Fiona,Kent County Council,2026-12-03 11:00',
    ])
  })

  it('with text a partner typed neutralised in the positions CSV, as in every other CSV', () => {
    const { doc, id } = proposed()
    const sly = { userId: 's', name: '=HYPERLINK("http://x")', organisation: '+cmd|calc' }
    statePosition(doc, id, '@SUM(1)', 'block', '-2+3', sly, 3)
    const [, row] = csvOf(buildExport(doc), 'protocol').trim().split('\r\n')
    // London was on British Standard Time (GMT+1) all year in 1970.
    expect(row).toBe(
      `1,Pooling,Proposed,"'@SUM(1)",Block,self-declared,"'-2+3","'=HYPERLINK(""http://x"")","'+cmd|calc",1970-01-01 01:00`,
    )
  })

  it('in the diff between two states, a self-declared position confirmed through the link included', () => {
    const { doc, id } = proposed()
    statePosition(doc, id, 'DWP', 'agree', '', dana, 3)
    const before = Y.encodeStateAsUpdate(doc)
    statePosition(doc, id, 'DWP', 'agree', '', dana, 4, 'link')
    const old = new Y.Doc()
    Y.applyUpdate(old, before)
    const diff = diffDocs(old, doc)
    expect(diff.protocol.changed[0]!.positions).toEqual([
      { organisation: 'DWP', before: 'agree', after: 'agree', basis: { before: 'self-declared', after: 'link' } },
    ])
    expect(summariseDiff(diff)).toContain('Clause “Pooling”: DWP Agree (self-declared) → Agree (by link).')
  })
})
