import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { DEPARTMENT_LABELS, DEPARTMENTS, type BarrierFields, type Department } from '../../shared/barriers.ts'
import { formatMoney, parseMoney } from '../../shared/money.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import {
  FORM_LABELS,
  validateBarrierForm,
  type BarrierFormKey,
  type BarrierFormValues,
  type FormErrors,
} from './barrierForm.ts'
import { OrganisationInput } from '../ui/OrganisationInput.tsx'
import { ErrorSummary } from '../ui/ErrorSummary.tsx'
import { FormField, type FieldControlProps } from '../ui/FormField.tsx'

interface Props {
  /** What the form starts from: empty values to raise, the barrier as it is now to edit (kept live). */
  base: BarrierFormValues
  mode: 'raise' | 'edit'
  /** Names the form for screen readers, e.g. "Raise a barrier" or "Edit ESF cannot be pooled". */
  label: string
  /** Writes the fields; throwing refuses them with the error's message and keeps what was typed. */
  onSubmit: (fields: BarrierFields, touched: ReadonlySet<BarrierFormKey>) => void
  onCancel?: () => void
  disabled?: boolean
  /** Shown before the buttons (the links). */
  children?: ReactNode
}

/** The order fields appear in, for the summary of problems. */
const FIELD_ORDER: readonly BarrierFormKey[] = [
  'title',
  'department',
  'raisedBy',
  'champion',
  'dueDate',
  'impact',
  'families',
  'description',
  'rule',
  'flexibility',
]

const TEXT_LIMITS: Partial<Record<BarrierFormKey, number>> = {
  title: 200,
  description: 4000,
  rule: 1000,
  raisedBy: 120,
  champion: 120,
  flexibility: 2000,
}

/**
 * A barrier's fields. Only fields the person changes are theirs: the others keep following the
 * document, so an edit never writes back a value someone else has changed meanwhile.
 */
