/**
 * The pot as React state: lines, totals, target and the pot's ledger, re-read when the document
 * changes. Reads are batched to one per animation frame, and only the lines that changed are
 * re-read: the others keep their object identity, so their memoised rows do not re-render.
 */
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { ledgerReader, type LedgerEntry } from '../../shared/ledger.ts'
import { computePotTotals, readPotLine, readTargetPot, type PotLine, type PotTotals } from '../../shared/pot.ts'
import { getLedgerArray, getMetaMap, getPotMap } from '../../shared/schema.ts'

export interface PotState {
  lines: PotLine[]
  totals: PotTotals
  target: number | null
  ledger: LedgerEntry[]
}

const byCreation = (a: PotLine, b: PotLine) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)

export function usePot(doc: Y.Doc): PotState {
  const [state, setState] = useState<PotState>(() => ({
    lines: [],
    totals: computePotTotals([]),
    target: null,
    ledger: [],
  }))
  useEffect(() => {
    const pot = getPotMap(doc)
    const meta = getMetaMap(doc)
    const ledgerArray = getLedgerArray(doc)
    // One schema check per ledger entry, not one per entry on every change (an edit adds an entry).
    const readPotLedger = ledgerReader()
    const cache = new Map<string, PotLine>()
    /** Line ids to re-read; null means every line (first read, or lines added or removed). */
    let changedLines: Set<string> | null = null
    let ledgerChanged = true
    let ledger: LedgerEntry[] = []
    let frame: number | null = null

    const refresh = () => {
      frame = null
      if (changedLines === null) {
        cache.clear()
        pot.forEach((map, id) => {
          if (map instanceof Y.Map) cache.set(id, readPotLine(id, map))
        })
      } else {
        for (const id of changedLines) {
          const map = pot.get(id)
          if (map instanceof Y.Map) cache.set(id, readPotLine(id, map))
          else cache.delete(id)
        }
      }
      changedLines = new Set()
      if (ledgerChanged) {
        ledger = readPotLedger(doc).filter((entry) => entry.area === 'pot')
        ledgerChanged = false
      }
      const lines = [...cache.values()].sort(byCreation)
      setState({ lines, totals: computePotTotals(lines), target: readTargetPot(doc), ledger })
    }
    const schedule = () => {
      frame ??= requestAnimationFrame(refresh)
    }
    const onPot = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target === pot) {
          // Lines added or removed: re-read those keys.
          event.changes.keys.forEach((_change, id) => changedLines?.add(id))
        } else {
          const id = event.path[0]
          if (typeof id === 'string') changedLines?.add(id)
        }
      }
      schedule()
    }
    const onLedger = () => {
      ledgerChanged = true
      schedule()
    }
    changedLines = null
    refresh()
    pot.observeDeep(onPot)
    meta.observe(schedule)
    ledgerArray.observe(onLedger)
    return () => {
      pot.unobserveDeep(onPot)
      meta.unobserve(schedule)
      ledgerArray.unobserve(onLedger)
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [doc])
  return state
}
