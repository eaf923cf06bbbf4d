/** Every negotiated section, in the order the workshop shows them. */
import { actionsSection } from './actions/index.ts'
import { barriersSection } from './barriers/index.ts'
import { potSection } from './pot/index.ts'
import { protocolSection } from './protocol/index.ts'
import type { SectionDefinition } from './types.ts'
import { votesSection } from './votes/index.ts'

export const SECTIONS: readonly SectionDefinition[] = [
  potSection,
  protocolSection,
  barriersSection,
  actionsSection,
  votesSection,
]

const BY_KEY: ReadonlyMap<string, SectionDefinition> = new Map(SECTIONS.map((section) => [section.key, section]))

/** The section whose entries live under the top-level type `root`, if any. */
export const sectionOfKey = (root: string): SectionDefinition | undefined => BY_KEY.get(root)
