/**
 * The whole workshop on paper, section by section (the pot with its totals, the protocol with
 * every partner's position, the barriers, the actions…) and the signed sign-off receipts, from the
 * same export data as the Markdown report.
 */
import type { ReactNode } from 'react'
import { exportContext, type WorkshopExport } from '../../shared/export.ts'
import { ReceiptsPrint } from '../protocol/receipts/ReceiptsPrint.tsx'
import { SECTION_VIEWS } from '../sections/registry.ts'

export interface PrintHeading {
  /** "Snapshot — End of day one, 3 Dec 2026, 17:40" or "Live state, printed …". */
  state: string
  /** The snapshot's SHA-256, for a reader to check against the server. */
  sha256?: string
  /** Where the SHA-256 can be checked. */
  checkUrl?: string
}

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="print-section" aria-label={title}>
    <h2>{title}</h2>
    {children}
  </section>
)

export function WorkshopPrint({ data, heading }: { data: WorkshopExport; heading: PrintHeading }) {
  const context = exportContext(data)
  return (
    <article className="print-workshop">
      <header className="print-header">
        <h1>{data.meta.title || 'Workshop'}</h1>
        <p className="print-state">{heading.state}</p>
        {heading.sha256 && (
          <p className="print-hash">
            SHA-256 of this state: <code data-testid="print-sha256">{heading.sha256}</code>
            {heading.checkUrl && <> · check it at {heading.checkUrl}</>}
          </p>
        )}
      </header>
      {SECTION_VIEWS.map(({ section, Print }) => (
        <Section key={section.key} title={section.title}>
          <Print data={context.of(section)} context={context} />
        </Section>
      ))}
      <Section title="Sign-off receipts">
        <ReceiptsPrint receipts={data.receipts ?? []} origin={window.location.origin} />
      </Section>
    </article>
  )
}
