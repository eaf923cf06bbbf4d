/**
 * What the sections' writers share: Markdown cells, pounds in tables, and links named so a reader
 * can follow them.
 */
import type * as Y from 'yjs'
import { describeLink, LINK_KIND_LABELS, type Link } from '../links.ts'

/** Markdown cells cannot hold a pipe or a line break. */
export const md = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/**
 * Pence as a number of pounds, for spreadsheets: a plain number a sum can add (25.5, not "£25.50"
 * nor text); empty when there is no amount. Pence are whole, so pence / 100 prints exactly.
 */
export const pounds = (pence: number | null): number | null => (pence === null ? null : pence / 100)

/** A link as a reader can follow it: what it points at, by name. */
export interface NamedLink {
  kind: string
  id: string
  label: string | null
}
/** An item as exported: its links named. Distributes over unions, so actions and decisions stay apart. */
export type WithNamedLinks<T> = T extends { links: unknown } ? Omit<T, 'links'> & { links: NamedLink[] } : never

export const nameLinks = (doc: Y.Doc, links: readonly Link[]): NamedLink[] =>
  links.map((link) => ({ ...link, label: describeLink(doc, link) }))

/** Links in a CSV cell, with their kinds' labels: "Barrier: Benefit rules; Pot line: DWP · Work Programme". */
export const linksCell = (links: readonly NamedLink[]): string =>
  links.map((l) => `${LINK_KIND_LABELS[l.kind as Link['kind']] ?? l.kind}: ${l.label ?? '(removed)'}`).join('; ')

/** Links in Markdown, with their kinds' labels. */
export const linksText = (links: readonly NamedLink[]): string =>
  links.map((l) => `${LINK_KIND_LABELS[l.kind as Link['kind']] ?? l.kind}: ${md(l.label ?? '(removed)')}`).join('; ')
