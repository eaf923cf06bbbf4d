/**
 * Following: each person publishes where they are looking (the view they are on and, on the
 * board, the camera) in awareness as `view`; a follower copies the followed person's view as it
 * changes. "Bring everyone to me" is the facilitator's summon, kept in the settings so that people
 * who join later follow too, until each chooses to stop (which they remember per summon).
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import type { Actor } from './ledger.ts'
import { getSettingsMap } from './schema.ts'

/**
 * The board, the snapshots, or a section's view by its key (shared/sections/registry.ts). A
 * follower whose app has no such view stays where they are.
 */
export type WorkshopView = string

const finite = z.number().finite()
export const viewStateSchema = z.object({
  view: z.string().regex(/^[a-z][a-z-]{0,39}$/),
  /** The board camera (tldraw's x, y, zoom), when the person is on the board. */
  camera: z.object({ x: finite, y: finite, z: finite.positive() }).nullable(),
})
export type ViewState = z.infer<typeof viewStateSchema>

export const summonSchema = z.object({ userId: z.string().min(1).max(64), name: z.string().max(80), at: z.number() })
export type Summon = z.infer<typeof summonSchema>

export function readSummon(doc: Y.Doc): Summon | null {
  const parsed = summonSchema.safeParse(getSettingsMap(doc).get('summon'))
  return parsed.success ? parsed.data : null
}

/** "Bring everyone to me" (facilitator); `null` lets everyone go. */
export function setSummon(doc: Y.Doc, by: Actor | null, now: number): void {
  if (by === null) getSettingsMap(doc).delete('summon')
  else getSettingsMap(doc).set('summon', { userId: by.userId, name: by.name, at: now } satisfies Summon)
}

/**
 * Whom a person should follow now: the one they chose, else the summoner, unless they are the
 * summoner or stopped following this summon (identified by its time).
 */
export function whomToFollow(
  selfId: string,
  chosen: string | null,
  summon: Summon | null,
  dismissedSummonAt: number | null,
): string | null {
  if (chosen !== null && chosen !== selfId) return chosen
  if (summon && summon.userId !== selfId && summon.at !== dismissedSummonAt) return summon.userId
  return null
}
