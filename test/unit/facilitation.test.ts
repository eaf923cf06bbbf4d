import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAgendaItem,
  moveAgendaItem,
  nextAgendaItem,
  readAgenda,
  removeAgendaItem,
  setCurrentAgendaItem,
  updateAgendaItem,
} from '../../shared/agenda.ts'
import { readSummon, setSummon, whomToFollow } from '../../shared/follow.ts'
import { lowerHand, raiseHand, readHands } from '../../shared/hands.ts'
import type { Actor } from '../../shared/ledger.ts'
import { recordMember } from '../../shared/schema.ts'
import {
  addTime,
  estimateClockOffset,
  formatCountdown,
  hasRunOut,
  pauseTimer,
  readTimer,
  remainingMs,
  resetTimer,
  setTimerDuration,
  startTimer,
} from '../../shared/timer.ts'
import { participatingOrganisations } from '../../shared/protocol.ts'
import {
  organisationSuggestions,
  organisationsTakingPart,
  readLocks,
  readTakingPart,
  setLock,
  setTakingPart,
  setWorkshopTitle,
} from '../../shared/workshopSettings.ts'

const facilitator: Actor = { userId: 'f', name: 'Sam Okafor', organisation: 'Communities and Local Government (CLG)' }
const kent: Actor = { userId: 'k', name: 'Priya Shah', organisation: 'Kent County Council' }
const hull: Actor = { userId: 'h', name: 'Joe Baines', organisation: 'Hull City Council' }

describe('agenda', () => {
  it('keeps items in order with timeboxes, moves them, and tracks the current one', () => {
    const doc = new Y.Doc()
    const intro = addAgendaItem(doc, { title: 'Welcome and purpose', minutes: 10 })
    const pot = addAgendaItem(doc, { title: 'The virtual pot', minutes: 45 })
    const asks = addAgendaItem(doc, { title: 'Barriers and asks', minutes: 30 })
    moveAgendaItem(doc, asks, -1)
    expect(readAgenda(doc).items.map((i) => i.title)).toEqual([
      'Welcome and purpose',
      'Barriers and asks',
      'The virtual pot',
    ])
    expect(readAgenda(doc).totalMinutes).toBe(85)
    expect(nextAgendaItem(readAgenda(doc))?.id).toBe(intro)
    setCurrentAgendaItem(doc, asks)
    expect(nextAgendaItem(readAgenda(doc))?.id).toBe(pot)
    updateAgendaItem(doc, asks, { minutes: 40 })
    expect(readAgenda(doc).items[1]).toMatchObject({ title: 'Barriers and asks', minutes: 40 })
    removeAgendaItem(doc, asks)
    expect(readAgenda(doc).currentId).toBeNull()
    expect(() => addAgendaItem(doc, { title: '', minutes: 5 })).toThrow('Give the agenda item a title')
    expect(() => addAgendaItem(doc, { title: 'Lunch', minutes: 0 })).toThrow('at least one minute')
    expect(() => setCurrentAgendaItem(doc, 'gone')).toThrow('no longer exists')
  })
})

describe('shared timer', () => {
  it('counts down on the server clock through start, pause, add time and reset', () => {
    const doc = new Y.Doc()
    setTimerDuration(doc, 5 * 60_000)
    expect(remainingMs(readTimer(doc), 0)).toBe(300_000)
    startTimer(doc, 1_000_000)
    expect(remainingMs(readTimer(doc), 1_060_000)).toBe(240_000)
    pauseTimer(doc, 1_060_000)
    // Paused: time passing changes nothing.
    expect(remainingMs(readTimer(doc), 9_999_999)).toBe(240_000)
    addTime(doc, 60_000, 2_000_000)
    startTimer(doc, 2_000_000)
    expect(remainingMs(readTimer(doc), 2_000_000)).toBe(300_000)
    expect(hasRunOut(readTimer(doc), 2_300_000)).toBe(true)
    expect(remainingMs(readTimer(doc), 2_400_000)).toBe(0)
    // Adding time to a timer that ran out starts it again from now.
    addTime(doc, 60_000, 2_400_000)
    expect(remainingMs(readTimer(doc), 2_400_000)).toBe(60_000)
    resetTimer(doc)
    expect(readTimer(doc)).toEqual({ state: 'idle', durationMs: 300_000 })
    expect(() => setTimerDuration(doc, 0)).toThrow('at least one second')
  })

  it('shows the same remaining time on clients whose clocks disagree', () => {
    const serverClock = 5_000_000
    // Client A runs 40 s fast, client B 3 s slow; each measured its offset at connect.
    const offsetA = estimateClockOffset([
      { sentAt: serverClock + 40_000 - 30, serverNow: serverClock, receivedAt: serverClock + 40_000 + 30 },
    ])
    const offsetB = estimateClockOffset([
      { sentAt: serverClock - 3_000 - 400, serverNow: serverClock + 100, receivedAt: serverClock - 3_000 + 900 },
      { sentAt: serverClock - 3_000 - 10, serverNow: serverClock, receivedAt: serverClock - 3_000 + 10 },
    ])
    expect(offsetA).toBe(-40_000)
    expect(offsetB).toBe(3_000)
    const doc = new Y.Doc()
    setTimerDuration(doc, 600_000)
    // A starts it by its own clock, corrected.
    startTimer(doc, serverClock + 40_000 + offsetA)
    const seenByA = remainingMs(readTimer(doc), serverClock + 40_000 + 12_000 + offsetA)
    const seenByB = remainingMs(readTimer(doc), serverClock - 3_000 + 12_000 + offsetB)
    expect(seenByA).toBe(588_000)
    expect(seenByB).toBe(588_000)
    expect(estimateClockOffset([])).toBe(0)
  })

  it('formats the countdown for people', () => {
    expect(formatCountdown(0)).toBe('0:00')
    expect(formatCountdown(4_001)).toBe('0:05')
    expect(formatCountdown(245_000)).toBe('4:05')
    expect(formatCountdown(3_723_000)).toBe('1:02:03')
  })
})

