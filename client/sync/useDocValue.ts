/**
 * A value read from the workshop document, kept current as the document changes. Reads are
 * batched to one per animation frame, so a burst of remote updates costs one re-read and one
 * render; `read` should be a stable function (module-level or memoised).
 */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** Any Yjs type can be watched: only its deep observer is used. */
export type WatchedType = Pick<Y.AbstractType<unknown>, 'observeDeep' | 'unobserveDeep'>

export function useDocValue<T>(doc: Y.Doc, watch: (doc: Y.Doc) => readonly WatchedType[], read: (doc: Y.Doc) => T): T {
  const [value, setValue] = useState<T>(() => read(doc))
  useEffect(() => {
    let frame: number | null = null
    const refresh = () => {
      frame = null
      setValue(read(doc))
    }
    const schedule = () => {
      frame ??= requestAnimationFrame(refresh)
    }
    const types = watch(doc)
    for (const type of types) type.observeDeep(schedule)
    refresh()
    return () => {
      for (const type of types) type.unobserveDeep(schedule)
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [doc, watch, read])
  return value
}
