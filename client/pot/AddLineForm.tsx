import { useState, type FormEvent } from 'react'
import { currentFinancialYear, parseFinancialYears } from '../../shared/financialYears.ts'
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

/** A new contribution line: partner, stream, amount as people type it, financial years, kind and mode. */
export function AddLineForm({ onAdd, partnerListId, streamListId, defaultPartner }: Props) {
  const [partner, setPartner] = useState(defaultPartner)
  const [stream, setStream] = useState('')
  const [amount, setAmount] = useState('')
  const [kind, setKind] = useState<PotLineFields['kind']>('cash')
  const [mode, setMode] = useState<PotLineFields['mode']>('pooled')
  // The year the workshop is in; kept after an add, as the next line is usually for the same year.
  const [years, setYears] = useState(() => currentFinancialYear(new Date()))
  const [errors, setErrors] = useState<{ partner?: string; amount?: string; years?: string }>({})

  function submit(event: FormEvent) {
    event.preventDefault()
    const money = parseMoney(amount)
    const financialYears = parseFinancialYears(years)
    const next: { partner?: string; amount?: string; years?: string } = {}
    if (!partner.trim()) next.partner = 'Enter the partner organisation'
    if (!money.ok) next.amount = money.error
    if (!financialYears.ok) next.years = financialYears.error
    setErrors(next)
    if (next.partner || !money.ok || !financialYears.ok) return
    onAdd({
      ...DEFAULT_LINE,
      partner: partner.trim(),
      stream: stream.trim(),
      amount: money.pence,
      kind,
      mode,
      years: financialYears.years,
    })
    setYears(financialYears.years)
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
      <FormField id="add-years" label="Financial years" error={errors.years}>
        {(control) => (
          <input
            {...control}
            value={years}
            onChange={(e) => {
              setYears(e.target.value)
              if (errors.years && parseFinancialYears(e.target.value).ok) setErrors({ ...errors, years: undefined })
            }}
            maxLength={40}
            placeholder="2026-27"
            className="add-years"
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
