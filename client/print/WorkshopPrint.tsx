/**
 * The whole workshop on paper: what state it is and when (London time), who attended, the agenda,
 * then section by section (the pot with its totals, the protocol with every partner's position,
 * the barriers, the actions and decisions…) and the signed sign-off receipts, from the same export
 * data as the Markdown report.
 */
import type { ReactNode } from 'react'
import { exportContext, type WorkshopExport } from '../../shared/export.ts'
import { ReceiptsPrint } from '../protocol/receipts/ReceiptsPrint.tsx'
import { SECTION_VIEWS } from '../sections/registry.ts'
import { attendees, londonDateTime, minutesText, type PrintedState, stateLine, stateTime } from './printText.ts'

export const PrintSection = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="print-section" aria-label={title}>
    <h2>{title}</h2>
    {children}
  </section>
)

/** Title, date, and which state is printed (with the snapshot's SHA-256 and where to check it). */
export function PrintHeader({
  data,
  state,
  subtitle,
}: {
  data: WorkshopExport
  state: PrintedState
  subtitle?: string
}) {
  return (
    <header className="print-header">
      <h1>{data.meta.title || 'Workshop'}</h1>
      {subtitle && <p className="print-subtitle">{subtitle}</p>}
      <p className="print-state">{stateLine(state)}</p>
      <dl className="print-facts-list">
        <div>
          <dt>Date and time</dt>
          <dd data-testid="print-date">{londonDateTime(stateTime(state))} (Europe/London)</dd>
        </div>
        {data.meta.createdAt > 0 && (
          <div>
            <dt>Workshop opened</dt>
            <dd>{londonDateTime(data.meta.createdAt)}</dd>
          </div>
        )}
        <div>
          <dt>State</dt>
          <dd>{state.kind === 'live' ? 'Live: as it stood when printed' : `Snapshot “${state.name}”`}</dd>
        </div>
        {state.kind === 'snapshot' && (
          <div className="print-hash">
            <dt>SHA-256</dt>
            <dd>
              <code data-testid="print-sha256">{state.sha256}</code>
              <br />
              check it at {state.checkUrl}
            </dd>
          </div>
        )}
      </dl>
    </header>
  )
}

function Attendees({ members }: { members: WorkshopExport['members'] }) {
  const people = attendees(members)
  if (people.length === 0) return <p className="print-empty">Nobody has joined yet.</p>
  return (
    <table className="print-table print-attendees" aria-label="Attendees">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Organisation</th>
          <th scope="col">Role</th>
        </tr>
      </thead>
      <tbody>
        {people.map((person, i) => (
          <tr key={i}>
            <td>{person.name}</td>
            <td>{person.organisation}</td>
            <td>{person.role}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Agenda({ agenda }: { agenda: WorkshopExport['agenda'] | undefined }) {
  if (!agenda || agenda.items.length === 0) return <p className="print-empty">No agenda was set.</p>
  return (
    <>
      <ol className="print-agenda" aria-label="Agenda items">
        {agenda.items.map((item) => (
          <li key={item.id}>
            {item.title} <span className="print-status">({minutesText(item.minutes)})</span>
            {item.id === agenda.currentId && <span className="print-note"> — the item the room was on</span>}
          </li>
        ))}
      </ol>
      <p className="print-note">Total time: {minutesText(agenda.totalMinutes)}.</p>
    </>
  )
}

export function WorkshopPrint({ data, state }: { data: WorkshopExport; state: PrintedState }) {
  const context = exportContext(data)
  return (
    <article className="print-workshop">
      <PrintHeader data={data} state={state} />
      <PrintSection title="Attendees">
        <Attendees members={data.members} />
      </PrintSection>
      <PrintSection title="Agenda">
        <Agenda agenda={data.agenda} />
      </PrintSection>
      {SECTION_VIEWS.map(({ section, Print }) => (
        <PrintSection key={section.key} title={section.title}>
          <Print data={context.of(section)} context={context} />
        </PrintSection>
      ))}
      <PrintSection title="Sign-off receipts">
        <ReceiptsPrint receipts={data.receipts ?? []} origin={window.location.origin} />
      </PrintSection>
    </article>
  )
}
