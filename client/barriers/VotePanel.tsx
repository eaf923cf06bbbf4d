import { useId, useState, type FormEvent } from 'react'
import { readBarriers, type Barrier } from '../../shared/barriers.ts'
import {
  dotsLeft,
  dotsOf,
  endVote,
  isTakingDots,
  MAX_DOTS,
  MAX_VOTE_MINUTES,
  rankBarriers,
  removeDot,
  showsResults,
  startVote,
  tallyVote,
  VOTE_VISIBILITIES,
  VOTE_VISIBILITY_LABELS,
  voteSettingsSchema,
  type Vote,
  type VoteResult,
  type VoteSettings,
  type VoteVisibility,
} from '../../shared/votes.ts'
import { Dots } from './parts.tsx'
import { serverNow } from '../facilitation/serverClock.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { FormField } from '../ui/FormField.tsx'

export const DEFAULT_QUESTION = 'Which barriers matter most?'

interface Props {
  /** Whether this person may place dots (and, as facilitator, start and end votes). */
  canEdit: boolean
  votes: readonly Vote[]
  barriers: readonly Barrier[]
  now: number
  run: (change: () => void) => void
}

const people = (n: number) => `${n} ${n === 1 ? 'person has' : 'people have'} voted`
const dateTime = (ms: number) =>
  new Date(ms).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })

function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  return `${m}:${String(s).padStart(2, '0')}`
}

/** A ranking as bars: rank, title, dots. Barriers without dots are listed faintly at the end. */
export function Ranking({
  results,
  label,
  hideEmpty,
}: {
  results: readonly VoteResult[]
  label: string
  hideEmpty?: boolean
}) {
  const shown = hideEmpty ? results.filter((r) => r.dots > 0) : results
  const max = Math.max(1, ...shown.map((r) => r.dots))
  if (shown.length === 0) return <p className="muted">No dots placed yet.</p>
  return (
    <ol className="ranking" aria-label={label}>
      {shown.map((result) => (
        <li
          key={result.barrierId}
          className={result.dots === 0 ? 'no-dots' : undefined}
          data-barrier-id={result.barrierId}
        >
          <span className="rank" aria-label={`Rank ${result.rank}`}>
            {result.rank}
          </span>
          <span className="ranking-title">{result.title}</span>
          <span className="ranking-bar" aria-hidden="true">
            <span style={{ width: `${(result.dots / max) * 100}%` }} />
          </span>
          <span className="ranking-dots">
            {result.dots} {result.dots === 1 ? 'dot' : 'dots'}
          </span>
        </li>
      ))}
    </ol>
  )
}

