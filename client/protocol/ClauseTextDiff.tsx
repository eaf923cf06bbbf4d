/**
 * A comparison's clause text, for each clause whose wording or formatting changed: the clause as
 * it reads now, formatted, with the words added and removed marked (shared/richDiff.ts).
 */
import type { ProtocolDiff } from '../../shared/sections/protocol/diff.ts'
import type { DiffPartProps } from '../sections/types.ts'
import { RichText } from '../ui/RichText.tsx'

export function ClauseTextDiff({ diff, beforeLabel, afterLabel }: DiffPartProps<ProtocolDiff>) {
  const changed = diff.changed.filter((c) => c.body)
  if (changed.length === 0) return null
  return (
    <section aria-label="Clause text">
      <h3>Clause text</h3>
      <p className="hint diff-key">
        Wording as at {afterLabel}: <ins>added since {beforeLabel}</ins>, <del>removed</del>.
      </p>
      {changed.map((clause) => (
        <div key={clause.id} className="diff-clause">
          <h4>{clause.title}</h4>
          <RichText blocks={clause.body!} headingLevel={5} className="diff-words" empty={<p>No text now.</p>} />
        </div>
      ))}
    </section>
  )
}