describe('follow and raised hands', () => {
  it('follows the chosen person, else the summoner until this summon is dismissed', () => {
    const doc = new Y.Doc()
    expect(readSummon(doc)).toBeNull()
    setSummon(doc, facilitator, 100)
    const summon = readSummon(doc)
    expect(summon).toEqual({ userId: 'f', name: 'Sam Okafor', at: 100 })
    expect(whomToFollow('k', null, summon, null)).toBe('f')
    expect(whomToFollow('f', null, summon, null)).toBeNull()
    expect(whomToFollow('k', null, summon, 100)).toBeNull()
    expect(whomToFollow('k', null, { ...summon!, at: 200 }, 100)).toBe('f')
    expect(whomToFollow('k', 'h', summon, null)).toBe('h')
    setSummon(doc, null, 300)
    expect(whomToFollow('k', null, readSummon(doc), null)).toBeNull()
  })

  it('lists raised hands in the order they went up, and lets anyone’s be lowered', () => {
    const doc = new Y.Doc()
    raiseHand(doc, hull, 20)
    raiseHand(doc, kent, 10)
    raiseHand(doc, hull, 30)
    expect(readHands(doc).map((h) => [h.name, h.at])).toEqual([
      ['Priya Shah', 10],
      ['Joe Baines', 20],
    ])
    lowerHand(doc, 'k')
    expect(readHands(doc).map((h) => h.userId)).toEqual(['h'])
  })
})

describe('workshop settings', () => {
  // The server records locking and unlocking in the ledger: test/unit/ledgerOfChanges.test.ts.
  it('locks and unlocks sections with who and when', () => {
    const doc = new Y.Doc()
    setLock(doc, 'pot', true, facilitator, 50)
    expect(readLocks(doc).get('pot')).toEqual({ by: facilitator, at: 50 })
    // Locking a locked section again keeps who locked it first, and when.
    setLock(doc, 'pot', true, facilitator, 60)
    expect(readLocks(doc).get('pot')).toEqual({ by: facilitator, at: 50 })
    setLock(doc, 'pot', false, facilitator, 70)
    expect(readLocks(doc).size).toBe(0)
  })

  it('uses the listed organisations when there are any, else everyone who joined to edit', () => {
    const doc = new Y.Doc()
    recordMember(doc, 'k', { name: 'Priya Shah', organisation: 'Kent County Council', role: 'participant' }, 1)
    recordMember(doc, 'o', { name: 'Ann Lee', organisation: 'Audit Commission', role: 'observer' }, 1)
    expect(organisationsTakingPart(doc)).toEqual(['Kent County Council'])
    setTakingPart(doc, 'Police', 'partner', facilitator, 2)
    setTakingPart(doc, 'Kent County Council', 'area', facilitator, 3)
    setTakingPart(doc, 'Department of Health (DH)', 'department', facilitator, 4)
    expect(readTakingPart(doc).map((t) => t.organisation)).toEqual([
      'Kent County Council',
      'Department of Health (DH)',
      'Police',
    ])
    expect(organisationsTakingPart(doc)).toEqual(['Department of Health (DH)', 'Kent County Council', 'Police'])
    // Protocol sign-off asks exactly these organisations.
    expect(participatingOrganisations(doc)).toEqual(['Department of Health (DH)', 'Kent County Council', 'Police'])
    expect(organisationSuggestions(['Police']).slice(0, 2)).toEqual(['Police', 'Birmingham City Council'])
    setTakingPart(doc, 'Police', null, facilitator, 5)
    expect(organisationsTakingPart(doc)).toEqual(['Department of Health (DH)', 'Kent County Council'])
    expect(() => setTakingPart(doc, ' ', 'area', facilitator, 6)).toThrow('Enter the organisation')
  })

  it('renames the workshop, refusing an empty title', () => {
    const doc = new Y.Doc()
    setWorkshopTitle(doc, 'Kent families workshop 2', facilitator, 1)
    expect(doc.getMap('meta').get('title')).toBe('Kent families workshop 2')
    expect(() => setWorkshopTitle(doc, '  ', facilitator, 2)).toThrow('needs a title')
  })
})
