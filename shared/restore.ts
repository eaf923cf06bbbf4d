/**
 * Restoring a snapshot: the live document becomes the snapshot's content through ordinary edits
 * (so every client sees them at once, and history keeps both states). What is negotiated comes
 * back: the title and target (`meta`), every negotiated section (shared/sections/registry.ts) and
 * the board. Who has joined, raised hands, the facilitator's running settings (timer, agenda,
 * locks), the ledger and the signed receipts stay as they are; the ledger records the restore.
 * The facilitator's mark that the whole protocol is agreed stays only if the restored protocol is
 * still wholly agreed (it is never brought back: marking is an act that gets its own receipt).
 */
import * as Y from 'yjs'
import { appendLedger, ledgerEntry, type Actor } from './ledger.ts'
import { readClauses } from './protocol.ts'
import { protocolAgreementBlocker, readProtocolAgreed, withdrawProtocolAgreed } from './protocolAgreement.ts'
import { DOC_KEYS, openCanvas } from './schema.ts'
import { sections } from './sections/registry.ts'

/** Top-level maps whose content a restore replaces. */
const RESTORED_MAPS: readonly string[] = [DOC_KEYS.meta, ...sections().map((section) => section.key)]

const sameValue = (a: unknown, b: unknown): boolean => {
  const json = (v: unknown) => JSON.stringify(v instanceof Y.AbstractType ? v.toJSON() : v)
  return json(a) === json(b)
}

/** Makes `live` hold `snapshot`'s negotiated content, writing only what differs. */
export function restoreSnapshot(live: Y.Doc, snapshot: Y.Doc, label: string, actor: Actor, now: number): void {
  live.transact(() => {
    for (const key of RESTORED_MAPS) {
      const target = live.getMap<unknown>(key)
      const source = snapshot.getMap<unknown>(key)
      for (const existing of [...target.keys()]) if (!source.has(existing)) target.delete(existing)
      source.forEach((value, entry) => {
        if (target.has(entry) && sameValue(target.get(entry), value)) return
        target.set(entry, value instanceof Y.AbstractType ? value.clone() : value)
      })
    }
    const board = openCanvas(live)
    const records = openCanvas(snapshot)
    for (const { key } of board.yarray.toArray()) if (!records.has(key)) board.delete(key)
    for (const { key, val } of records.yarray.toArray()) if (!sameValue(board.get(key), val)) board.set(key, val)
    const entries = [ledgerEntry('workshop', actor, now, '', label, 'restored', 'snapshot', null, label)]
    if (readProtocolAgreed(live) && protocolAgreementBlocker(readClauses(live)) !== null) {
      withdrawProtocolAgreed(live)
      entries.push(
        ledgerEntry('protocol', actor, now, '', 'The protocol as a whole', 'changed', 'status', 'agreed', 'open'),
      )
    }
    appendLedger(live, entries)
  })
}
