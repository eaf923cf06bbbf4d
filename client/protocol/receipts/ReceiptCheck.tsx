/** A "Check signature" button and what the check found, announced to screen readers. */
import { useState } from 'react'
import { clauseBody, readClauses } from '../../../shared/protocol.ts'
import { clauseBodyToMarkdown } from '../../../shared/protocolText.ts'
import type { Receipt } from '../../../shared/receipts.ts'
import { useWorkshop } from '../../workshop/WorkshopContext.tsx'
import { checkReceipt, type ReceiptFinding } from './checkReceipt.ts'

export function ReceiptCheck({ receipt }: { receipt: Receipt }) {
  const { doc } = useWorkshop()
  const [finding, setFinding] = useState<ReceiptFinding | null>(null)
  const [checking, setChecking] = useState(false)

  async function check() {
    setChecking(true)
    const wanted = new Set(receipt.clauses.map((c) => c.id))
    const current = new Map<string, { title: string; text: string }>()
    for (const clause of readClauses(doc)) {
      // A reopened clause is being renegotiated: its wording is expected to differ.
      if (!wanted.has(clause.id) || clause.status !== 'agreed') continue
      const body = clauseBody(doc, clause.id)
      current.set(clause.id, { title: clause.title, text: body ? clauseBodyToMarkdown(body) : '' })
    }
    setFinding(await checkReceipt(receipt, current))
    setChecking(false)
  }

  return (
    <div className="receipt-check">
      <button type="button" className="button small" onClick={() => void check()} disabled={checking}>
        {checking ? 'Checking…' : 'Check signature'}
      </button>
      <p role="status" className={finding ? (finding.ok ? 'receipt-ok' : 'receipt-bad') : undefined}>
        {finding?.message}
      </p>
    </div>
  )
}
