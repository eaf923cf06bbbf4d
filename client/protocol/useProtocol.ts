/** The protocol as React state: ordered clauses and the organisations taking part, batched per frame. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { participatingOrganisations, readClauses, type Clause } from '../../shared/protocol.ts'
import { getMembersMap, getProtocolMap } from '../../shared/schema.ts'

export interface ProtocolState {
  clauses: Clause[]
  organisations: string[]
}

export function useProtocol(doc: Y.Doc): ProtocolState {
  const [state, setState] = useState<ProtocolState>(() => ({
    clauses: readClauses(doc),
    organisations: participatingOrganisations(doc),
  }))
  useEffect(() => {
    let frame: number | null = null
    const refresh = () => {
      frame = null
      setState({ clauses: readClauses(doc), organisations: participatingOrganisations(doc) })
    }
    const schedule = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      // Typing in a clause body changes nothing shown here; the editor renders it itself.
      if (events.every((event) => event.path.length >= 2 && event.path[1] === 'body')) return
      frame ??= requestAnimationFrame(refresh)
    }
    const onMembers = () => {
      frame ??= requestAnimationFrame(refresh)
    }
    refresh()
    const protocol = getProtocolMap(doc)
    const members = getMembersMap(doc)
    protocol.observeDeep(schedule)
    members.observe(onMembers)
    return () => {
      protocol.unobserveDeep(schedule)
      members.unobserve(onMembers)
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [doc])
  return state
}
