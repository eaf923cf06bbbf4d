import { memo } from 'react'
import { ledgerAuthor, type LedgerEntry } from '../../shared/ledger.ts'
import { formatMoney } from '../../shared/money.ts'
import { KIND_LABELS, MODE_LABELS, STATUS_LABELS } from '../../shared/pot.ts'

const FIELD_LABELS: Record<string, string> = {
  amount: 'amount',
  status: 'status',
  mode: 'mode',
  kind: 'kind',
  partner: 'partner',
  targetPot: 'target',
}

function show(field: string | null, value: LedgerEntry['from']): string {
  if (value === null) return '—'
  if ((field === 'amount' || field === 'targetPot') && typeof value === 'number') return formatMoney(value)
  const labels: Record<string, string> = { ...STATUS_LABELS, ...MODE_LABELS, ...KIND_LABELS }
  return typeof value === 'string' ? (labels[value] ?? value) : String(value)
}

function describe(entry: LedgerEntry): string {
  if (entry.action === 'created') return `added ${entry.label} at ${show(entry.field, entry.to)}`
  if (entry.action === 'deleted') return `removed ${entry.label} (${show(entry.field, entry.from)})`
  if (entry.action === 'restored') return `restored ${entry.label} (${show(entry.field, entry.to)})`
  const field = FIELD_LABELS[entry.field ?? ''] ?? entry.field ?? ''
  const subject = entry.subject ? `${entry.label}: ` : ''
  return `changed ${subject}${field} from ${show(entry.field, entry.from)} to ${show(entry.field, entry.to)}`
}

const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' })

function Author({ entry }: { entry: LedgerEntry }) {
  const { name, organisation } = ledgerAuthor(entry)
  return (
    <>
      <strong>{name}</strong>
      {organisation && <span className="muted"> ({organisation})</span>}
    </>
  )
}

/**
 * One change in the history. Memoised: the list re-renders on every change to the pot, and the
 * entries keep their identity between reads (ledgerReader), so only the new entry is drawn.
 */
const HistoryEntry = memo(function HistoryEntry({ entry }: { entry: LedgerEntry }) {
  return (
    <li className="history-entry">
      <Author entry={entry} /> {describe(entry)}
      <time className="muted" dateTime={new Date(entry.at).toISOString()}>
        {' · '}
        {time.format(entry.at)}
      </time>
    </li>
  )
})

/** The pot's ledger, newest first: who changed what, when, from and to. */
export function PotHistory({ entries, title }: { entries: readonly LedgerEntry[]; title: string }) {
  return (
    <section className="pot-history" aria-label={title}>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="hint">No changes yet.</p>
      ) : (
        <ol>
          {[...entries].reverse().map((entry) => (
            <HistoryEntry key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  )
}
