/**
 * What the printed pages say besides the sections (client/print/printText.ts), the clause renderer
 * (client/ui/RichText.tsx) drawn to markup, and the agenda the JSON export now carries.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  attendees,
  cssString,
  londonDateTime,
  minutesText,
  runningHeaderCss,
  signatories,
  stateLine,
} from '../../client/print/printText.ts'
import { RichText } from '../../client/ui/RichText.tsx'
import { addAgendaItem, moveAgendaItem, setCurrentAgendaItem } from '../../shared/agenda.ts'
import { buildExport, type WorkshopExport } from '../../shared/export.ts'
import { diffRichText } from '../../shared/richDiff.ts'
import type { RichBlock } from '../../shared/richText.ts'

const SUMMER = Date.UTC(2026, 6, 1, 13, 5) // 14:05 in London (BST)
const WINTER = Date.UTC(2026, 11, 3, 17, 40) // 17:40 in London (GMT)

describe('the printed pages’ words', () => {
  it('writes times in London, whatever the machine’s zone, with GMT or BST', () => {
    expect(londonDateTime(SUMMER)).toBe('Wednesday 1 July 2026 at 14:05 BST')
    expect(londonDateTime(WINTER)).toBe('Thursday 3 December 2026 at 17:40 GMT')
    expect(stateLine({ kind: 'live', printedAt: WINTER })).toBe(
      'The workshop as it stood when printed, Thursday 3 December 2026 at 17:40 GMT',
    )
    expect(stateLine({ kind: 'snapshot', name: 'End of day one', takenAt: SUMMER, sha256: 'ab', checkUrl: 'x' })).toBe(
      'Snapshot — End of day one, taken Wednesday 1 July 2026 at 14:05 BST',
    )
  })

  it('lists attendees by organisation then name, with roles in words and blanks named', () => {
    const member = (name: string, organisation: string, role: 'facilitator' | 'participant' | 'observer') => ({
      userId: name,
      name,
      organisation,
      role,
      firstSeen: 1,
      lastSeen: 2,
    })
    expect(
      attendees([
        member('Zoë Ward', 'Swindon Borough Council', 'participant'),
        member('Amira Khan', 'Department for Work and Pensions (DWP)', 'participant'),
        member('Fiona', 'Swindon Borough Council', 'facilitator'),
        member('  ', '', 'observer'),
      ]),
    ).toEqual([
      { name: '(no name given)', organisation: '(no organisation given)', role: 'Observer' },
      { name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)', role: 'Participant' },
      { name: 'Fiona', organisation: 'Swindon Borough Council', role: 'Facilitator' },
      { name: 'Zoë Ward', organisation: 'Swindon Borough Council', role: 'Participant' },
    ])
  })

  it('gives a signature block to every organisation taking part and to any other that stated a position', () => {
    const clause = (positions: string[]) => ({ positions: Object.fromEntries(positions.map((o) => [o, {}])) })
    const protocol = {
      organisations: ['DWP', 'Kent County Council'],
      clauses: [clause(['DWP', 'Police']), clause(['Home Office', 'Kent County Council'])],
    } as unknown as WorkshopExport['protocol']
    expect(signatories({ protocol })).toEqual(['DWP', 'Kent County Council', 'Home Office', 'Police'])
  })

  it('writes the running header as CSS strings nothing in a title can break out of', () => {
    // The space after an escape ends it; the next one is the title's own.
    expect(cssString('Kent & Medway "pot"')).toBe('"Kent \\26  Medway \\22 pot\\22 "')
    expect(cssString('a}\n@import')).toBe('"a\\7d \\a \\40 import"')
    const css = runningHeaderCss('Essex } body { display: none', { kind: 'live', printedAt: WINTER }, 'protocol')
    expect(css).toBe(
      '@page { @top-left { content: "Essex \\7d  body \\7b  display\\3a  none \\2014  protocol for signature"; } @top-right { content: "Printed 3 December 2026"; } }',
    )
    // Only the two margin boxes' content is set: one rule, two blocks, whatever the title says.
    expect(css.match(/[{}]/g)).toEqual(['{', '{', '}', '{', '}', '}'])
  })

  it('says timeboxes in hours and minutes', () => {
    expect([minutesText(15), minutesText(60), minutesText(135)]).toEqual(['15 min', '1 h', '2 h 15 min'])
  })
})

describe('the clause renderer', () => {
  const body: RichBlock[] = [
    { type: 'heading', level: 2, runs: [{ text: 'Scope' }] },
    {
      type: 'paragraph',
      runs: [
        { text: 'Each partner makes a ' },
        { text: 'Bold commitment', bold: true },
        { text: ', ' },
        { text: 'quarterly', italic: true },
        { text: '.\nSee ' },
        { text: 'the guidance', link: 'https://www.gov.uk/x' },
        { text: ' and ' },
        { text: 'this', link: 'javascript:alert(1)' },
      ],
    },
    { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'first <point>' }] }]] },
  ]

  it('draws bold, italic, line breaks, safe links, headings below the clause’s own, and lists', () => {
    const html = renderToStaticMarkup(createElement(RichText, { blocks: body, headingLevel: 4 }))
    expect(html).toBe(
      '<div class="rich-text"><h4>Scope</h4>' +
        '<p>Each partner makes a <strong>Bold commitment</strong>, <em>quarterly</em>.<br/>See ' +
        '<a href="https://www.gov.uk/x" rel="noopener noreferrer nofollow" target="_blank">the guidance</a> and this</p>' +
        '<ol><li><p>first &lt;point&gt;</p></li></ol></div>',
    )
    expect(html).not.toContain('**')
    expect(html).not.toContain('javascript:')
  })

  it('marks a diff’s additions and removals in their formatting', () => {
    const before: RichBlock[] = [
      { type: 'paragraph', runs: [{ text: 'A ' }, { text: 'firm', bold: true }, { text: ' plan' }] },
    ]
    const after: RichBlock[] = [
      { type: 'paragraph', runs: [{ text: 'A ' }, { text: 'binding', bold: true }, { text: ' plan' }] },
    ]
    const html = renderToStaticMarkup(createElement(RichText, { blocks: diffRichText(before, after) }))
    expect(html).toContain('<del><strong>firm</strong></del><ins><strong>binding</strong></ins>')
  })

  it('shows what it is given for an empty body', () => {
    expect(renderToStaticMarkup(createElement(RichText, { blocks: [], empty: 'No text yet.' }))).toBe('No text yet.')
  })
})

describe('the agenda in the JSON export', () => {
  it('carries the items in order with their timeboxes, the current item and the total', () => {
    const doc = new Y.Doc()
    expect(buildExport(doc).agenda).toEqual({ items: [], currentId: null, totalMinutes: 0 })
    const welcome = addAgendaItem(doc, { title: 'Welcome', minutes: 15 })
    const pot = addAgendaItem(doc, { title: 'The virtual pot', minutes: 60 })
    moveAgendaItem(doc, pot, -1)
    setCurrentAgendaItem(doc, welcome)
    expect(JSON.parse(JSON.stringify(buildExport(doc))).agenda).toEqual({
      items: [
        { id: pot, title: 'The virtual pot', minutes: 60 },
        { id: welcome, title: 'Welcome', minutes: 15 },
      ],
      currentId: welcome,
      totalMinutes: 75,
    })
  })
})
