/**
 * Other people's selected cells in the pot grid, by line, and publishing one's own: the grid's
 * cursors, as in Sheets. Read from awareness at most ten times a second, since awareness changes
 * with every pointer move on the board too.
 */
import { useCallback, useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { GRID_CURSOR_FIELD, type GridCursor, gridCursorSchema } from '../../shared/gridCursor.ts'
import { presenceUserSchema } from '../../shared/presence.ts'

export interface PeerCursor {
  userId: string
  name: string
  colour: string
  field: string
}

export type CursorsByLine = ReadonlyMap<string, readonly PeerCursor[]>

function readCursors(awareness: Awareness, myUserId: string): Map<string, PeerCursor[]> {
  const byLine = new Map<string, PeerCursor[]>()
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const record = state as Record<string, unknown>
    const cursor = gridCursorSchema.safeParse(record[GRID_CURSOR_FIELD])
    const user = presenceUserSchema.safeParse(record.user)
    if (!cursor.success || !user.success || user.data.id === myUserId || cursor.data.grid !== 'pot') continue
    const list = byLine.get(cursor.data.row) ?? []
    if (!list.some((c) => c.userId === user.data.id))
      list.push({ userId: user.data.id, name: user.data.name, colour: user.data.colour, field: cursor.data.field })
    byLine.set(cursor.data.row, list)
  }
  return byLine
}

const key = (cursors: Map<string, PeerCursor[]>) =>
  JSON.stringify([...cursors].map(([line, list]) => [line, list.map((c) => [c.userId, c.field, c.colour])]))

export function usePotCursors(awareness: Awareness, myUserId: string) {
  const [cursors, setCursors] = useState<Map<string, PeerCursor[]>>(() => readCursors(awareness, myUserId))
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = ''
    const refresh = () => {
      timer = undefined
      const next = readCursors(awareness, myUserId)
      const nextKey = key(next)
      if (nextKey === last) return
      last = nextKey
      setCursors(next)
    }
    const onChange = () => {
      timer ??= setTimeout(refresh, 100)
    }
    refresh()
    awareness.on('change', onChange)
    return () => {
      awareness.off('change', onChange)
      if (timer) clearTimeout(timer)
      // Leaving the pot takes one's cell away from the others' grids.
      awareness.setLocalStateField(GRID_CURSOR_FIELD, null)
    }
  }, [awareness, myUserId])

  const publish = useCallback(
    (cursor: GridCursor | null) => {
      const current = (awareness.getLocalState() as Record<string, unknown> | null)?.[GRID_CURSOR_FIELD] ?? null
      if (JSON.stringify(current) === JSON.stringify(cursor)) return
      awareness.setLocalStateField(GRID_CURSOR_FIELD, cursor)
    },
    [awareness],
  )
  return { cursors: cursors as CursorsByLine, publish }
}
