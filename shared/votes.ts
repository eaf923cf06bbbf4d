/**
 * Dot voting on the barriers. The facilitator starts a vote (dots per person, optional duration,
 * results live or hidden until the end); each person places and moves their dots; ending the vote
 * freezes the ranking with its date.
 *
 * The budget holds by construction, even from two tabs or two devices of one person: a person's
 * dots are numbered slots `userId#0 … userId#(n-1)` in a Y.Map, each holding the barrier it sits
 * on. Two tabs placing a dot at the same moment both pick the same free slot and the merge keeps
 * one of them, so a person can lose a dot to a race but never hold more than n. Reading ignores any
 * slot beyond the budget or written in someone else's name.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { newId } from './ids.ts'
import type { Actor } from './ledger.ts'
import { getBarriersMap, getVotesMap } from './schema.ts'
import { parseOrExplain } from './validation.ts'

export const VOTE_VISIBILITIES = ['live', 'hidden'] as const
export type VoteVisibility = (typeof VOTE_VISIBILITIES)[number]
export const VOTE_VISIBILITY_LABELS: Record<VoteVisibility, string> = {
  live: 'Show results live',
  hidden: 'Hide results until the end',
}
export const MAX_DOTS = 20
export const MAX_VOTE_MINUTES = 240

export const voteSettingsSchema = z.object({
  title: z.string().trim().min(1, 'Give the vote a question').max(200, 'The question must be at most 200 characters'),
  dotsPerPerson: z
    .number()
    .int('Dots must be a whole number')
    .min(1, 'Give everyone at least one dot')
    .max(MAX_DOTS, `Give everyone at most ${MAX_DOTS} dots`),
  /** Minutes the vote runs for; null until the facilitator ends it. */
  durationMinutes: z
    .number()
    .int('Minutes must be a whole number')
    .min(1, 'A timed vote runs at least one minute')
    .max(MAX_VOTE_MINUTES, `A vote runs at most ${MAX_VOTE_MINUTES} minutes`)
    .nullable(),
  visibility: z.enum(VOTE_VISIBILITIES),
})
export type VoteSettings = z.infer<typeof voteSettingsSchema>

const actorSchema = z.object({ userId: z.string(), name: z.string(), organisation: z.string() })
const dotSchema = z.object({ barrierId: z.string().max(64), by: actorSchema, at: z.number() })
export type Dot = z.infer<typeof dotSchema>

const resultSchema = z.object({
  barrierId: z.string(),
  title: z.string(),
  dots: z.number().int().min(0),
  rank: z.number().int().min(1),
})
export type VoteResult = z.infer<typeof resultSchema>

export interface Vote extends VoteSettings {
  id: string
  status: 'open' | 'ended'
  startedBy: Actor
  startedAt: number
  /** When a timed vote stops taking dots; null for a vote the facilitator ends. */
  endsAt: number | null
  endedAt: number | null
  /** The ranking frozen when the vote ended (empty while open). */
  results: VoteResult[]
  /** Valid dots by slot key. */
  dots: Map<string, Dot>
  /** How many people cast dots (at the end, for ended votes). */
  voters: number
}

const slotKey = (userId: string, slot: number) => `${userId}#${slot}`

function parseSlotKey(key: string): { userId: string; slot: number } | null {
  const at = key.lastIndexOf('#')
  if (at <= 0) return null
  const slot = Number(key.slice(at + 1))
  return Number.isInteger(slot) && slot >= 0 ? { userId: key.slice(0, at), slot } : null
}