export function BarrierForm({ base, mode, label, onSubmit, onCancel, disabled, children }: Props) {
  const uid = useId()
  const id = (key: BarrierFormKey) => `${uid}-${key}`
  const [draft, setDraft] = useState<Partial<BarrierFormValues>>({})
  // What each changed field held when the person started changing it, to notice someone else's change meanwhile.
  const [startedFrom, setStartedFrom] = useState<Partial<BarrierFormValues>>({})
  const [errors, setErrors] = useState<FormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  // The summary lists the problems once a submit was refused (a field checked on leaving it shows its own message).
  const [refused, setRefused] = useState(false)
  const [focusError, setFocusError] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)
  const values: BarrierFormValues = { ...base, ...draft }
  const touched = useMemo(() => new Set(Object.keys(draft) as BarrierFormKey[]), [draft])
  const dirty = touched.size > 0

  useEffect(() => {
    if (focusError === 0) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .barrier-form-summary a')?.focus()
  }, [focusError])

  const set = <K extends BarrierFormKey>(key: K, value: BarrierFormValues[K]) => {
    setStartedFrom((from) => (key in from ? from : { ...from, [key]: base[key] }))
    setDraft((d) => ({ ...d, [key]: value }))
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    setRefusal(null)
    const result = validateBarrierForm(values)
    if (!result.ok) {
      setErrors(result.errors)
      setRefused(true)
      setFocusError((n) => n + 1)
      return
    }
    try {
      onSubmit(result.fields, touched)
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error))
      return
    }
    setErrors({})
    setRefused(false)
    setDraft({})
    setStartedFrom({})
  }

  function discard() {
    setDraft({})
    setStartedFrom({})
    setErrors({})
    setRefusal(null)
    setRefused(false)
    onCancel?.()
  }

  const problems = FIELD_ORDER.flatMap((key): [BarrierFormKey, string][] => (errors[key] ? [[key, errors[key]]] : []))

  /** An amount is checked as soon as the field is left, and shown the way the pot shows money. */
  function checkImpact() {
    const typed = values.impact.trim()
    if (typed === '') return
    const money = parseMoney(typed)
    if (!money.ok) setErrors((e) => ({ ...e, impact: money.error }))
    else if (formatMoney(money.pence) !== values.impact) set('impact', formatMoney(money.pence))
  }

  const conflict = (key: BarrierFormKey) =>
    mode === 'edit' &&
    key in draft &&
    key in startedFrom &&
    startedFrom[key] !== base[key] && (
      <p className="field-conflict">
        Changed by someone else meanwhile
        {base[key] ? <> to “{key === 'department' ? base[key] : String(base[key]).slice(0, 80)}”</> : ' (now empty)'}.
        Saving keeps yours.
      </p>
    )
  // The error summary announces the problems, so a field's own message is not announced again.
  const field = (key: BarrierFormKey, control: (props: FieldControlProps) => ReactNode, className?: string) => (
    <FormField
      id={id(key)}
      label={FORM_LABELS[key]}
      error={errors[key]}
      announceError={false}
      note={conflict(key)}
      className={className ? `field ${className}` : 'field'}
    >
      {control}
    </FormField>
  )
  const text = (key: BarrierFormKey, options: { placeholder?: string; multiline?: boolean; className?: string } = {}) =>
    field(
      key,
      (control) =>
        options.multiline ? (
          <textarea
            {...control}
            rows={2}
            value={values[key]}
            maxLength={TEXT_LIMITS[key]}
            placeholder={options.placeholder}
            disabled={disabled}
            onChange={(e) => set(key, e.target.value)}
          />
        ) : (
          <input
            {...control}
            autoFocus={mode === 'raise' && key === 'title'}
            value={values[key]}
            maxLength={TEXT_LIMITS[key]}
            placeholder={options.placeholder}
            disabled={disabled}
            onChange={(e) => set(key, e.target.value)}
          />
        ),
      options.className,
    )

  return (
    <form ref={formRef} className={`barrier-form barrier-form-${mode}`} aria-label={label} onSubmit={submit} noValidate>
      <ErrorSummary
        className="barrier-form-summary"
        heading={mode === 'raise' ? 'The barrier was not raised:' : 'The changes were not saved:'}
        problems={refused ? problems : []}
        labels={FORM_LABELS}
        fieldId={id}
        refusal={refusal}
      />
      <div className="barrier-form-grid">
        {text('title', { placeholder: 'e.g. ESF funding for families cannot be pooled', className: 'span-2' })}
        {field('department', (control) => (
          <EnumSelect<Department>
            {...control}
            label={FORM_LABELS.department}
            value={values.department}
            options={DEPARTMENTS}
            labels={DEPARTMENT_LABELS}
            disabled={disabled}
            onChange={(d) => set('department', d)}
          />
        ))}
        {field('raisedBy', (control) => (
          <OrganisationInput
            {...control}
            value={values.raisedBy}
            maxLength={120}
            disabled={disabled}
            placeholder="Area or organisation, e.g. Swindon Borough Council"
            onChange={(v) => set('raisedBy', v)}
          />
        ))}
        {text('champion', { placeholder: 'e.g. Director General, DWP' })}
        {field('dueDate', (control) => (
          <input
            {...control}
            type="date"
            value={values.dueDate}
            disabled={disabled}
            onChange={(e) => set('dueDate', e.target.value)}
          />
        ))}
        {field('impact', (control) => (
          <input
            {...control}
            inputMode="decimal"
            value={values.impact}
            placeholder="£1.2m, 250k…"
            disabled={disabled}
            onChange={(e) => set('impact', e.target.value)}
            onBlur={checkImpact}
          />
        ))}
        {field('families', (control) => (
          <input
            {...control}
            inputMode="numeric"
            value={values.families}
            placeholder="e.g. 450"
            disabled={disabled}
            onChange={(e) => set('families', e.target.value)}
          />
        ))}
        {text('description', {
          multiline: true,
          placeholder: 'What stands in the way, and for whom',
          className: 'span-2',
        })}
        {text('rule', {
          multiline: true,
          placeholder: 'The regulation, guidance, system or practice',
          className: 'span-2',
        })}
        {text('flexibility', {
          multiline: true,
          placeholder: 'What the area asks the department to allow',
          className: 'span-all',
        })}
      </div>
      {children}
      {!disabled && (
        <div className="barrier-form-buttons">
          <button type="submit" className="button primary" disabled={mode === 'edit' && !dirty}>
            {mode === 'raise' ? 'Raise barrier' : 'Save changes'}
          </button>
          {(onCancel || (mode === 'edit' && dirty)) && (
            <button type="button" className="button" onClick={discard}>
              {mode === 'raise' ? 'Cancel' : 'Discard changes'}
            </button>
          )}
          {mode === 'edit' && dirty && (
            <span className="muted">Unsaved: {[...touched].map((k) => FORM_LABELS[k]).join(', ')}</span>
          )}
        </div>
      )}
    </form>
  )
}
