/**
 * What the live cards on the board share: the workshop document they read their items from, and a
 * hook that keeps one item of one section current.
 */
import { createContext, useEffect, useState } from 'react'
import * as Y from 'yjs'

/** The workshop document the cards read their items from; Board provides it around the editor. */
export const BoardDocContext = createContext<Y.Doc | null>(null)

/**
 * The document each board store is bound to (useYjsTldrawStore registers it). A card shape's
 * `toSvg` reaches it through its editor's store: tldraw renders exports in a React root of its
 * own, where BoardDocContext is not provided.
 */
const storeDocs = new WeakMap<object, Y.Doc>()

export function bindStoreDoc(store: object, doc: Y.Doc): void {
  storeDocs.set(store, doc)
}

/** The document of the board whose store is `store`; a picture drawn without it would misstate every card. */
export function storeDoc(store: object): Y.Doc {
  const doc = storeDocs.get(store)
  if (!doc) throw new Error('This board is not bound to a workshop document, so its cards cannot be drawn.')
  return doc
}

/**
 * The item `id` of the section `section(doc)` (a Y.Map of Y.Maps) as `read` makes it, or null
 * once it has been removed. Re-read only when that item changes (its fields, or it being added,
 * replaced or removed), so a board full of cards does not re-render on every keystroke elsewhere.
 */
export function useSectionItem<T>(
  doc: Y.Doc | null,
  section: (doc: Y.Doc) => Y.Map<Y.Map<unknown>>,
  id: string,
  read: (id: string, map: Y.Map<unknown>) => T,
): T | null {
  const readNow = (): T | null => {
    if (!doc) return null
    const map = section(doc).get(id)
    return map instanceof Y.Map ? read(id, map) : null
  }
  const [item, setItem] = useState<T | null>(readNow)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `section` and `read` are module-level functions and `readNow` is rebuilt from them each render; subscribing again on every render could miss a change between renders
  useEffect(() => {
    if (!doc) {
      setItem(null)
      return
    }
    const map = section(doc)
    setItem(readNow())
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const touched = events.some((event) => (event.target === map ? event.changes.keys.has(id) : event.path[0] === id))
      if (touched) setItem(readNow())
    }
    map.observeDeep(onChange)
    return () => map.unobserveDeep(onChange)
    // `section` and `read` are module-level functions; the card is identified by doc and id.
  }, [doc, id])
  return item
}
