/** The signed receipts and the whole-protocol mark as React state, refreshed when either changes. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { type ProtocolAgreed, readProtocolAgreed } from '../../../shared/protocolAgreement.ts'
import { latestClauseReceipts, type Receipt, readReceipts } from '../../../shared/receipts.ts'
import { getReceiptsArray, getSettingsMap } from '../../../shared/schema.ts'

export interface ReceiptsState {
  receipts: Receipt[]
  /** The newest receipt of each clause, by clause id. */
  byClause: Map<string, Receipt>
  /** The newest receipt for the protocol as a whole, if any. */
  protocolReceipt: Receipt | null
  protocolAgreed: ProtocolAgreed | null
}

function read(doc: Y.Doc): ReceiptsState {
  const receipts = readReceipts(doc)
  return {
    receipts,
    byClause: latestClauseReceipts(receipts),
    protocolReceipt: receipts.findLast((r) => r.kind === 'protocol') ?? null,
    protocolAgreed: readProtocolAgreed(doc),
  }
}

export function useReceipts(doc: Y.Doc): ReceiptsState {
  const [state, setState] = useState(() => read(doc))
  useEffect(() => {
    const refresh = () => setState(read(doc))
    const receipts = getReceiptsArray(doc)
    const settings = getSettingsMap(doc)
    refresh()
    receipts.observe(refresh)
    settings.observe(refresh)
    return () => {
      receipts.unobserve(refresh)
      settings.unobserve(refresh)
    }
  }, [doc])
  return state
}
