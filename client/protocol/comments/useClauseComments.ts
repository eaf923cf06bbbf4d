/** A clause's comment thread as React state, re-read only when its comments change. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { observeComments, readComments, type ClauseComment } from '../../../shared/protocolComments.ts'

export function useClauseComments(doc: Y.Doc, clauseId: string): ClauseComment[] {
  const [comments, setComments] = useState<ClauseComment[]>(() => readComments(doc, clauseId))
  useEffect(() => {
    const refresh = () => setComments(readComments(doc, clauseId))
    refresh()
    return observeComments(doc, clauseId, refresh)
  }, [doc, clauseId])
  return comments
}

/** The current time, advanced every `intervalMs` while `active`, for "5 min ago" labels. */
export function useNow(active: boolean, intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [active, intervalMs])
  return now
}
