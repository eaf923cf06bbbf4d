/**
 * The ledger as the server holds it, with its hash chain checked (shared/ledgerChain.ts), for any
 * token of the room: the record anyone invited can check for themselves.
 */
import { Hono } from 'hono'
import type * as Y from 'yjs'
import { type LedgerEntry, readLedger } from '../../../shared/ledger.ts'
import { type LedgerVerification, verifyLedger } from '../../../shared/ledgerChain.ts'
import type { RoomRegistry } from '../../rooms/registry.ts'
import { noSuchRoom } from '../errors.ts'
import type { RequireRoom } from '../requireRoom.ts'

export interface LedgerRouteDeps {
  registry: RoomRegistry
  requireRoom: RequireRoom
}

/** `GET /api/rooms/:id/ledger`: every entry, oldest first, and what the chain check found. */
export interface LedgerResponse {
  entries: LedgerEntry[]
  verification: LedgerVerification
}

const readChecked = (doc: Y.Doc): LedgerResponse => {
  const entries = readLedger(doc)
  return { entries, verification: verifyLedger(entries) }
}

/** Mounted at /api/rooms. */
export function ledgerRoutes({ registry, requireRoom }: LedgerRouteDeps): Hono {
  const routes = new Hono()
  routes.get('/:id/ledger', requireRoom(), async (c) => {
    const found = await registry.readDocument(c.var.roomId, readChecked)
    if (!found) throw noSuchRoom()
    c.header('Cache-Control', 'no-store')
    return c.json(found satisfies LedgerResponse)
  })
  return routes
}
