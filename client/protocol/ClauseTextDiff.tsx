/** A comparison's clause text, word by word, for each clause whose text changed. */
import type { ProtocolDiff } from '../../shared/sections/protocol/diff.ts'
import type { DiffPartProps } from '../sections/types.ts'

export function ClauseTextDiff({ diff }: DiffPartProps<ProtocolDiff>) {
  const texts = diff.changed.filter((c) => c.text)
  if (texts.length === 0) return null
  return (
    <section>
      <h3>Clause text</h3>
      {texts.map((clause) => (
        <div key={clause.id} className="diff-clause">
          <h4>{clause.title}</h4>
          <p className="diff-words">
            {clause.text!.map((segment, i) =>
              segment.kind === 'added' ? (
                <ins key={i}>{segment.text}</ins>
              ) : segment.kind === 'removed' ? (
                <del key={i}>{segment.text}</del>
              ) : (
                <span key={i}>{segment.text}</span>
              ),
            )}
          </p>
        </div>
      ))}
    </section>
  )
}
