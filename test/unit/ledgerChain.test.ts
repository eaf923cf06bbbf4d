/**
 * The ledger's hash chain: what the server appends is chained, and any change to the record
 * afterwards (an edited value, an entry removed, a hash stripped or recomputed) is found, with the
 * entry where it broke.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendLedger, ledgerEntry, readLedger, type LedgerEntry } from '../../shared/ledger.ts'
import { canonicalJson, chainEntry, entryHash, GENESIS, verifyLedger } from '../../shared/ledgerChain.ts'
import { getLedgerArray } from '../../shared/schema.ts'

const amira = { userId: 'amira', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }

function recorded(count: number): { doc: Y.Doc; entries: LedgerEntry[] } {
  const doc = new Y.Doc()
  for (let i = 0; i < count; i++) {
    appendLedger(doc, [
      ledgerEntry(
        'pot',
        amira,
        1_000 + i,
        `line-${i}`,
        `DWP · Work Programme ${i}`,
        'changed',
        'amount',
        i * 100,
        (i + 1) * 100,
      ),
    ])
  }
  return { doc, entries: readLedger(doc) }
}

const copy = (entries: readonly LedgerEntry[]): LedgerEntry[] => JSON.parse(JSON.stringify(entries)) as LedgerEntry[]

describe('the ledger hash chain', () => {
  it('chains every entry the server appends to the one before, from GENESIS', () => {
    const { entries } = recorded(4)
    expect(entries[0]!.prev).toBe(GENESIS)
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash)
    for (const entry of entries) expect(entry.hash).toBe(entryHash(entry))
    expect(verifyLedger(entries)).toEqual({
      ok: true,
      entries: 4,
      chained: 4,
      unchained: 0,
      head: entries[3]!.hash,
      breaks: [],
    })
  })

  it('chains a batch appended at once, entry after entry', () => {
    const doc = new Y.Doc()
    appendLedger(doc, [
      ledgerEntry('barriers', amira, 1, 'b1', 'Benefit rules', 'created', 'status', null, 'raised'),
      ledgerEntry('barriers', amira, 1, 'b2', 'ESF match funding', 'created', 'status', null, 'raised'),
    ])
    const [a, b] = readLedger(doc)
    expect(b!.prev).toBe(a!.hash)
    expect(verifyLedger(readLedger(doc)).ok).toBe(true)
  })

  it('finds a value changed afterwards, at that entry', () => {
    const entries = copy(recorded(4).entries)
    entries[1]!.to = 999_999
    const result = verifyLedger(entries)
    expect(result.ok).toBe(false)
    expect(result.breaks).toEqual([
      { index: 1, id: entries[1]!.id, problem: expect.stringContaining('content was changed') },
    ])
  })

  it('finds a changed entry whose hash was recomputed, at the entry after it', () => {
    const entries = copy(recorded(4).entries)
    entries[1] = chainEntry({ ...entries[1]!, to: 999_999, hash: undefined }, entries[1]!.prev!) as LedgerEntry
    const result = verifyLedger(entries)
    expect(result.breaks).toEqual([{ index: 2, id: entries[2]!.id, problem: expect.stringContaining('was removed') }])
  })

  it('finds an entry removed from the middle', () => {
    const entries = copy(recorded(4).entries)
    entries.splice(1, 1)
    expect(verifyLedger(entries).breaks.map((b) => b.index)).toEqual([1])
  })

  it('finds an entry whose hash was stripped after the chain began', () => {
    const entries = copy(recorded(3).entries)
    delete entries[2]!.hash
    delete entries[2]!.prev
    expect(verifyLedger(entries).breaks).toEqual([
      { index: 2, id: entries[2]!.id, problem: expect.stringContaining('no hash') },
    ])
  })

  it('counts entries from before the chain, and chains the next one after them', () => {
    const doc = new Y.Doc()
    const legacy = ledgerEntry('pot', amira, 1, 'l', 'Police · PCC grant', 'created', 'status', null, 'offered')
    getLedgerArray<LedgerEntry>(doc).push([legacy])
    appendLedger(doc, [
      ledgerEntry('pot', amira, 2, 'l', 'Police · PCC grant', 'changed', 'status', 'offered', 'agreed'),
    ])
    const entries = readLedger(doc)
    expect(entries[1]!.prev).toBe(GENESIS)
    expect(verifyLedger(entries)).toMatchObject({ ok: true, chained: 1, unchained: 1 })
  })

  it('hashes content, not the order its keys were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    )
    const { entries } = recorded(1)
    const reordered = Object.fromEntries(Object.entries(entries[0]!).reverse())
    expect(entryHash(reordered)).toBe(entries[0]!.hash)
  })
})
