import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildExport, exportToMarkdown } from '../../shared/export.ts'
import { addComment, resolveComment } from '../../shared/protocolComments.ts'
import { addClause, clauseBody, proposeClause, statePosition } from '../../shared/protocol.ts'
import { clauseBodyToMarkdown } from '../../shared/protocolText.ts'
import { recordMember } from '../../shared/schema.ts'

const actor = { userId: 'f', name: 'Fiona', organisation: 'Kent County Council' }

function element(name: string, children: (Y.XmlElement | Y.XmlText)[], attributes: Record<string, string> = {}) {
  const node = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value)
  node.insert(0, children)
  return node
}

describe('clause text as Markdown', () => {
  it('renders headings, lists, bold, italic and safe links as the editor stores them', () => {
    const doc = new Y.Doc()
    const body = doc.getXmlFragment('body')
    const rich = new Y.XmlText()
    const bullet = new Y.XmlText()
    const ordered = new Y.XmlText()
    body.insert(0, [
      element('heading', [new Y.XmlText('Risk')], { level: '2' }),
      element('paragraph', [rich]),
      element('bulletList', [element('listItem', [element('paragraph', [bullet])])]),
      element('orderedList', [element('listItem', [element('paragraph', [ordered])])]),
    ])
    rich.applyDelta([
      { insert: 'Shared ' },
      { insert: 'in proportion', attributes: { bold: true } },
      { insert: ' see ' },
      { insert: 'the note', attributes: { link: { href: 'https://example.org/note' } } },
      { insert: ' and ' },
      { insert: 'bad', attributes: { link: { href: 'javascript:alert(1)' } } },
    ])
    bullet.insert(0, 'first', { italic: true })
    ordered.insert(0, 'step [one]')
    expect(clauseBodyToMarkdown(body)).toBe(
      '### Risk\n\nShared **in proportion** see [the note](https://example.org/note) and bad\n\n- *first*\n\n1. step \\[one\\]',
    )
  })

  it('puts the protocol, with each organisation’s position, into the exports', () => {
    const doc = new Y.Doc()
    recordMember(doc, 'f', { name: 'Fiona', organisation: 'Kent County Council', role: 'facilitator' }, 1)
    const id = addClause(doc, 'Purpose', ['Pool money around families.'], actor, 1)
    proposeClause(doc, id, actor, 2)
    statePosition(doc, id, 'Kent County Council', 'agree', '', actor, 3, 'link')
    const comment = addComment(doc, id, 'Does this cover the ESF families money?', actor, 4)
    resolveComment(doc, id, comment, actor, 5)
    addComment(doc, id, 'Add police | health data here', actor, 6)
    const data = buildExport(doc)
    expect(data.protocol.clauses[0]!.comments.map((c) => [c.text, c.resolved !== null])).toEqual([
      ['Does this cover the ESF families money?', true],
      ['Add police | health data here', false],
    ])
    expect(data.protocol.clauses).toEqual([
      expect.objectContaining({
        title: 'Purpose',
        status: 'agreed',
        text: 'Pool money around families.',
        passes: true,
      }),
    ])
    expect(clauseBody(doc, id)).not.toBeNull()
    const markdown = exportToMarkdown(data)
    expect(markdown).toContain('## Protocol\n\n1 of 1 clauses agreed.')
    expect(markdown).toContain(
      '### 1. Purpose (Agreed)\n\nPool money around families.\n\n- Kent County Council: **Agree**, stated through Kent County Council’s link by Fiona',
    )
    expect(markdown).toContain(
      `Comments (1 open):\n\n- ${actor.name} (${actor.organisation}), resolved: Does this cover the ESF families money?\n- ${actor.name} (${actor.organisation}): Add police \\| health data here`,
    )
  })
})
