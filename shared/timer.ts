/**
 * The shared countdown timer. Every time in it is on the server's clock: a running timer stores
 * the moment it ends, and each client shows `endsAt - serverNow()`, where serverNow is its own
 * clock corrected by the offset it measured when it connected (see `estimateClockOffset`). So
 * every screen shows the same remaining time, whatever its own clock says.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import { getSettingsMap } from './schema.ts'

export const TIMER_MAX_MS = 8 * 60 * 60_000

const duration = z.number().int().min(0).max(TIMER_MAX_MS)
export const timerSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), durationMs: duration }),
  z.object({ state: z.literal('running'), durationMs: duration, endsAt: z.number() }),
  z.object({ state: z.literal('paused'), durationMs: duration, remainingMs: duration }),
])
export type TimerState = z.infer<typeof timerSchema>

export const DEFAULT_TIMER: TimerState = { state: 'idle', durationMs: 10 * 60_000 }

export function readTimer(doc: Y.Doc): TimerState {
  const parsed = timerSchema.safeParse(getSettingsMap(doc).get('timer'))
  return parsed.success ? parsed.data : DEFAULT_TIMER
}

function write(doc: Y.Doc, timer: TimerState): void {
  getSettingsMap(doc).set('timer', timerSchema.parse(timer))
}

/** Milliseconds left at `serverNow` (never negative). */
export function remainingMs(timer: TimerState, serverNow: number): number {
  switch (timer.state) {
    case 'idle':
      return timer.durationMs
    case 'paused':
      return timer.remainingMs
    case 'running':
      return Math.max(0, timer.endsAt - serverNow)
  }
}

/** Whether a running timer has reached zero. */
export function hasRunOut(timer: TimerState, serverNow: number): boolean {
  return timer.state === 'running' && serverNow >= timer.endsAt
}

const clampDuration = (ms: number) => Math.max(0, Math.min(TIMER_MAX_MS, Math.round(ms)))

/** Sets the length of an idle timer (e.g. from the agenda item's timebox). */
export function setTimerDuration(doc: Y.Doc, durationMs: number): void {
  if (!(durationMs > 0)) throw new Error('The timer needs a length of at least one second')
  write(doc, { state: 'idle', durationMs: clampDuration(durationMs) })
}

/** Starts (or resumes) the countdown. */
export function startTimer(doc: Y.Doc, serverNow: number): void {
  const timer = readTimer(doc)
  if (timer.state === 'running') return
  const left = timer.state === 'paused' ? timer.remainingMs : timer.durationMs
  write(doc, { state: 'running', durationMs: timer.durationMs, endsAt: serverNow + left })
}

export function pauseTimer(doc: Y.Doc, serverNow: number): void {
  const timer = readTimer(doc)
  if (timer.state !== 'running') return
  write(doc, { state: 'paused', durationMs: timer.durationMs, remainingMs: clampDuration(timer.endsAt - serverNow) })
}

/** Adds time (e.g. a minute) to a timer in any state; a timer that had run out starts again. */
export function addTime(doc: Y.Doc, ms: number, serverNow: number): void {
  const timer = readTimer(doc)
  switch (timer.state) {
    case 'idle':
      write(doc, { state: 'idle', durationMs: clampDuration(timer.durationMs + ms) })
      return
    case 'paused':
      write(doc, { ...timer, remainingMs: clampDuration(timer.remainingMs + ms) })
      return
    case 'running':
      write(doc, { ...timer, endsAt: Math.max(timer.endsAt, serverNow) + ms })
  }
}

/** Back to the full length, stopped. */
export function resetTimer(doc: Y.Doc): void {
  write(doc, { state: 'idle', durationMs: readTimer(doc).durationMs })
}

/** "4:05", "1:02:03", or "0:00". */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const ss = String(seconds).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`
}

/** One exchange with the server's clock: when we asked, what it said, when we heard. */
export interface ClockSample {
  sentAt: number
  serverNow: number
  receivedAt: number
}

/**
 * The server clock minus ours, from the sample with the shortest round trip (the least
 * uncertain): the server read its clock somewhere in the round trip, best guessed at its middle.
 */
export function estimateClockOffset(samples: readonly ClockSample[]): number {
  if (samples.length === 0) return 0
  const best = samples.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a))
  return Math.round(best.serverNow - (best.sentAt + best.receivedAt) / 2)
}
