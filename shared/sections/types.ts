/**
 * A negotiated section of the workshop (the pot, the protocol, the barriers, actions and
 * decisions, votes, outcomes), declared once, like a tldraw ShapeUtil: its place in the document,
 * its names, whether the facilitator can lock it, the rule the server enforces on each of its
 * entries, what the ledger records of it, what it exports and how two states of it differ.
 * Cross-cutting code (enforcement, the ledger, locks, export, diff, restore) loops over the
 * registry (registry.ts); the client's views, print and comparison loop over its own registry
 * (client/sections/registry.ts), keyed by the same `key`.
 */
import type * as Y from 'yjs'
import type { EntryRule } from '../rules/ruleKit.ts'
import type { Recorder } from '../rules/ledgerRecorder.ts'
import type { Change } from '../rules/types.ts'
import type { WorkshopMeta } from '../schema.ts'

/** Adds to `r` what the ledger records of one entry (`id`) an accepted update touched. */
export type SectionLedger = (r: Recorder, before: Y.Doc, after: Y.Doc, id: string, changes: readonly Change[]) => void

/** One cell of an exported table: text, a number (pounds as a decimal, counts) or empty. */
export type Cell = string | number | null

/** A table a section exports (a CSV file today; the same rows feed spreadsheets and documents). */
export interface ExportTable<Data> {
  /** The table's name in `?part=` and in file names: "pot", "barriers". */
  part: string
  /** What the table holds, in words, for the download menu and file names: "Pot lines". */
  title: string
  /** The header row: the names people see in the app ("Amount (£)"), not field names. */
  columns: readonly string[]
  rows: (data: Data) => Cell[][]
}

/** What a section's writers may read besides its own data: the workshop's meta and other sections' data. */
export interface ExportContext {
  meta: WorkshopMeta & { targetPot: number | null }
  /** Another section's exported data (e.g. the barriers' minutes list the votes' results). */
  of<D>(section: { key: string; export: SectionExport<D> }): D
}

export interface SectionExport<Data> {
  /** The section's part of the JSON export, under its key. */
  read: (doc: Y.Doc) => Data
  /**
   * The section in the Markdown minutes, starting with its `##` heading; empty when it has nothing
   * to say, null when another section's minutes carry it (the votes, under the barriers).
   */
  markdown: ((data: Data, context: ExportContext) => string[]) | null
  tables: readonly ExportTable<Data>[]
}

/** How two states of a section differ, in the section's own terms. */
export interface SectionDiffer<Diff> {
  compare: (before: Y.Doc, after: Y.Doc) => Diff
  isEmpty: (diff: Diff) => boolean
  /** One human sentence per change, for reports and the comparison view. */
  summarise: (diff: Diff) => string[]
}

export interface SectionDefinition<Key extends string = string, Data = unknown, Diff = unknown> {
  /**
   * The top-level map of the document that holds the section's entries. It also names the section
   * everywhere else: its ledger area, its lock, its view, its part of the JSON export.
   */
  key: Key
  /** The section's name in tabs and sentences ("Pot", "Outcomes"). */
  label: string
  /** Its heading in minutes, print and comparisons ("Virtual pot", "Outcomes and success measures"). */
  title: string
  /** Whether the facilitator can lock the section against participants' edits. */
  lockable: boolean
  /** The section in a sentence, read as singular: "the pot", "the barriers register" ("Lock the pot"). */
  noun: string
  /** The server's rule for an update's changes under one entry. */
  rule: EntryRule
  /** What the ledger records of a changed entry; none when the section's changes are not recorded. */
  ledger: SectionLedger | null
  export: SectionExport<Data>
  /** None when comparing two states does not report the section (votes). */
  diff: SectionDiffer<Diff> | null
}

/** Any section, whatever its data and diff. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds sections of different data types; each is typed where it is defined
export type AnySection = SectionDefinition<string, any, any>
