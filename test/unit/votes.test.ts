import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBarrier, DEFAULT_BARRIER, deleteBarrier, readBarriers } from '../../shared/barriers.ts'
import type { Actor } from '../../shared/ledger.ts'
import { getVotesMap } from '../../shared/schema.ts'
import {
  dotsLeft,
  dotsOf,
  endVote,
  isTakingDots,
  moveDot,
  openVote,
  placeDot,
  rankBarriers,
  readVotes,
  removeDot,
  showsResults,
  startVote,
  tallyVote,
  type VoteSettings,
} from '../../shared/votes.ts'

const facilitator: Actor = {
  userId: 'u-fac',
  name: 'Sam Okafor',
  organisation: 'Communities and Local Government (CLG)',
}
const kent: Actor = { userId: 'u-kent', name: 'Priya Shah', organisation: 'Kent County Council' }
const hull: Actor = { userId: 'u-hull', name: 'Joe Baines', organisation: 'Hull City Council' }
const settings: VoteSettings = {
  title: 'Which barriers matter most?',
  dotsPerPerson: 3,
  durationMinutes: null,
  visibility: 'live',
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

function workshop() {
  const doc = new Y.Doc()
  const esf = addBarrier(
    doc,
    { ...DEFAULT_BARRIER, title: 'ESF cannot be pooled', raisedBy: 'Kent County Council' },
    kent,
    1,
  )
  const data = addBarrier(
    doc,
    { ...DEFAULT_BARRIER, title: 'Data sharing with health', raisedBy: 'Hull City Council' },
    hull,
    2,
  )
  const pbr = addBarrier(
    doc,
    { ...DEFAULT_BARRIER, title: 'Payment by results rules', raisedBy: 'Hull City Council' },
    hull,
    3,
  )
  return { doc, esf, data, pbr }
}
const vote = (doc: Y.Doc, id: string) => readVotes(doc).find((v) => v.id === id)!
const ids = (doc: Y.Doc) => new Set(readBarriers(doc).map((b) => b.id))

describe('dot voting', () => {
  it('starts one vote at a time, only with barriers to vote on, and validates its settings', () => {
    expect(() => startVote(new Y.Doc(), settings, facilitator, 1)).toThrow('Raise some barriers first')
    const { doc } = workshop()
    expect(() => startVote(doc, { ...settings, dotsPerPerson: 0 }, facilitator, 1)).toThrow('at least one dot')
    expect(() => startVote(doc, { ...settings, durationMinutes: 0.5 }, facilitator, 1)).toThrow('whole number')
    const id = startVote(doc, settings, facilitator, 10)
    expect(() => startVote(doc, settings, facilitator, 11)).toThrow('A vote is already running')
    expect(openVote(readVotes(doc))?.id).toBe(id)
    // The server records the start (and the end) in the ledger: test/unit/ledgerOfChanges.test.ts.
    expect(vote(doc, id)).toMatchObject({
      title: 'Which barriers matter most?',
      dotsPerPerson: 3,
      status: 'open',
      startedAt: 10,
    })
  })

  it('lets a person place, take back and move dots, never more than their budget', () => {
    const { doc, esf, data, pbr } = workshop()
    const id = startVote(doc, settings, facilitator, 10)
    placeDot(doc, id, esf, kent, 11)
    placeDot(doc, id, esf, kent, 12)
    placeDot(doc, id, data, kent, 13)
    expect(dotsLeft(vote(doc, id), kent.userId)).toBe(0)
    expect(() => placeDot(doc, id, pbr, kent, 14)).toThrow('You have placed all 3 of your dots')
    moveDot(doc, id, esf, pbr, kent, 15)
    removeDot(doc, id, data, kent, 16)
    expect(() => removeDot(doc, id, data, kent, 17)).toThrow('You have no dot on this barrier')
    placeDot(doc, id, pbr, kent, 18)
    expect(Object.fromEntries(tallyVote(vote(doc, id), ids(doc)))).toEqual({ [esf]: 1, [pbr]: 2 })
    expect(dotsOf(vote(doc, id), kent.userId).size).toBe(3)
  })

  it('never lets one person exceed the budget from two tabs placing at the same moment', () => {
    const { doc: tab1, esf, data, pbr } = workshop()
    const id = startVote(tab1, { ...settings, dotsPerPerson: 2 }, facilitator, 10)
    const tab2 = new Y.Doc()
    sync(tab1, tab2)
    // Each tab spends the whole budget before hearing from the other.
    placeDot(tab1, id, esf, kent, 11)
    placeDot(tab1, id, esf, kent, 12)
    placeDot(tab2, id, data, kent, 11)
    placeDot(tab2, id, pbr, kent, 12)
    sync(tab1, tab2)
    const counted = [...tallyVote(vote(tab1, id), ids(tab1)).values()].reduce((sum, n) => sum + n, 0)
    expect(counted).toBe(2)
    expect(tallyVote(vote(tab1, id), ids(tab1))).toEqual(tallyVote(vote(tab2, id), ids(tab2)))
    expect(dotsLeft(vote(tab2, id), kent.userId)).toBe(0)
  })

  it('ignores dots beyond the budget or written in someone else’s name', () => {
    const { doc, esf } = workshop()
    const id = startVote(doc, settings, facilitator, 10)
    const dots = getVotesMap(doc).get(id)!.get('dots') as Y.Map<unknown>
    dots.set('u-kent#7', { barrierId: esf, by: kent, at: 1 })
    dots.set('u-hull#0', { barrierId: esf, by: kent, at: 1 })
    dots.set('nonsense', { barrierId: esf, by: kent, at: 1 })
    expect(tallyVote(vote(doc, id), ids(doc)).get(esf)).toBeUndefined()
  })

  it('ranks by dots with shared ranks for ties, and freezes the ranking when the vote ends', () => {
    const { doc, esf, data, pbr } = workshop()
    const id = startVote(doc, { ...settings, visibility: 'hidden' }, facilitator, 10)
    expect(showsResults(vote(doc, id))).toBe(false)
    placeDot(doc, id, data, kent, 11)
    placeDot(doc, id, esf, kent, 12)
    placeDot(doc, id, data, hull, 13)
    placeDot(doc, id, esf, hull, 14)
    placeDot(doc, id, pbr, hull, 15)
    const results = endVote(doc, id, readBarriers(doc), facilitator, 20)
    expect(results.map((r) => [r.title, r.dots, r.rank])).toEqual([
      ['Data sharing with health', 2, 1],
      ['ESF cannot be pooled', 2, 1],
      ['Payment by results rules', 1, 3],
    ])
    const ended = vote(doc, id)
    expect(ended).toMatchObject({ status: 'ended', endedAt: 20, voters: 2, results })
    expect(showsResults(ended)).toBe(true)
    expect(() => placeDot(doc, id, pbr, kent, 21)).toThrow('This vote has ended')
    // The frozen ranking keeps the title of a barrier removed afterwards.
    deleteBarrier(doc, pbr, facilitator, 22)
    expect(vote(doc, id).results.at(-1)).toMatchObject({ title: 'Payment by results rules', dots: 1 })
    expect(openVote(readVotes(doc))).toBeNull()
  })

  it('stops taking dots when a timed vote runs out, and dates its end at the deadline', () => {
    const { doc, esf } = workshop()
    const id = startVote(doc, { ...settings, durationMinutes: 5 }, facilitator, 1_000)
    expect(isTakingDots(vote(doc, id), 1_000 + 299_999)).toBe(true)
    expect(isTakingDots(vote(doc, id), 1_000 + 300_000)).toBe(false)
    expect(() => placeDot(doc, id, esf, kent, 1_000 + 300_001)).toThrow('This vote has ended')
    endVote(doc, id, readBarriers(doc), facilitator, 1_000 + 900_000)
    expect(vote(doc, id).endedAt).toBe(301_000)
  })

  it('does not count dots on barriers removed during the vote', () => {
    const { doc, esf, data } = workshop()
    const id = startVote(doc, settings, facilitator, 10)
    placeDot(doc, id, esf, kent, 11)
    placeDot(doc, id, data, kent, 12)
    deleteBarrier(doc, esf, facilitator, 13)
    expect([...tallyVote(vote(doc, id), ids(doc))]).toEqual([[data, 1]])
    // The dot stranded on the removed barrier is free to place again.
    placeDot(doc, id, data, kent, 14)
    placeDot(doc, id, data, kent, 15)
    expect(tallyVote(vote(doc, id), ids(doc)).get(data)).toBe(3)
    expect(() => placeDot(doc, id, data, kent, 16)).toThrow('You have placed all 3 of your dots')
    expect(
      rankBarriers(new Map(), [
        { id: 'b', title: 'B' },
        { id: 'a', title: 'A' },
      ]).map((r) => [r.title, r.rank]),
    ).toEqual([
      ['A', 1],
      ['B', 1],
    ])
  })
})
