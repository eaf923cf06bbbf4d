/**
 * What a section's view may ask of the workshop around it: to place one of its items on the board,
 * or to start an action about a barrier. The live shell provides it; a snapshot's page offers
 * neither, so views read the defaults and show no such buttons or do nothing.
 */
import { createContext, type ReactNode, useContext } from 'react'
import type { Link } from '../../shared/links.ts'
import type { BoardItemKind } from '../board/placement.ts'

export interface WorkshopNavigation {
  /** Shows the board with the item placed on it as a live card; null where there is no live board. */
  placeOnBoard: ((kind: BoardItemKind, id: string) => void) | null
  /** Opens the actions with a new action linked to the barrier. */
  createActionFor: (barrierId: string) => void
  /** What a new action starts linked to, from "Create action" on a barrier; null when none. */
  actionLinkFrom: Link | null
  /** Called once the action started from `actionLinkFrom` is created, or its form cancelled. */
  actionLinkFromUsed: () => void
  /** The item opened in the view by the address (`/r/:id/barriers/:barrierId`), or null. */
  openedItem: string | null
  /** Puts the item opened in the view (null: none) in the address, for back/forward and links; null where there is no address to keep. */
  openItem: ((id: string | null) => void) | null
}

const noop = () => {}
const READ_ONLY: WorkshopNavigation = {
  placeOnBoard: null,
  createActionFor: noop,
  actionLinkFrom: null,
  actionLinkFromUsed: noop,
  openedItem: null,
  openItem: null,
}

const NavigationContext = createContext<WorkshopNavigation>(READ_ONLY)

export function WorkshopNavigationProvider({ value, children }: { value: WorkshopNavigation; children: ReactNode }) {
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>
}

export const useWorkshopNavigation = (): WorkshopNavigation => useContext(NavigationContext)
