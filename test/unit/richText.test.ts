import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRichText } from '../../shared/richText.ts'

function element(name: string, children: (Y.XmlElement | Y.XmlText)[], attributes: Record<string, string> = {}) {
  const node = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value)
  node.insert(0, children)
  return node
}

describe('clause text as a tree', () => {
  it('reads headings, lists, marks, hard breaks and safe links as the editor stores them', () => {
    const doc = new Y.Doc()
    const body = doc.getXmlFragment('body')
    const rich = new Y.XmlText()
    const second = new Y.XmlText('second line')
    body.insert(0, [
      element('heading', [new Y.XmlText('Risk')], { level: '3' }),
      element('paragraph', [rich, element('hardBreak', []), second]),
      element('bulletList', [
        element('listItem', [element('paragraph', [new Y.XmlText('first')])]),
        element('listItem', [element('paragraph', [new Y.XmlText('second')])]),
      ]),
      element('orderedList', [element('listItem', [element('paragraph', [new Y.XmlText('step')])])]),
      element('blink', [new Y.XmlText('unknown node')]),
    ])
    rich.applyDelta([
      { insert: 'Shared ' },
      { insert: 'in proportion', attributes: { bold: true, italic: true } },
      { insert: ' see ' },
      { insert: 'the note', attributes: { link: { href: 'https://example.org/note' } } },
      { insert: ' and ' },
      { insert: 'bad', attributes: { link: { href: 'javascript:alert(1)' } } },
    ])
    const tree = readRichText(body)
    expect(tree).toEqual([
      { type: 'heading', level: 3, runs: [{ text: 'Risk' }] },
      {
        type: 'paragraph',
        runs: [
          { text: 'Shared ' },
          { text: 'in proportion', bold: true, italic: true },
          { text: ' see ' },
          { text: 'the note', link: 'https://example.org/note' },
          { text: ' and bad\nsecond line' },
        ],
      },
      {
        type: 'list',
        ordered: false,
        items: [
          [{ type: 'paragraph', runs: [{ text: 'first' }] }],
          [{ type: 'paragraph', runs: [{ text: 'second' }] }],
        ],
      },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'step' }] }]] },
      { type: 'paragraph', runs: [{ text: 'unknown node' }] },
    ])
    expect(readRichText(doc.getXmlFragment('empty'))).toEqual([])
  })
})
