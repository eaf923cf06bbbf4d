/**
 * Following another person's view. This page publishes where it is looking (`view` in awareness:
 * the tab and, on the board, the camera); when it follows someone (chosen here, or summoned by the
 * facilitator's "bring everyone to me") it returns that person's view for the shell and the board
 * to copy. Stopping a summon is remembered for that summon only: the next one brings you again.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { viewStateSchema, whomToFollow, type Summon, type ViewState, type WorkshopView } from '../../shared/follow.ts'
import { presenceUserSchema } from '../../shared/presence.ts'

export interface FollowTarget {
  userId: string
  name: string
  /** Null until they publish a view. */
  view: ViewState | null
}

export interface Follow {
  target: FollowTarget | null
  /** Whether the target is the facilitator's summon (rather than a choice made here). */
  summoned: boolean
  follow: (userId: string | null) => void
  /** Stops following whoever it is, including a summon. */
  stop: () => void
  /** The board reports its camera here (throttled by the caller); it is published with the view. */
  publishCamera: (camera: ViewState['camera']) => void
}

function findTarget(awareness: Awareness, userId: string): FollowTarget | null {
  let found: FollowTarget | null = null
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const user = presenceUserSchema.safeParse((state as { user?: unknown }).user)
    if (!user.success || user.data.id !== userId) continue
    const view = viewStateSchema.safeParse((state as { view?: unknown }).view)
    // With several tabs open, the one that published a view wins.
    if (!found || (found.view === null && view.success))
      found = { userId, name: user.data.name, view: view.success ? view.data : null }
  }
  return found
}

const sameView = (a: ViewState | null, b: ViewState | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.view === b.view &&
    a.camera?.x === b.camera?.x &&
    a.camera?.y === b.camera?.y &&
    a.camera?.z === b.camera?.z)

export function useFollow(awareness: Awareness, selfId: string, view: WorkshopView, summon: Summon | null): Follow {
  const [chosen, setChosen] = useState<string | null>(null)
  const [dismissedSummonAt, setDismissed] = useState<number | null>(null)
  const [target, setTarget] = useState<FollowTarget | null>(null)
  const camera = useRef<ViewState['camera']>(null)
  const targetId = whomToFollow(selfId, chosen, summon, dismissedSummonAt)

  const publish = useCallback(() => {
    awareness.setLocalStateField('view', { view, camera: view === 'board' ? camera.current : null } satisfies ViewState)
  }, [awareness, view])
  useEffect(publish, [publish])

  const publishCamera = useCallback(
    (next: ViewState['camera']) => {
      camera.current = next
      publish()
    },
    [publish],
  )

  useEffect(() => {
    if (targetId === null) {
      setTarget(null)
      return
    }
    const refresh = () =>
      setTarget((previous) => {
        const next = findTarget(awareness, targetId)
        return previous &&
          next &&
          previous.userId === next.userId &&
          previous.name === next.name &&
          sameView(previous.view, next.view)
          ? previous
          : next
      })
    refresh()
    awareness.on('change', refresh)
    return () => awareness.off('change', refresh)
  }, [awareness, targetId])

  const follow = useCallback((userId: string | null) => setChosen(userId), [])
  const stop = useCallback(() => {
    setChosen(null)
    if (summon) setDismissed(summon.at)
  }, [summon])

  return { target, summoned: targetId !== null && targetId !== chosen, follow, stop, publishCamera }
}
