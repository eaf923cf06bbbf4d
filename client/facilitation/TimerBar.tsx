import { useEffect, useRef, useState } from 'react'
import type { Agenda } from '../../shared/agenda.ts'
import {
  addTime,
  formatCountdown,
  hasRunOut,
  pauseTimer,
  remainingMs,
  resetTimer,
  setTimerDuration,
  startTimer,
  type TimerState,
} from '../../shared/timer.ts'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { playChime } from './chime.ts'
import { serverNow, useServerNow } from './serverClock.ts'

interface Props {
  timer: TimerState
  agenda: Agenda
}

/**
 * The shared countdown and the current agenda item, in the header of every screen. Everyone sees
 * the same time (server clock); the facilitator starts, pauses, adds time and resets.
 */
export function TimerBar({ timer, agenda }: Props) {
  const { doc, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const now = useServerNow(timer.state === 'running')
  const left = remainingMs(timer, now)
  const done = hasRunOut(timer, now)
  const current = agenda.items.find((i) => i.id === agenda.currentId) ?? null
  const [problem, run] = useChangeRunner()
  const [minutes, setMinutes] = useState(String(Math.round(timer.durationMs / 60_000)))
  const chimedFor = useRef<number | null>(null)

  useEffect(() => {
    setMinutes(String(Math.round(timer.durationMs / 60_000)))
  }, [timer.durationMs])

  // One chime per run-out, on every screen, only when it happens while the page is open.
  useEffect(() => {
    if (timer.state !== 'running') return
    if (done && chimedFor.current !== timer.endsAt && now - timer.endsAt < 5_000) {
      chimedFor.current = timer.endsAt
      playChime()
    }
  }, [done, timer, now])

  const state = done ? 'done' : timer.state
  return (
    <div className={`timer-bar timer-${state}`} role="group" aria-label="Shared timer">
      {current && (
        <span className="timer-item" title="Current agenda item">
          {current.title}
        </span>
      )}
      <span className="timer-clock" data-testid="timer-remaining" aria-label={`Time left: ${formatCountdown(left)}`}>
        {formatCountdown(left)}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {done
          ? `Time is up${current ? ` for ${current.title}` : ''}.`
          : timer.state === 'paused'
            ? 'Timer paused.'
            : ''}
      </span>
      {isFacilitator && (
        <span className="timer-controls">
          {timer.state === 'idle' && (
            <label className="timer-minutes">
              <span className="visually-hidden">Timer minutes</span>
              <input
                type="number"
                min={1}
                max={480}
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
                onBlur={() => run(() => setTimerDuration(doc, Number(minutes) * 60_000))}
              />
              <span aria-hidden="true">min</span>
            </label>
          )}
          {timer.state === 'running' && !done ? (
            <button type="button" className="button small" onClick={() => run(() => pauseTimer(doc, serverNow()))}>
              Pause
            </button>
          ) : (
            timer.state !== 'running' && (
              <button
                type="button"
                className="button small primary"
                onClick={() =>
                  run(() => {
                    if (timer.state === 'idle' && Number(minutes) * 60_000 !== timer.durationMs)
                      setTimerDuration(doc, Number(minutes) * 60_000)
                    startTimer(doc, serverNow())
                  })
                }
              >
                {timer.state === 'paused' ? 'Resume' : 'Start'}
              </button>
            )
          )}
          <button
            type="button"
            className="button small"
            onClick={() => run(() => addTime(doc, 60_000, serverNow()))}
            title="Add one minute"
          >
            +1 min
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => run(() => resetTimer(doc))}
            disabled={timer.state === 'idle'}
          >
            Reset
          </button>
        </span>
      )}
      {problem && (
        <span className="form-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  )
}
