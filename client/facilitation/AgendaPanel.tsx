import { useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import {
  addAgendaItem,
  moveAgendaItem,
  nextAgendaItem,
  removeAgendaItem,
  setCurrentAgendaItem,
  updateAgendaItem,
  type Agenda,
  type AgendaItem,
} from '../../shared/agenda.ts'
import { setTimerDuration, startTimer } from '../../shared/timer.ts'
import { FormField } from '../ui/FormField.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { serverNow } from './serverClock.ts'

interface Props {
  agenda: Agenda
  /** Told when the room moves on from an item (the shell snapshots the workshop then). */
  onItemEnded?: (item: AgendaItem) => void
}

/** Puts the room on an item and starts its timebox on the shared timer. */
function startItem(doc: Y.Doc, item: AgendaItem): void {
  doc.transact(() => {
    setCurrentAgendaItem(doc, item.id)
    setTimerDuration(doc, item.minutes * 60_000)
    startTimer(doc, serverNow())
  })
}

/** The agenda: timeboxed items in order, the current one highlighted; the facilitator runs it. */
export function AgendaPanel({ agenda, onItemEnded }: Props) {
  const { doc, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const current = agenda.items.find((i) => i.id === agenda.currentId) ?? null
  const moveTo = (item: AgendaItem) =>
    run(() => {
      startItem(doc, item)
      if (current && current.id !== item.id) onItemEnded?.(current)
    })
  const [problem, run] = useChangeRunner()
  const [title, setTitle] = useState('')
  const [minutes, setMinutes] = useState('15')
  const next = nextAgendaItem(agenda)

  function add(event: FormEvent) {
    event.preventDefault()
    run(() => {
      addAgendaItem(doc, { title, minutes: Number(minutes) })
      setTitle('')
    })
  }

  return (
    <section className="agenda" aria-labelledby="agenda-heading">
      <div className="panel-section-header">
        <h3 id="agenda-heading">Agenda</h3>
        <span className="hint">{agenda.totalMinutes > 0 ? `${agenda.totalMinutes} min in all` : ''}</span>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {agenda.items.length === 0 && (
        <p className="hint">
          {isFacilitator
            ? 'Add the items of the workshop with a timebox each.'
            : 'The facilitator has not set an agenda yet.'}
        </p>
      )}
      <ol className="agenda-list">
        {agenda.items.map((item, index) => {
          const current = item.id === agenda.currentId
          return (
            <li
              key={item.id}
              className={`agenda-item${current ? ' current' : ''}`}
              aria-current={current ? 'step' : undefined}
              data-agenda-id={item.id}
            >
              {isFacilitator ? (
                <>
                  <input
                    className="agenda-title"
                    aria-label={`Title of agenda item ${index + 1}`}
                    defaultValue={item.title}
                    key={`${item.id}-${item.title}`}
                    maxLength={200}
                    onBlur={(e) =>
                      e.target.value !== item.title &&
                      run(() => updateAgendaItem(doc, item.id, { title: e.target.value }))
                    }
                  />
                  <input
                    className="agenda-minutes"
                    type="number"
                    min={1}
                    max={480}
                    aria-label={`Minutes for ${item.title}`}
                    defaultValue={item.minutes}
                    key={`${item.id}-m-${item.minutes}`}
                    onBlur={(e) =>
                      Number(e.target.value) !== item.minutes &&
                      run(() => updateAgendaItem(doc, item.id, { minutes: Number(e.target.value) }))
                    }
                  />
                  <span className="agenda-actions">
                    <button
                      type="button"
                      className="icon-button small agenda-start"
                      onClick={() => moveTo(item)}
                      aria-label={`${current ? 'Restart' : 'Start'} ${item.title}`}
                      title={`${current ? 'Restart' : 'Start'} this item and its timer`}
                    >
                      ▶
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      disabled={index === 0}
                      onClick={() => run(() => moveAgendaItem(doc, item.id, -1))}
                      aria-label={`Move ${item.title} up`}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      disabled={index === agenda.items.length - 1}
                      onClick={() => run(() => moveAgendaItem(doc, item.id, 1))}
                      aria-label={`Move ${item.title} down`}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      onClick={() => run(() => removeAgendaItem(doc, item.id))}
                      aria-label={`Remove ${item.title}`}
                    >
                      ×
                    </button>
                  </span>
                </>
              ) : (
                <>
                  <span className="agenda-title">{item.title}</span>
                  <span className="agenda-minutes">{item.minutes} min</span>
                </>
              )}
              {current && <span className="visually-hidden"> (now)</span>}
            </li>
          )
        })}
      </ol>
      {isFacilitator && next && (
        <button type="button" className="button primary" onClick={() => moveTo(next)}>
          {agenda.currentId === null ? 'Start' : 'Next'}: {next.title}
        </button>
      )}
      {isFacilitator && (
        <form className="agenda-add" onSubmit={add} aria-label="Add an agenda item">
          {/* A row too narrow for visible labels: the placeholder and the list above say what goes here. */}
          <FormField as={null} label="New agenda item" labelClassName="visually-hidden">
            {(control) => (
              <input
                {...control}
                placeholder="New item, e.g. Barriers and asks"
                value={title}
                maxLength={200}
                onChange={(e) => setTitle(e.target.value)}
              />
            )}
          </FormField>
          <FormField as={null} label="Minutes" labelClassName="visually-hidden">
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                max={480}
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
              />
            )}
          </FormField>
          <button type="submit" className="button">
            Add
          </button>
        </form>
      )}
    </section>
  )
}
