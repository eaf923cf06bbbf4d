/**
 * The pot as React state: lines, totals, target and the pot's ledger, re-read when the document
 * changes. Reads are batched to one per animation frame, so a burst of remote edits costs one
 * recomputation, not one per update.
 */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { readLedger, type LedgerEntry } from '../../shared/ledger.ts'
import { computePotTotals, readPotLines, readTargetPot, type PotLine, type PotTotals } from '../../shared/pot.ts'
import { getLedgerArray, getMetaMap, getPotMap } from '../../shared/schema.ts'

export interface PotState {
  lines: PotLine[]
  totals: PotTotals
  target: number | null
  ledger: LedgerEntry[]
}

function read(doc: Y.Doc): PotState {
  const lines = readPotLines(doc)
  return {
    lines,
    totals: computePotTotals(lines),
    target: readTargetPot(doc),
    ledger: readLedger(doc).filter((entry) => entry.area === 'pot'),
  }
}

export function usePot(doc: Y.Doc): PotState {
  const [state, setState] = useState<PotState>(() => read(doc))
  useEffect(() => {
    let frame: number | null = null
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null
        setState(read(doc))
      })
    }
    setState(read(doc))
    const pot = getPotMap(doc)
    const meta = getMetaMap(doc)
    const ledger = getLedgerArray(doc)
    pot.observeDeep(schedule)
    meta.observe(schedule)
    ledger.observe(schedule)
    return () => {
      pot.unobserveDeep(schedule)
      meta.unobserve(schedule)
      ledger.unobserve(schedule)
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [doc])
  return state
}