/** Dot voting: the facilitator starts and ends a vote; everyone who can edit places their dots on the barriers below. */
export function VotePanel({ canEdit, votes, barriers, now, run }: Props) {
  const { doc, actor, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const current = votes.findLast((v) => v.status === 'open') ?? null
  // Most recently ended first.
  const ended = votes
    .filter((v) => v.status === 'ended')
    .sort((a, b) => (b.endedAt ?? b.startedAt) - (a.endedAt ?? a.startedAt))
  const [starting, setStarting] = useState(false)
  const headingId = useId()

  const latest = !current ? ended[0] : undefined
  const earlier = current ? ended : ended.slice(1)

  return (
    <section className="vote-panel" aria-labelledby={headingId}>
      <header className="vote-panel-header">
        <h3 id={headingId}>Dot vote</h3>
        {current ? (
          <OpenVoteStatus vote={current} now={now} />
        ) : (
          <span className="muted">
            {ended.length === 0 ? 'No vote yet' : `${ended.length} ${ended.length === 1 ? 'vote' : 'votes'} held`}
          </span>
        )}
        <span className="spacer" />
        {isFacilitator && canEdit && current && (
          <button
            type="button"
            className="button small primary"
            onClick={() => run(() => endVote(doc, current.id, readBarriers(doc), actor, serverNow()))}
          >
            End vote
          </button>
        )}
        {isFacilitator && canEdit && !current && !starting && (
          <button type="button" className="button small primary" onClick={() => setStarting(true)}>
            Start a dot vote
          </button>
        )}
      </header>

      {!current && starting && isFacilitator && canEdit && <StartVoteForm onDone={() => setStarting(false)} />}

      {current && <OpenVote vote={current} barriers={barriers} canEdit={canEdit} now={now} run={run} />}

      {!current && !latest && !starting && (
        <p className="muted vote-empty">
          {isFacilitator
            ? 'Start a vote to find which barriers matter most: everyone gets a few dots to place.'
            : 'When the facilitator starts a vote, you place your dots on the barriers that matter most.'}
        </p>
      )}

      {latest && (
        <div className="vote-result">
          <p className="vote-result-heading">
            <strong>{latest.title}</strong>{' '}
            <span className="muted">
              · ended {latest.endedAt ? dateTime(latest.endedAt) : ''} · {people(latest.voters)}
            </span>
          </p>
          <Ranking results={latest.results} label={`Ranking: ${latest.title}`} />
        </div>
      )}

      {earlier.length > 0 && (
        <details className="past-votes">
          <summary>
            Past votes <span className="count">{earlier.length}</span>
          </summary>
          <ul>
            {earlier.map((vote) => (
              <li key={vote.id}>
                <p className="past-vote-heading">
                  <strong>{vote.title}</strong>{' '}
                  <span className="muted">
                    · {vote.endedAt ? dateTime(vote.endedAt) : dateTime(vote.startedAt)} · {people(vote.voters)}
                  </span>
                </p>
                <Ranking
                  results={vote.results}
                  label={`Ranking: ${vote.title}, ${vote.endedAt ? dateTime(vote.endedAt) : ''}`}
                  hideEmpty
                />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}

function OpenVoteStatus({ vote, now }: { vote: Vote; now: number }) {
  if (vote.endsAt === null)
    return (
      <span className="vote-state">
        <span className="live-dot" aria-hidden="true" /> Open until the facilitator ends it
      </span>
    )
  const left = vote.endsAt - now
  return left > 0 ? (
    <span className="vote-state">
      <span className="live-dot" aria-hidden="true" /> Open ·{' '}
      <span role="timer" aria-label={`Time left: ${countdown(left)}`} className="countdown">
        {countdown(left)}
      </span>{' '}
      left
    </span>
  ) : (
    <span className="vote-state closing">Time is up: closing the vote…</span>
  )
}

interface OpenVoteProps {
  vote: Vote
  barriers: readonly Barrier[]
  canEdit: boolean
  now: number
  run: (change: () => void) => void
}

function OpenVote({ vote, barriers, canEdit, now, run }: OpenVoteProps) {
  const { doc, actor, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const left = dotsLeft(vote, actor.userId)
  const taking = isTakingDots(vote, now)
  const ids = new Set(barriers.map((b) => b.id))
  const results = rankBarriers(tallyVote(vote, ids), barriers)
  // A dot stays on a barrier someone removed (and counts against the budget) until it is taken back.
  const stranded = [...dotsOf(vote, actor.userId).values()].filter((dot) => !ids.has(dot.barrierId))
  const takeBackStranded = () =>
    run(() => {
      for (const dot of stranded) removeDot(doc, vote.id, dot.barrierId, actor, serverNow())
    })
  return (
    <div className="open-vote">
      <p className="vote-question">{vote.title}</p>
      {canEdit && taking && (
        <div className="dots-left">
          <span className="dots-wallet" aria-hidden="true">
            <Dots count={left} className="mine" />
            <Dots count={vote.dotsPerPerson - left} className="spent" />
          </span>
          <span aria-live="polite" data-testid="dots-left">
            You have {left} of {vote.dotsPerPerson} dots left
          </span>
          <span className="hint">Place them with + on the barriers below; take one back with − to move it.</span>
        </div>
      )}
      {canEdit && taking && stranded.length > 0 && (
        <p className="orphan-dots">
          {stranded.length === 1 ? 'One of your dots is' : `${stranded.length} of your dots are`} on a barrier that has
          been removed.
          <button type="button" className="button small" onClick={takeBackStranded}>
            Take {stranded.length === 1 ? 'it' : 'them'} back
          </button>
        </p>
      )}
      {showsResults(vote) ? (
        <>
          <p className="muted">Live results · {people(vote.voters)}</p>
          <Ranking results={results} label={`Live ranking: ${vote.title}`} hideEmpty />
        </>
      ) : (
        <p className="results-hidden">
          Results are hidden until the vote ends
          {isFacilitator && (
            <>
              {' '}
              · <strong data-testid="voters">{people(vote.voters)}</strong>
            </>
          )}
        </p>
      )}
    </div>
  )
}

/** The facilitator's settings for a new vote; a setting the schema refuses is explained and kept. */
function StartVoteForm({ onDone }: { onDone: () => void }) {
  const { doc, actor } = useWorkshop()
  const uid = useId()
  const [title, setTitle] = useState(DEFAULT_QUESTION)
  const [dots, setDots] = useState('3')
  const [timed, setTimed] = useState(false)
  const [minutes, setMinutes] = useState('5')
  const [visibility, setVisibility] = useState<VoteVisibility>('live')
  const [error, setError] = useState<string | null>(null)

  const whole = (text: string, what: string): number => {
    const n = Number(text.trim())
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a whole number`)
    return n
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    try {
      const settings: VoteSettings = {
        title,
        dotsPerPerson: whole(dots, 'Dots'),
        durationMinutes: timed ? whole(minutes, 'Minutes') : null,
        visibility,
      }
      const parsed = voteSettingsSchema.safeParse(settings)
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'These settings cannot start a vote')
      startVote(doc, parsed.data, actor, serverNow())
      setError(null)
      onDone()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <form className="start-vote" aria-label="Start a dot vote" onSubmit={submit} noValidate>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="start-vote-grid">
        <FormField className="field question" label="Question">
          {(control) => <input {...control} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />}
        </FormField>
        <FormField className="field narrow" label="Dots per person">
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={MAX_DOTS}
              step={1}
              value={dots}
              onChange={(e) => setDots(e.target.value)}
            />
          )}
        </FormField>
        <fieldset className="field choice">
          <legend>Ends</legend>
          <label>
            <input type="radio" name={`${uid}-ends`} checked={!timed} onChange={() => setTimed(false)} /> When I end it
          </label>
          <label>
            <input type="radio" name={`${uid}-ends`} checked={timed} onChange={() => setTimed(true)} /> After
            <input
              className="minutes"
              type="number"
              min={1}
              max={MAX_VOTE_MINUTES}
              step={1}
              value={minutes}
              aria-label="Minutes the vote runs"
              onFocus={() => setTimed(true)}
              onChange={(e) => {
                setTimed(true)
                setMinutes(e.target.value)
              }}
            />
            minutes
          </label>
        </fieldset>
        <fieldset className="field choice">
          <legend>Results</legend>
          {VOTE_VISIBILITIES.map((v) => (
            <label key={v}>
              <input
                type="radio"
                name={`${uid}-visibility`}
                checked={visibility === v}
                onChange={() => setVisibility(v)}
              />{' '}
              {VOTE_VISIBILITY_LABELS[v]}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="barrier-form-buttons">
        <button type="submit" className="button primary">
          Start vote
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