function readVote(id: string, map: Y.Map<unknown>): Vote | null {
  const settings = voteSettingsSchema.safeParse({
    title: map.get('title'),
    dotsPerPerson: map.get('dotsPerPerson'),
    durationMinutes: map.get('durationMinutes') ?? null,
    visibility: map.get('visibility'),
  })
  const startedBy = actorSchema.safeParse(map.get('startedBy'))
  const startedAt = map.get('startedAt')
  if (!settings.success || !startedBy.success || typeof startedAt !== 'number') return null
  const dots = new Map<string, Dot>()
  const stored = map.get('dots')
  if (stored instanceof Y.Map) {
    stored.forEach((value, key) => {
      const slot = parseSlotKey(key)
      const dot = dotSchema.safeParse(value)
      if (slot && slot.slot < settings.data.dotsPerPerson && dot.success && dot.data.by.userId === slot.userId)
        dots.set(key, dot.data)
    })
  }
  const results = z.array(resultSchema).safeParse(map.get('results'))
  const endedAt = map.get('endedAt')
  const voters = map.get('voters')
  const ended = map.get('status') === 'ended'
  return {
    id,
    ...settings.data,
    status: ended ? 'ended' : 'open',
    startedBy: startedBy.data,
    startedAt,
    endsAt: settings.data.durationMinutes === null ? null : startedAt + settings.data.durationMinutes * 60_000,
    endedAt: ended && typeof endedAt === 'number' ? endedAt : null,
    results: ended && results.success ? results.data : [],
    dots,
    voters: ended && typeof voters === 'number' ? voters : new Set([...dots.values()].map((d) => d.by.userId)).size,
  }
}

/** Every vote, oldest first; malformed votes from peers are left out. */
export function readVotes(doc: Y.Doc): Vote[] {
  const votes: Vote[] = []
  getVotesMap(doc).forEach((map, id) => {
    const vote = map instanceof Y.Map ? readVote(id, map) : null
    if (vote) votes.push(vote)
  })
  return votes.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id))
}

/** Whether a vote still takes dots at `now`. */
export function isTakingDots(vote: Vote, now: number): boolean {
  return vote.status === 'open' && (vote.endsAt === null || now < vote.endsAt)
}

/** The vote that has not been ended yet, if any (there is at most one). */
export function openVote(votes: readonly Vote[]): Vote | null {
  return votes.findLast((vote) => vote.status === 'open') ?? null
}

function voteMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = getVotesMap(doc).get(id)
  if (!(map instanceof Y.Map)) throw new Error('This vote no longer exists.')
  return map
}

/** The facilitator starts a vote on the barriers. Returns its id. */
export function startVote(doc: Y.Doc, settings: VoteSettings, actor: Actor, now: number): string {
  const valid = parseOrExplain(voteSettingsSchema, settings)
  if (openVote(readVotes(doc))) throw new Error('A vote is already running: end it before starting another.')
  if (getBarriersMap(doc).size === 0) throw new Error('Raise some barriers first: there is nothing to vote on.')
  const id = newId()
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    map.set('title', valid.title)
    map.set('dotsPerPerson', valid.dotsPerPerson)
    map.set('durationMinutes', valid.durationMinutes)
    map.set('visibility', valid.visibility)
    map.set('status', 'open')
    map.set('startedBy', actor)
    map.set('startedAt', now)
    map.set('dots', new Y.Map<unknown>())
    getVotesMap(doc).set(id, map)
  })
  return id
}

/** Slots of `userId`'s dots in a vote, by slot number. */
export function dotsOf(vote: Vote, userId: string): Map<number, Dot> {
  const mine = new Map<number, Dot>()
  for (const [key, dot] of vote.dots) {
    const slot = parseSlotKey(key)
    if (slot && slot.userId === userId) mine.set(slot.slot, dot)
  }
  return mine
}

/** How many dots `userId` has left to place. */
export function dotsLeft(vote: Vote, userId: string): number {
  return vote.dotsPerPerson - dotsOf(vote, userId).size
}

function dotsMap(doc: Y.Doc, vote: Vote, now: number): Y.Map<unknown> {
  if (!isTakingDots(vote, now)) throw new Error('This vote has ended.')
  const dots = voteMap(doc, vote.id).get('dots')
  if (!(dots instanceof Y.Map)) throw new Error('This vote cannot take dots.')
  return dots
}

/** Places one of `actor`'s dots on a barrier, refusing when they have none left. */
export function placeDot(doc: Y.Doc, voteId: string, barrierId: string, actor: Actor, now: number): void {
  const vote = readVotes(doc).find((v) => v.id === voteId)
  if (!vote) throw new Error('This vote no longer exists.')
  if (!(getBarriersMap(doc).get(barrierId) instanceof Y.Map)) throw new Error('This barrier no longer exists.')
  const dots = dotsMap(doc, vote, now)
  const mine = dotsOf(vote, actor.userId)
  const barriers = getBarriersMap(doc)
  // A dot left on a barrier someone removed is free again: it counts for nothing.
  let free = 0
  while (mine.has(free) && barriers.get(mine.get(free)!.barrierId) instanceof Y.Map) free++
  if (free >= vote.dotsPerPerson)
    throw new Error(`You have placed all ${vote.dotsPerPerson} of your dots: take one back to move it.`)
  dots.set(slotKey(actor.userId, free), { barrierId, by: actor, at: now } satisfies Dot)
}

