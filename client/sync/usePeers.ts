/**
 * Everyone present in the room, from awareness. Peers' states are untrusted: a state that does
 * not parse as a PresenceUser is left out.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { presenceUserSchema, type PresenceUser } from '../../shared/presence.ts'

export interface Peer extends PresenceUser {
  /** Open connections of this person (tabs or devices). */
  connections: number
  isSelf: boolean
}

export function readPeers(awareness: Awareness): Peer[] {
  const byUser = new Map<string, Peer>()
  for (const [clientId, state] of awareness.getStates()) {
    const parsed = presenceUserSchema.safeParse((state as { user?: unknown }).user)
    if (!parsed.success) continue
    const isSelf = clientId === awareness.clientID
    const existing = byUser.get(parsed.data.id)
    if (existing) {
      existing.connections++
      existing.isSelf ||= isSelf
    } else {
      byUser.set(parsed.data.id, { ...parsed.data, connections: 1, isSelf })
    }
  }
  return [...byUser.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name))
}

function samePeers(a: Peer[], b: Peer[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i]!
      return (
        p.id === q.id &&
        p.name === q.name &&
        p.organisation === q.organisation &&
        p.role === q.role &&
        p.connections === q.connections &&
        p.colour === q.colour
      )
    })
  )
}

export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => readPeers(awareness))
  useEffect(() => {
    // 'change' also fires for every cursor move of every peer: re-read at most five times a second.
    let timer: ReturnType<typeof setTimeout> | undefined
    const refresh = () => {
      timer = undefined
      setPeers((previous) => {
        const next = readPeers(awareness)
        return samePeers(previous, next) ? previous : next
      })
    }
    const onChange = () => {
      timer ??= setTimeout(refresh, 200)
    }
    refresh()
    awareness.on('change', onChange)
    return () => {
      awareness.off('change', onChange)
      if (timer) clearTimeout(timer)
    }
  }, [awareness])
  return peers
}
