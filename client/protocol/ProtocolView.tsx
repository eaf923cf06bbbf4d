import { useEffect, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { Actor } from '../../shared/ledger.ts'
import type { LinkIdentity, PositionBasis } from '../../shared/linkIdentity.ts'
import { addClause, checkAgreement, moveClause, moveClauseBy, proposeClause, reopenClause, settleClause, statePosition, type Clause, type Position } from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { ClauseCard } from './ClauseCard.tsx'
import { SignOffMatrix } from './SignOffMatrix.tsx'
import { useProtocol } from './useProtocol.ts'
import { useClauseDrag } from './reorder/useClauseDrag.ts'
import './protocol.css'

interface Props {
  doc: Y.Doc
  awareness: Awareness
  actor: Actor
  colour: string
  canEdit: boolean
  isFacilitator: boolean
  /**
   * What this person's link speaks for: a link bound to an organisation states that organisation's
   * positions; a general link's are self-declared. Read-only views (snapshots) need none.
   */
  link?: LinkIdentity
  /** Download URL of the workshop's Markdown export (pot and protocol with positions). */
  markdownUrl: string
  /** Download URL of the positions as CSV (one row per position, with how it was stated). */
  csvUrl?: string
}

/** Without a link (a read-only view), nothing is stated, so a general one does. */
const NO_LINK: LinkIdentity = { role: 'observer', organisation: null, name: null, linkId: null }

/** The protocol: clauses co-edited live, each organisation's position, and the sign-off matrix. */
export function ProtocolView({ doc, awareness, actor, colour, canEdit, isFacilitator, link = NO_LINK, markdownUrl, csvUrl }: Props) {
  const { clauses, organisations } = useProtocol(doc)
  const [problem, run] = useChangeRunner()
  const [newTitle, setNewTitle] = useState('')
  const drag = useClauseDrag(
    clauses.map((c) => c.id),
    (id, beforeId, afterId) => run(() => moveClause(doc, id, beforeId, afterId)),
  )

  // Positions stated at the same moment on two devices merge into a clause that passes, though
  // neither device saw it pass: the facilitator's client settles such clauses.
  useEffect(() => {
    if (!isFacilitator) return
    for (const clause of clauses) {
      if (clause.status === 'proposed' && checkAgreement(clause, organisations).passes) settleClause(doc, clause.id, organisations, actor, Date.now())
    }
  }, [clauses, organisations, isFacilitator, doc, actor])

  const agreed = clauses.filter((c) => c.status === 'agreed').length
  const overall = clauses.length === 0 ? 'No clauses yet' : agreed === clauses.length ? 'Agreed in full' : `${agreed} of ${clauses.length} clauses agreed`

  function addOne(event: FormEvent) {
    event.preventDefault()
    run(() => {
      addClause(doc, newTitle, [], actor, Date.now())
      setNewTitle('')
    })
  }

  return (
    <div className="protocol">
      <header className="protocol-header">
        <h2>Protocol</h2>
        <span className="protocol-state" data-testid="protocol-state">
          {overall}
        </span>
        <span className="protocol-actions">
          <a className="button small" href={markdownUrl} download>
            Export Markdown
          </a>
          {csvUrl && (
            <a className="button small" href={csvUrl} download>
              Positions CSV
            </a>
          )}
          <button type="button" className="button small" onClick={() => window.print()}>
            Print
          </button>
        </span>
      </header>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {clauses.length === 0 && canEdit && (
        <p>
          <button
            type="button"
            className="button primary"
            onClick={() =>
              run(() => {
                const now = Date.now()
                doc.transact(() => PROTOCOL_TEMPLATE.forEach((clause, i) => addClause(doc, clause.title, clause.paragraphs, actor, now + i)))
              })
            }
          >
            Start from the pooled budget template
          </button>
        </p>
      )}
      {/* Observers take no drops: the server would refuse the move and their copy would drift. */}
      <div className="clauses" {...(canEdit ? drag.listProps : undefined)}>
        {clauses.map((clause, index) => (
          <ClauseCard
            key={clause.id}
            doc={doc}
            awareness={awareness}
            clause={clause}
            index={index}
            count={clauses.length}
            organisations={organisations}
            actor={actor}
            colour={colour}
            canEdit={canEdit}
            isFacilitator={isFacilitator}
            onMove={(c: Clause, step) => run(() => moveClauseBy(doc, c.id, step))}
            onPropose={(c: Clause) => run(() => proposeClause(doc, c.id, actor, Date.now()))}
            onReopen={(c: Clause) => run(() => reopenClause(doc, c.id, actor, Date.now()))}
            link={link}
            onStatePosition={(c: Clause, organisation: string, position: Position, reason: string, basis: PositionBasis) =>
              run(() => statePosition(doc, c.id, organisation, position, reason, actor, Date.now(), basis))
            }
            dragHandle={drag.handleProps(clause.id)}
            dragging={drag.draggingId === clause.id}
            dropMark={drag.markFor(index)}
          />
        ))}
      </div>
      {canEdit && (
        <form className="add-clause" onSubmit={addOne} aria-label="Add a clause">
          <label htmlFor="new-clause-title">New clause</label>
          <input id="new-clause-title" value={newTitle} maxLength={200} placeholder="Clause title" onChange={(e) => setNewTitle(e.target.value)} />
          <button type="submit" className="button">
            Add clause
          </button>
        </form>
      )}
      <SignOffMatrix clauses={clauses} organisations={organisations} />
    </div>
  )
}
