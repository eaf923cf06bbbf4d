/**
 * Writes a clause body as the editor (TipTap through y-prosemirror) stores it, from the tree
 * shared/richText.ts reads back: for tests and benchmarks that need formatted clauses without a
 * browser.
 */
import * as Y from 'yjs'
import type { RichBlock, RichRun } from '../../shared/richText.ts'

function textOf(runs: readonly RichRun[]): (Y.XmlText | Y.XmlElement)[] {
  const text = new Y.XmlText()
  const delta = runs.map((run) => {
    const attributes: Record<string, unknown> = {}
    if (run.bold) attributes.bold = true
    if (run.italic) attributes.italic = true
    if (run.link) attributes.link = { href: run.link }
    return Object.keys(attributes).length > 0 ? { insert: run.text, attributes } : { insert: run.text }
  })
  // applyDelta needs the text in a document first, so it runs once the element is inserted.
  pending.push(() => text.applyDelta(delta))
  return [text]
}

let pending: (() => void)[] = []

function elementOf(block: RichBlock): Y.XmlElement {
  switch (block.type) {
    case 'paragraph': {
      const element = new Y.XmlElement('paragraph')
      element.insert(0, textOf(block.runs))
      return element
    }
    case 'heading': {
      const element = new Y.XmlElement('heading')
      element.setAttribute('level', String(block.level))
      element.insert(0, textOf(block.runs))
      return element
    }
    case 'list': {
      const element = new Y.XmlElement(block.ordered ? 'orderedList' : 'bulletList')
      element.insert(
        0,
        block.items.map((item) => {
          const listItem = new Y.XmlElement('listItem')
          listItem.insert(0, item.map(elementOf))
          return listItem
        }),
      )
      return element
    }
  }
}

/** Replaces `body`'s content with `blocks` (in one transaction of its document). */
export function writeRichBody(body: Y.XmlFragment, blocks: readonly RichBlock[]): void {
  const doc = body.doc
  if (!doc) throw new Error('the body must be in a document')
  doc.transact(() => {
    pending = []
    body.delete(0, body.length)
    body.insert(0, blocks.map(elementOf))
    for (const apply of pending) apply()
    pending = []
  })
}
