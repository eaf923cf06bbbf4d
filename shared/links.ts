/**
 * Links between items of a workshop: a barrier to the pot lines and clauses it blocks, an action
 * to the barrier, pot line or clause it follows up. An item's links are a Y.Map keyed
 * `kind:id`, so two people linking different things at the same moment both keep their link.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { getActionsMap, getBarriersMap, getPotMap, getProtocolMap } from './schema.ts'

export const LINK_KINDS = ['pot-line', 'clause', 'barrier', 'action'] as const
export type LinkKind = (typeof LINK_KINDS)[number]
export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  'pot-line': 'Pot line',
  clause: 'Clause',
  barrier: 'Barrier',
  action: 'Action',
}

export const linkSchema = z.object({ kind: z.enum(LINK_KINDS), id: z.string().min(1).max(64) })
export type Link = z.infer<typeof linkSchema>

export const linkKey = (link: Link): string => `${link.kind}:${link.id}`

/** Parses a `kind:id` key; null when a peer wrote something else. */
export function parseLinkKey(key: string): Link | null {
  const at = key.indexOf(':')
  const parsed = linkSchema.safeParse({ kind: key.slice(0, at), id: key.slice(at + 1) })
  return at > 0 && parsed.success ? parsed.data : null
}

/** A list of links with `link` added (once) or removed: for forms that gather links before the item exists. */
export function withLink(links: readonly Link[], link: Link, linked: boolean): Link[] {
  const others = links.filter((l) => linkKey(l) !== linkKey(link))
  return linked ? [...others, link] : others
}

/** The links held in an item's `links` map, in a stable order. */
export function readLinks(map: Y.Map<unknown>): Link[] {
  const links = map.get('links')
  if (!(links instanceof Y.Map)) return []
  const out: Link[] = []
  for (const key of links.keys()) {
    const link = parseLinkKey(key)
    if (link) out.push(link)
  }
  return out.sort((a, b) => linkKey(a).localeCompare(linkKey(b)))
}

/**
 * Gives a new item its (empty) links map. It must exist from the start: two people adding the
 * first link at the same moment would each create a map, and one map, with its link, would lose.
 */
export function initLinks(map: Y.Map<unknown>, links: readonly Link[]): void {
  const target = new Y.Map<unknown>()
  map.set('links', target)
  for (const link of links) target.set(linkKey(linkSchema.parse(link)), true)
}

/** Adds or removes one link of an item (inside the caller's transaction when there is one). */
export function setLink(map: Y.Map<unknown>, link: Link, linked: boolean): void {
  const valid = linkSchema.parse(link)
  let links = map.get('links')
  if (!(links instanceof Y.Map)) {
    links = new Y.Map<unknown>()
    map.set('links', links)
  }
  const target = links as Y.Map<unknown>
  if (linked) target.set(linkKey(valid), true)
  else target.delete(linkKey(valid))
}

/** What a link points at, named for people; null when the item has been removed. */
export function describeLink(doc: Y.Doc, link: Link): string | null {
  switch (link.kind) {
    case 'pot-line': {
      const line = getPotMap(doc).get(link.id)
      if (!(line instanceof Y.Map)) return null
      const partner = line.get('partner')
      const stream = line.get('stream')
      return (
        [partner, stream].filter((part): part is string => typeof part === 'string' && part !== '').join(' · ') ||
        'Pot line'
      )
    }
    case 'clause': {
      const clause = getProtocolMap(doc).get(link.id)
      if (!(clause instanceof Y.Map)) return null
      const title = clause.get('title')
      return typeof title === 'string' ? title : 'Clause'
    }
    case 'barrier':
    case 'action': {
      const item = (link.kind === 'barrier' ? getBarriersMap(doc) : getActionsMap(doc)).get(link.id)
      if (!(item instanceof Y.Map)) return null
      const title = item.get(link.kind === 'barrier' ? 'title' : 'what')
      return typeof title === 'string' ? title : LINK_KIND_LABELS[link.kind]
    }
  }
}
