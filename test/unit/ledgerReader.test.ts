/**
 * The ledger read again on every change (the pot's history): each stored entry is checked once,
 * and an entry keeps its identity from one read to the next, so a memoised row of it is not drawn
 * again. What it returns is what readLedger returns, a peer's unreadable entry skipped alike.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendLedger, ledgerEntry, ledgerReader, readLedger } from '../../shared/ledger.ts'
import { getLedgerArray } from '../../shared/schema.ts'

const dee = { userId: 'dee', name: 'Dee Walker', organisation: 'Department for Work and Pensions (DWP)' }

function change(i: number) {
  return ledgerEntry('pot', dee, 1_000 + i, `line-${i}`, `DWP · ESF ${i}`, 'changed', 'amount', i * 100, i * 200)
}

describe('reading the ledger again on every change', () => {
  it('returns what readLedger returns, each entry the same object from one read to the next', () => {
    const doc = new Y.Doc()
    appendLedger(doc, [change(1), change(2)])
    // A peer's entry that is not a ledger entry is skipped, as readLedger skips it.
    getLedgerArray<unknown>(doc).push([{ not: 'an entry' }, 'text'])
    const read = ledgerReader()

    const first = read(doc)
    expect(first).toEqual(readLedger(doc))
    expect(first).toHaveLength(2)

    appendLedger(doc, [change(3)])
    const second = read(doc)
    expect(second).toEqual(readLedger(doc))
    expect(second).toHaveLength(3)
    expect(second[0]).toBe(first[0])
    expect(second[1]).toBe(first[1])
  })

  it('reads a remote document’s entries, decoded once by Yjs, with the same identity each time', () => {
    const source = new Y.Doc()
    appendLedger(source, [change(1)])
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
    const read = ledgerReader()
    const before = read(doc)
    appendLedger(source, [change(2)])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source, Y.encodeStateVector(doc)))
    const after = read(doc)
    expect(after.map((e) => e.subject)).toEqual(['line-1', 'line-2'])
    expect(after[0]).toBe(before[0])
  })
})
