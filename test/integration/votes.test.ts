/**
 * Dot voting through the real server: four real y-websocket clients (a facilitator, a participant
 * in two tabs, another participant) spend their dots at the same moment, round after round. The
 * documents converge to identical tallies, nobody ever holds more dots than the budget (not even
 * from two tabs), the ranking is the expected one, and ending the vote freezes it for everyone.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBarrier, DEFAULT_BARRIER, readBarriers } from '../../shared/barriers.ts'
import type { Actor } from '../../shared/ledger.ts'
import { getVotesMap } from '../../shared/schema.ts'
import {
  dotsOf,
  endVote,
  placeDot,
  rankBarriers,
  readVotes,
  removeDot,
  startVote,
  tallyVote,
  type Vote,
} from '../../shared/votes.ts'
import { deniedReasons } from '../helpers/rulesRoom.ts'
import { connect, createRoom, testDevice, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const harness = useTestServer()
const { clients } = harness

// Each person's browser proves their user id (shared/userKey.ts); Priya's two tabs share hers.
const samDevice = testDevice('sam')
const priyaDevice = testDevice('priya')
const joeDevice = testDevice('joe')
const facilitator: Actor = {
  userId: samDevice.userId,
  name: 'Sam Okafor',
  organisation: 'Communities and Local Government (CLG)',
}
const kent: Actor = { userId: priyaDevice.userId, name: 'Priya Shah', organisation: 'Kent County Council' }
const hull: Actor = { userId: joeDevice.userId, name: 'Joe Baines', organisation: 'Hull City Council' }
const DOTS = 3

const voteOf = (doc: Y.Doc, id: string): Vote => {
  const vote = readVotes(doc).find((v) => v.id === id)
  if (!vote) throw new Error(`vote ${id} not in this document`)
  return vote
}
const barrierIds = (doc: Y.Doc) => new Set(readBarriers(doc).map((b) => b.id))
const tally = (doc: Y.Doc, id: string) =>
  Object.fromEntries([...tallyVote(voteOf(doc, id), barrierIds(doc))].sort(([a], [b]) => a.localeCompare(b)))

/** Slots written in the document for a user, valid or not: the budget must hold for these too. */
function rawSlots(doc: Y.Doc, voteId: string, userId: string): string[] {
  const dots = getVotesMap(doc).get(voteId)?.get('dots')
  if (!(dots instanceof Y.Map)) return []
  return [...dots.keys()].filter((key) => key.startsWith(`${userId}#`))
}

/** Every document holds exactly the same updates and deletions. */
function converged(docs: Y.Doc[]): boolean {
  const first = Y.snapshot(docs[0]!)
  return docs.every((doc) => Y.equalSnapshots(first, Y.snapshot(doc)))
}

/** Deterministic "random" choices, so a failing round can be replayed. */
function chooser(seed: number): (n: number) => number {
  let state = seed
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state % n
  }
}

