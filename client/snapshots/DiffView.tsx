import { isEmptyDiff, summariseDiff, type WorkshopDiff } from '../../shared/diff.ts'
import { SECTION_VIEWS } from '../sections/registry.ts'

const partOf = (diff: WorkshopDiff, key: string): unknown => (diff as unknown as Record<string, unknown>)[key]

/**
 * What changed between two states of a workshop: what each section shows first (the pot's totals
 * with deltas), every change in words, then each section's detail (clause text word by word).
 */
export function DiffView({
  diff,
  beforeLabel,
  afterLabel,
}: {
  diff: WorkshopDiff
  beforeLabel: string
  afterLabel: string
}) {
  if (isEmptyDiff(diff))
    return (
      <p className="diff-empty">
        Nothing changed between {beforeLabel} and {afterLabel}.
      </p>
    )
  const labels = { beforeLabel, afterLabel }
  return (
    <div className="diff" aria-label={`Changes from ${beforeLabel} to ${afterLabel}`}>
      {SECTION_VIEWS.map(({ section, DiffSummary }) =>
        DiffSummary ? <DiffSummary key={section.key} diff={partOf(diff, section.key)} {...labels} /> : null,
      )}
      <section>
        <h3>Every change</h3>
        <ul className="diff-list">
          {summariseDiff(diff).map((sentence, i) => (
            <li key={i}>{sentence}</li>
          ))}
        </ul>
      </section>
      {SECTION_VIEWS.map(({ section, DiffDetail }) =>
        DiffDetail ? <DiffDetail key={section.key} diff={partOf(diff, section.key)} {...labels} /> : null,
      )}
    </div>
  )
}
