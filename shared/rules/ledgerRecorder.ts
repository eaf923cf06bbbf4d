/**
 * How a ledger entry is recorded for an accepted update: who made it (the person and the link), the
 * server's clock, values clipped to the ledger's size. Each section's ledger function
 * (shared/sections/<name>/ledger.ts) adds its entries through a Recorder.
 */
import * as Y from 'yjs'
import { ledgerEntry, readLedger, type Actor, type LedgerArea, type LedgerEntry, type LedgerLink } from '../ledger.ts'
import { entryOf } from './entries.ts'

/** Who the server records as having made the change: the person, and the link they used. */
export interface LedgerAuthor {
  by: Actor
  link: LedgerLink
}

type Value = LedgerEntry['from']

/** An entry of a top-level map as a Y.Map, or null. */
export function entryMap(doc: Y.Doc, root: string, key: string): Y.Map<unknown> | null {
  const value = entryOf(doc, root, key)
  return value instanceof Y.Map ? value : null
}

const clip = (value: unknown): Value => {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value.slice(0, 2000)
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value).slice(0, 2000)
}

/** A position's basis (link, on behalf, self-declared), however it was written. */
export const basisOf = (position: object | undefined): unknown => (position as { basis?: unknown } | undefined)?.basis

/** Collects the entries one update records. */
export class Recorder {
  readonly entries: LedgerEntry[] = []
  private earlier: readonly LedgerEntry[] | null = null
  constructor(
    private readonly author: LedgerAuthor,
    readonly now: number,
    private readonly before: Y.Doc,
  ) {}

  /** The entries recorded before this update, read only when needed. */
  get history(): readonly LedgerEntry[] {
    this.earlier ??= readLedger(this.before)
    return this.earlier
  }

  /** Who made the change (the writer's user id). */
  get userId(): string {
    return this.author.by.userId
  }

  add(
    area: LedgerArea,
    subject: string,
    label: string,
    action: LedgerEntry['action'],
    field: string | null,
    from: unknown,
    to: unknown,
  ): void {
    const entry = ledgerEntry(
      area,
      this.author.by,
      this.now,
      subject,
      label,
      action,
      field ? field.slice(0, 160) : null,
      clip(from),
      clip(to),
    )
    this.entries.push({ ...entry, link: this.author.link })
  }
}
