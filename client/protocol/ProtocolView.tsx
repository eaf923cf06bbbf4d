import { useEffect, useState, type FormEvent } from 'react'
import type { PositionBasis } from '../../shared/linkIdentity.ts'
import {
  addClause,
  checkAgreement,
  moveClause,
  moveClauseBy,
  proposeClause,
  reopenClause,
  settleClause,
  statePosition,
  type Clause,
  type Position,
} from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { FormField } from '../ui/FormField.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { ClauseCard } from './ClauseCard.tsx'
import { SignOffMatrix } from './SignOffMatrix.tsx'
import { useProtocol } from './useProtocol.ts'
import { useClauseDrag } from './reorder/useClauseDrag.ts'
import { ProtocolAgreementBar } from './receipts/ProtocolAgreementBar.tsx'
import { useReceipts } from './receipts/useReceipts.ts'
import './protocol.css'
import { useScrollToAnchor } from '../ui/useScrollToAnchor.ts'

/** The protocol: clauses co-edited live, each organisation's position, and the sign-off matrix. */
export function ProtocolView() {
  const { doc, actor, permissions } = useWorkshop()
  const canEdit = permissions.canEditSection('protocol')
  const { isFacilitator } = permissions
  const { clauses, organisations } = useProtocol(doc)
  useScrollToAnchor('clause-', clauses.length)
  const receipts = useReceipts(doc)
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
      if (clause.status === 'proposed' && checkAgreement(clause, organisations).passes)
        settleClause(doc, clause.id, organisations, actor, Date.now())
    }
  }, [clauses, organisations, isFacilitator, doc, actor])

  const agreed = clauses.filter((c) => c.status === 'agreed').length
  const overall =
    clauses.length === 0
      ? 'No clauses yet'
      : agreed === clauses.length
        ? 'Agreed in full'
        : `${agreed} of ${clauses.length} clauses agreed`

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
                doc.transact(() =>
                  PROTOCOL_TEMPLATE.forEach((clause, i) =>
                    addClause(doc, clause.title, clause.paragraphs, actor, now + i),
                  ),
                )
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
            clause={clause}
            index={index}
            count={clauses.length}
            organisations={organisations}
            canEdit={canEdit}
            onMove={(c: Clause, step) => run(() => moveClauseBy(doc, c.id, step))}
            onPropose={(c: Clause) => run(() => proposeClause(doc, c.id, actor, Date.now()))}
            onReopen={(c: Clause) => run(() => reopenClause(doc, c.id, actor, Date.now()))}
            onStatePosition={(
              c: Clause,
              organisation: string,
              position: Position,
              reason: string,
              basis: PositionBasis,
            ) => run(() => statePosition(doc, c.id, organisation, position, reason, actor, Date.now(), basis))}
            dragHandle={drag.handleProps(clause.id)}
            dragging={drag.draggingId === clause.id}
            dropMark={drag.markFor(index)}
            receipt={receipts.byClause.get(clause.id)}
          />
        ))}
      </div>
      <ProtocolAgreementBar clauses={clauses} receipts={receipts} />
      {canEdit && !receipts.protocolAgreed && (
        <form className="add-clause" onSubmit={addOne} aria-label="Add a clause">
          <FormField as={null} id="new-clause-title" label="New clause">
            {(control) => (
              <input
                {...control}
                value={newTitle}
                maxLength={200}
                placeholder="Clause title"
                onChange={(e) => setNewTitle(e.target.value)}
              />
            )}
          </FormField>
          <button type="submit" className="button">
            Add clause
          </button>
        </form>
      )}
      <SignOffMatrix clauses={clauses} organisations={organisations} />
    </div>
  )
}
