import { useState, type FormEvent } from 'react'
import { parseMoney } from '../../shared/money.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { FormField } from '../ui/FormField.tsx'
import { DEFAULT_LINE, KIND_LABELS, MODE_LABELS, POT_KINDS, POT_MODES, type PotLineFields } from '../../shared/pot.ts'

interface Props {
  onAdd: (fields: PotLineFields) => void
  partnerListId: string
  streamListId: string
  defaultPartner: string
}

/** A new contribution line: partner, stream, amount as people type it, kind and mode. */
export function AddLineForm({ onAdd, partnerListId, streamListId, defaultPartner }: Props) {
  const [partner, setPartner] = useState(defaultPartner)
  const [stream, setStream] = useState('')
  const [amount, setAmount] = useState('')
  const [kind, setKind] = useState<PotLineFields['kind']>('cash')
  const [mode, setMode] = useState<PotLineFields['mode']>('pooled')
  const [errors, setErrors] = useState<{ partner?: string; amount?: string }>({})

  function submit(event: FormEvent) {
    event.preventDefault()
    const money = parseMoney(amount)
    const next: { partner?: string; amount?: string } = {}
    if (!partner.trim()) next.partner = 'Enter the partner organisation'
    if (!money.ok) next.amount = money.error
    setErrors(next)
    if (next.partner || !money.ok) return
    onAdd({ ...DEFAULT_LINE, partner: partner.trim(), stream: stream.trim(), amount: money.pence, kind, mode })
    setStream('')
    setAmount('')
  }

  return (
    <form className="add-line" onSubmit={submit} noValidate aria-label="Add a contribution">
      <FormField id="add-partner" label="Partner" error={errors.partner}>
        {(control) => (
          <input
            {...control}
            list={partnerListId}
            value={partner}
            onChange={(e) => setPartner(e.target.value)}
            maxLength={120}
          />
        )}
      </FormField>
      <FormField id="add-stream" label="Funding stream">
        {(control) => (
          <input
            {...control}
            list={streamListId}
            value={stream}
            onChange={(e) => setStream(e.target.value)}
            maxLength={120}
            placeholder="e.g. Work Programme"
          />
        )}
      </FormField>
      <FormField id="add-amount" label="Amount" error={errors.amount}>
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="£1.2m, 250k…"
          />
        )}
      </FormField>
      <FormField id="add-kind" label="Kind">
        {(control) => (
          <EnumSelect
            {...control}
            label="Kind"
            value={kind}
            options={POT_KINDS}
            labels={KIND_LABELS}
            onChange={setKind}
          />
        )}
      </FormField>
      <FormField id="add-mode" label="Mode">
        {(control) => (
          <EnumSelect
            {...control}
            label="Mode"
            value={mode}
            options={POT_MODES}
            labels={MODE_LABELS}
            onChange={setMode}
          />
        )}
      </FormField>
      <button className="button primary" type="submit">
        Add contribution
      </button>
    </form>
  )
}