describe('dot voting over the wire', () => {
  it('converges concurrent dots to identical tallies within the budget, ranks them, and freezes the result', async () => {
    const room = await createRoom(harness.server, 'Kent and Hull: which barriers matter most')
    const a = connect(harness.server, room.roomId, room.tokens.facilitator, { userSecret: samDevice.secret }) // the facilitator
    const b = connect(harness.server, room.roomId, room.tokens.participant, { userSecret: priyaDevice.secret }) // Priya, first tab
    const c = connect(harness.server, room.roomId, room.tokens.participant, { userSecret: priyaDevice.secret }) // Priya, second tab
    const d = connect(harness.server, room.roomId, room.tokens.participant, { userSecret: joeDevice.secret }) // Joe
    clients.push(a, b, c, d)
    const docs = [a.doc, b.doc, c.doc, d.doc]
    await Promise.all([a.firstSync, b.firstSync, c.firstSync, d.firstSync])

    const esf = addBarrier(
      a.doc,
      { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled', raisedBy: 'Kent County Council', department: 'DWP' },
      kent,
      1,
    )
    // Each raised in its writer's own name (the facilitator may record one for anyone).
    const data = addBarrier(
      b.doc,
      { ...DEFAULT_BARRIER, title: 'Data sharing with health', raisedBy: 'Hull City Council', department: 'DH' },
      kent,
      2,
    )
    const pbr = addBarrier(
      d.doc,
      { ...DEFAULT_BARRIER, title: 'Payment by results rules', raisedBy: 'Hull City Council', department: 'DWP' },
      hull,
      3,
    )
    const wp = addBarrier(
      c.doc,
      {
        ...DEFAULT_BARRIER,
        title: 'Work Programme referral rules',
        raisedBy: 'Kent County Council',
        department: 'DWP',
      },
      kent,
      4,
    )
    const all = [esf, data, pbr, wp]
    await waitFor(
      () => docs.every((doc) => readBarriers(doc).length === 4) && converged(docs),
      5000,
      'barriers everywhere',
    )

    const voteId = startVote(
      a.doc,
      { title: 'Which barriers matter most?', dotsPerPerson: DOTS, durationMinutes: null, visibility: 'hidden' },
      facilitator,
      Date.now(),
    )
    await waitFor(
      () => docs.every((doc) => readVotes(doc).some((v) => v.id === voteId && v.status === 'open')),
      5000,
      'vote everywhere',
    )

    const clearMine = (doc: Y.Doc, actor: Actor) => {
      for (const dot of [...dotsOf(voteOf(doc, voteId), actor.userId).values()])
        removeDot(doc, voteId, dot.barrierId, actor, Date.now())
    }
    /** Spends as much of the budget as the document allows, and no more: the client refuses the rest. */
    const spend = (doc: Y.Doc, actor: Actor, on: string[]) => {
      let refused = 0
      for (const barrierId of on) {
        try {
          placeDot(doc, voteId, barrierId, actor, Date.now())
        } catch (error) {
          expect((error as Error).message).toMatch(/You have placed all 3 of your dots/)
          refused++
        }
      }
      return refused
    }
    const checkBudgets = () => {
      for (const doc of docs) {
        for (const actor of [facilitator, kent, hull]) {
          expect(dotsOf(voteOf(doc, voteId), actor.userId).size).toBeLessThanOrEqual(DOTS)
          expect(rawSlots(doc, voteId, actor.userId).length).toBeLessThanOrEqual(DOTS)
        }
      }
    }

    // Several rounds: in each, everyone spends the whole budget at the same moment, Priya from both
    // tabs at once (each tab sees all her dots free and tries to place all of them, and one more).
    const pick = chooser(7)
    for (let round = 0; round < 6; round++) {
      const choose = () => Array.from({ length: DOTS + 1 }, () => all[pick(all.length)]!)
      expect(spend(a.doc, facilitator, choose())).toBe(1)
      expect(spend(b.doc, kent, choose())).toBe(1)
      expect(spend(c.doc, kent, choose())).toBe(1)
      expect(spend(d.doc, hull, choose())).toBe(1)
      await waitFor(() => converged(docs), 5000, `convergence in round ${round}`)

      const tallies = docs.map((doc) => tally(doc, voteId))
      for (const t of tallies) expect(t).toEqual(tallies[0])
      checkBudgets()
      // Each slot was filled by one tab or the other: Priya holds exactly her budget, never more.
      expect(dotsOf(voteOf(a.doc, voteId), kent.userId).size).toBe(DOTS)
      expect(Object.values(tallies[0]!).reduce((sum, n) => sum + n, 0)).toBe(3 * DOTS)
      // Everyone sees the same ranking.
      const rankings = docs.map((doc) =>
        rankBarriers(tallyVote(voteOf(doc, voteId), barrierIds(doc)), readBarriers(doc)),
      )
      for (const r of rankings) expect(r).toEqual(rankings[0])

      // Take everything back (Priya from one tab: both show the same dots now), at the same moment.
      clearMine(a.doc, facilitator)
      clearMine(c.doc, kent)
      clearMine(d.doc, hull)
      await waitFor(() => converged(docs) && voteOf(b.doc, voteId).dots.size === 0, 5000, `cleared in round ${round}`)
    }

    // A round whose ranking is known whichever tab wins each slot: Priya's two tabs both put all
    // her dots on the data-sharing barrier while Sam and Joe place theirs.
    spend(a.doc, facilitator, [esf, esf, pbr])
    spend(b.doc, kent, [data, data, data])
    spend(c.doc, kent, [data, data, data])
    spend(d.doc, hull, [data, esf, pbr])
    await waitFor(() => converged(docs), 5000, 'final round')
    checkBudgets()
    const expected = { [data]: 4, [esf]: 3, [pbr]: 2 }
    for (const doc of docs)
      expect(tally(doc, voteId)).toEqual(
        Object.fromEntries(Object.entries(expected).sort(([x], [y]) => x.localeCompare(y))),
      )
    // Joe takes one back and places it elsewhere (the way the interface moves a dot).
    removeDot(d.doc, voteId, pbr, hull, Date.now())
    placeDot(d.doc, voteId, wp, hull, Date.now())
    await waitFor(() => converged(docs) && tally(a.doc, voteId)[wp] === 1, 5000, 'moved dot')
    const ranking = rankBarriers(tallyVote(voteOf(b.doc, voteId), barrierIds(b.doc)), readBarriers(b.doc))
    expect(ranking.map((r) => [r.title, r.dots, r.rank])).toEqual([
      ['Data sharing with health', 4, 1],
      ['ESF cannot be pooled', 3, 2],
      ['Payment by results rules', 1, 3],
      ['Work Programme referral rules', 1, 3],
    ])

    // The facilitator ends the vote while Joe, who has not heard yet, moves a dot: the frozen
    // ranking is the facilitator's, the same for everyone, and the vote takes no more dots. The
    // server refuses a dot that reaches it after the end ("This vote has ended."); Joe's page then
    // shows the refusal and holds a change nobody else has until it reloads, so Joe is judged by
    // what a reload shows him.
    const joeRefused = deniedReasons(d)
    const frozen = endVote(a.doc, voteId, readBarriers(a.doc), facilitator, Date.now())
    removeDot(d.doc, voteId, wp, hull, Date.now())
    placeDot(d.doc, voteId, esf, hull, Date.now())
    const others = [a.doc, b.doc, c.doc]
    await waitFor(
      () => others.every((doc) => voteOf(doc, voteId).status === 'ended') && voteOf(d.doc, voteId).status === 'ended',
      5000,
      'ended everywhere',
    )
    // Joe's own view, once his page has heard the end: as it is, or as a reload shows it after a refusal.
    await new Promise((r) => setTimeout(r, 300))
    expect(joeRefused.every((reason) => reason === 'This vote has ended.')).toBe(true)
    let joe = d.doc
    if (joeRefused.length > 0) {
      const reloaded = connect(harness.server, room.roomId, room.tokens.participant, { userSecret: joeDevice.secret })
      clients.push(reloaded)
      await reloaded.firstSync
      joe = reloaded.doc
    }
    docs.splice(0, docs.length, ...others, joe)
    await waitFor(() => converged(docs), 5000, 'converged after the end')
    expect(frozen).toEqual(ranking)
    for (const doc of docs) {
      const vote = voteOf(doc, voteId)
      expect(vote.results).toEqual(ranking)
      expect(vote.voters).toBe(3)
      expect(vote.endedAt).not.toBeNull()
      expect(() => placeDot(doc, voteId, wp, kent, Date.now())).toThrow('This vote has ended.')
    }
    checkBudgets()
  })
})
