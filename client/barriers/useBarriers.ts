/** The barriers view's reads of the document, each re-read at most once per animation frame. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { readActionItems, type ActionItem } from '../../shared/actions.ts'
import { readBarriers, type Barrier } from '../../shared/barriers.ts'
import { readVotes, type Vote } from '../../shared/votes.ts'
import { getActionsMap, getBarriersMap, getVotesMap } from '../../shared/schema.ts'
import { measureClockOffset, serverNow } from '../facilitation/serverClock.ts'
import { useDocValue } from '../sync/useDocValue.ts'

const watchBarriers = (doc: Y.Doc) => [getBarriersMap(doc)]
const watchVotes = (doc: Y.Doc) => [getVotesMap(doc)]
const watchActions = (doc: Y.Doc) => [getActionsMap(doc)]

export function useBarrierData(doc: Y.Doc): { barriers: Barrier[]; votes: Vote[]; actions: ActionItem[] } {
  const barriers = useDocValue(doc, watchBarriers, readBarriers)
  const votes = useDocValue(doc, watchVotes, readVotes)
  const actions = useDocValue(doc, watchActions, readActionItems)
  return { barriers, votes, actions }
}

/**
 * The server's clock (votes are timed on it, like the shared timer), ticking every second while
 * `active` (a timed vote is running), for countdowns.
 */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(serverNow)
  useEffect(() => {
    void measureClockOffset().then(() => setNow(serverNow()))
  }, [])
  useEffect(() => {
    if (!active) return
    setNow(serverNow())
    let timer: ReturnType<typeof setTimeout>
    const tick = () => {
      setNow(serverNow())
      // Tick on the second so the countdown never skips or repeats a number.
      timer = setTimeout(tick, 1000 - (serverNow() % 1000) + 5)
    }
    timer = setTimeout(tick, 1000 - (serverNow() % 1000) + 5)
    return () => clearTimeout(timer)
  }, [active])
  return now
}
