/**
 * A clause body (TipTap / y-prosemirror XML) as Markdown, for exports and minutes. Handles the
 * nodes the editor allows: paragraphs, headings, bullet and ordered lists, bold, italic, links.
 */
import * as Y from 'yjs'

interface DeltaOp {
  insert?: unknown
  attributes?: Record<string, unknown>
}

function inline(text: Y.XmlText): string {
  return (text.toDelta() as DeltaOp[])
    .map((op) => {
      if (typeof op.insert !== 'string') return ''
      let out = op.insert.replace(/([*_[\]\\])/g, '\\$1')
      const marks = op.attributes ?? {}
      if (marks.italic) out = `*${out}*`
      if (marks.bold) out = `**${out}**`
      const link = marks.link as { href?: unknown } | undefined
      if (link && typeof link.href === 'string' && /^(https?:|mailto:)/i.test(link.href)) out = `[${out}](${link.href})`
      return out
    })
    .join('')
}

function textOf(node: Y.XmlElement | Y.XmlFragment): string {
  return node
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? inline(child) : child instanceof Y.XmlElement ? textOf(child) : ''))
    .join('')
}

function blocks(node: Y.XmlElement | Y.XmlFragment, indent = ''): string[] {
  const out: string[] = []
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue
    switch (child.nodeName) {
      case 'heading': {
        const level = Math.min(6, Math.max(1, Number(child.getAttribute('level')) || 2)) + 1
        out.push(`${'#'.repeat(level)} ${textOf(child)}`)
        break
      }
      case 'bulletList':
      case 'orderedList':
        child.toArray().forEach((item, i) => {
          if (!(item instanceof Y.XmlElement)) return
          const marker = child.nodeName === 'bulletList' ? '-' : `${i + 1}.`
          const [first, ...rest] = blocks(item, `${indent}   `)
          out.push(`${indent}${marker} ${first?.trimStart() ?? ''}`, ...rest)
        })
        break
      default:
        out.push(`${indent}${textOf(child)}`)
    }
  }
  return out
}

export function clauseBodyToMarkdown(body: Y.XmlFragment): string {
  return blocks(body).join('\n\n')
}