/** Takes back one of `actor`'s dots from a barrier (their most recently numbered one). */
export function removeDot(doc: Y.Doc, voteId: string, barrierId: string, actor: Actor, now: number): void {
  const vote = readVotes(doc).find((v) => v.id === voteId)
  if (!vote) throw new Error('This vote no longer exists.')
  const dots = dotsMap(doc, vote, now)
  const slots = [...dotsOf(vote, actor.userId)].filter(([, dot]) => dot.barrierId === barrierId).map(([slot]) => slot)
  if (slots.length === 0) throw new Error('You have no dot on this barrier.')
  dots.delete(slotKey(actor.userId, Math.max(...slots)))
}

/** Moves one of `actor`'s dots from one barrier to another in a single step. */
export function moveDot(
  doc: Y.Doc,
  voteId: string,
  fromBarrierId: string,
  toBarrierId: string,
  actor: Actor,
  now: number,
): void {
  const vote = readVotes(doc).find((v) => v.id === voteId)
  if (!vote) throw new Error('This vote no longer exists.')
  if (!(getBarriersMap(doc).get(toBarrierId) instanceof Y.Map)) throw new Error('This barrier no longer exists.')
  const dots = dotsMap(doc, vote, now)
  const slot = [...dotsOf(vote, actor.userId)].find(([, dot]) => dot.barrierId === fromBarrierId)?.[0]
  if (slot === undefined) throw new Error('You have no dot on that barrier to move.')
  dots.set(slotKey(actor.userId, slot), { barrierId: toBarrierId, by: actor, at: now } satisfies Dot)
}

/** Dots per barrier, counting only barriers that still exist. */
export function tallyVote(vote: Vote, barrierIds: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const dot of vote.dots.values()) {
    if (barrierIds.has(dot.barrierId)) counts.set(dot.barrierId, (counts.get(dot.barrierId) ?? 0) + 1)
  }
  return counts
}

/**
 * The ranking: most dots first, ties sharing a rank ("1, 1, 3"), then by title. Barriers without
 * dots are listed last so the whole register is in the result.
 */
export function rankBarriers(
  counts: ReadonlyMap<string, number>,
  barriers: readonly { id: string; title: string }[],
): VoteResult[] {
  const sorted = barriers
    .map((b) => ({ barrierId: b.id, title: b.title, dots: counts.get(b.id) ?? 0 }))
    .sort(
      (a, b) => b.dots - a.dots || a.title.localeCompare(b.title, 'en-GB') || a.barrierId.localeCompare(b.barrierId),
    )
  let rank = 0
  return sorted.map((result, i) => {
    if (i === 0 || result.dots !== sorted[i - 1]!.dots) rank = i + 1
    return { ...result, rank }
  })
}

/** Ends a vote: the ranking is frozen with the date, and the end is recorded. */
export function endVote(
  doc: Y.Doc,
  voteId: string,
  barriers: readonly { id: string; title: string }[],
  actor: Actor,
  now: number,
): VoteResult[] {
  const map = voteMap(doc, voteId)
  const vote = readVote(voteId, map)
  if (!vote) throw new Error('This vote cannot be read.')
  if (vote.status === 'ended') return vote.results
  const results = rankBarriers(tallyVote(vote, new Set(barriers.map((b) => b.id))), barriers)
  const endedAt = vote.endsAt === null ? now : Math.min(now, vote.endsAt)
  doc.transact(() => {
    map.set('status', 'ended')
    map.set('endedAt', endedAt)
    map.set('endedBy', actor)
    map.set('results', results)
    map.set('voters', vote.voters)
  })
  return results
}

/** Whether people may see the running tally: always once ended, live only when the facilitator chose so. */
export function showsResults(vote: Vote): boolean {
  return vote.status === 'ended' || vote.visibility === 'live'
}
