/**
 * What the sections' writers share: Markdown cells, pounds in tables, and links named so a reader
 * can follow them.
 */
import type * as Y from 'yjs'
import { describeLink, LINK_KIND_LABELS, type Link } from '../links.ts'

/** Markdown cells cannot hold a pipe or a line break. */
export const md = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/** Pence as pounds with two decimals, for spreadsheets; empty when there is no amount. */
export const pounds = (pence: number | null): string | null => (pence === null ? null : (pence / 100).toFixed(2))

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

/** Links in a CSV cell: "barrier: Benefit rules; pot-line: DWP · Work Programme". */
export const linksCell = (links: readonly NamedLink[]): string =>
  links.map((l) => `${l.kind}: ${l.label ?? '(removed)'}`).join('; ')

/** Links in Markdown, with their kinds' labels. */
export const linksText = (links: readonly NamedLink[]): string =>
  links.map((l) => `${LINK_KIND_LABELS[l.kind as Link['kind']] ?? l.kind}: ${md(l.label ?? '(removed)')}`).join('; ')
