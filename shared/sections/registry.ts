/**
 * Every negotiated section, in the order the workshop shows them. Adding a section is adding it
 * here (and its view to client/sections/registry.ts): enforcement, the ledger, locks, exports,
 * comparisons and restore all loop over this list.
 */
import { actionsSection } from './actions/index.ts'
import { barriersSection } from './barriers/index.ts'
import { outcomesSection } from './outcomes/index.ts'
import { potSection } from './pot/index.ts'
import { protocolSection } from './protocol/index.ts'
import type { AnySection, SectionDefinition } from './types.ts'
import { votesSection } from './votes/index.ts'

/**
 * Built at first use, not when this module loads: the sections' rules import modules that import
 * this one (shared/permissions.ts), so a section may still be loading when this module does.
 */
const register = () =>
  [potSection, protocolSection, barriersSection, actionsSection, outcomesSection, votesSection] as const
let registered: readonly AnySection[] | null = null
let byKey: ReadonlyMap<string, AnySection> | null = null

/** Every section, in the order the workshop shows them. */
export function sections(): readonly AnySection[] {
  registered ??= register()
  return registered
}

type Registered = ReturnType<typeof register>[number]
// biome-ignore lint/suspicious/noExplicitAny: matches any diff type while inferring the data type
type DataOf<S> = S extends SectionDefinition<string, infer D, any> ? D : never
// biome-ignore lint/suspicious/noExplicitAny: matches any data type while inferring the diff type
type DiffOf<S> = S extends SectionDefinition<string, any, infer F> ? F : never

/** Each section's part of the JSON export, under its key. */
export type SectionExports = { [S in Registered as S['key']]: DataOf<S> }
/** Each compared section's diff, under its key (a section without one declares its diff type null). */
export type SectionDiffs = { [S in Registered as DiffOf<S> extends null ? never : S['key']]: DiffOf<S> }

/** The section whose entries live under the top-level type `root`, if any. */
export function sectionOfKey(root: string): AnySection | undefined {
  byKey ??= new Map(sections().map((section) => [section.key, section]))
  return byKey.get(root)
}

/** The sections the facilitator can lock, by key. */
export const lockableSections = (): readonly AnySection[] => sections().filter((section) => section.lockable)
export const isLockable = (key: string): boolean => sectionOfKey(key)?.lockable === true
