import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react'
import {
  OUTCOME_LIMITS,
  OUTCOME_STATUS_LABELS,
  OUTCOME_STATUSES,
  type OutcomeField,
  type OutcomeFields,
  type OutcomeStatus,
} from '../../shared/sections/outcomes/model.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { ErrorSummary } from '../ui/ErrorSummary.tsx'
import { type FieldControlProps, FormField } from '../ui/FormField.tsx'
import { FORM_LABELS, type OutcomeErrors, validateOutcome } from './outcomeForm.ts'

interface Props {
  /** What the form starts from: empty values to add, the outcome as it is now to edit (kept live). */
  base: OutcomeFields
  mode: 'add' | 'edit'
  /** Names the form for screen readers, e.g. "Add an outcome" or "Edit Fewer school exclusions". */
  label: string
  /** Id of the datalist of organisations to suggest for the owner. */
  organisationListId: string
  /** Writes the fields; throwing refuses them with the error's message and keeps what was typed. */
  onSubmit: (fields: OutcomeFields, touched: ReadonlySet<OutcomeField>) => void
  onCancel: () => void
  id?: string
}

const HINTS: Partial<Record<OutcomeField, string>> = {
  outcome: 'What should change for families, e.g. Fewer school exclusions',
  measure: 'The figure the partners will track, and where it comes from',
  baseline: 'Where things stand now, e.g. 14 fixed-term exclusions per term',
  target: 'Where they should be, and by when, e.g. 5 per term by March 2014',
}

/** The order fields appear in, for the summary of problems. */
const FIELD_ORDER: readonly OutcomeField[] = ['outcome', 'measure', 'baseline', 'target', 'ownerOrganisation', 'status']

/**
 * An outcome's fields. In an edit only the fields the person changes are theirs: the others keep
 * following the document, so saving never writes back a value someone else changed meanwhile.
 * The status is changed in the table (one select per outcome), so the edit form leaves it out.
 */
export function OutcomeForm({ base, mode, label, organisationListId, onSubmit, onCancel, id: formId }: Props) {
  const uid = useId()
  const id = (key: OutcomeField) => `${uid}-${key}`
  const [draft, setDraft] = useState<Partial<OutcomeFields>>({})
  // What each changed field held when the person started changing it, to notice someone else's change meanwhile.
  const [startedFrom, setStartedFrom] = useState<Partial<OutcomeFields>>({})
  const [errors, setErrors] = useState<OutcomeErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [focusError, setFocusError] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)
  const values: OutcomeFields = { ...base, ...draft }
  const touched = useMemo(() => new Set(Object.keys(draft) as OutcomeField[]), [draft])

  useEffect(() => {
    if (focusError > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusError])

  const set = <K extends OutcomeField>(key: K, value: OutcomeFields[K]) => {
    setStartedFrom((from) => (key in from ? from : { ...from, [key]: base[key] }))
    setDraft((d) => ({ ...d, [key]: value }))
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    setRefusal(null)
    const result = validateOutcome(values)
    if (!result.ok) {
      setErrors(result.errors)
      setFocusError((n) => n + 1)
      return
    }
    try {
      onSubmit(result.fields, touched)
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error))
    }
  }

  const conflict = (key: OutcomeField) =>
    mode === 'edit' &&
    key in startedFrom &&
    startedFrom[key] !== base[key] && (
      <p className="field-conflict">
        Changed by someone else meanwhile{base[key] ? <> to “{String(base[key]).slice(0, 80)}”</> : ' (now empty)'}.
        Saving keeps yours.
      </p>
    )
  const problems = FIELD_ORDER.flatMap((key): [OutcomeField, string][] => (errors[key] ? [[key, errors[key]]] : []))
  // The error summary announces the problems, so a field's own message is not announced again.
  const field = (key: OutcomeField, control: (props: FieldControlProps) => ReactNode, className?: string) => (
    <FormField
      id={id(key)}
      label={FORM_LABELS[key]}
      hint={HINTS[key]}
      error={errors[key]}
      announceError={false}
      note={conflict(key)}
      className={className ? `field ${className}` : 'field'}
    >
      {control}
    </FormField>
  )
  const text = (key: Exclude<OutcomeField, 'status'>, className?: string) =>
    field(
      key,
      (control) => (
        <input
          {...control}
          autoFocus={key === 'outcome'}
          value={values[key]}
          maxLength={OUTCOME_LIMITS[key]}
          onChange={(e) => set(key, e.target.value)}
        />
      ),
      className,
    )

  return (
    <form
      ref={formRef}
      id={formId}
      className={`outcome-form outcome-form-${mode}`}
      aria-label={label}
      onSubmit={submit}
      noValidate
    >
      <ErrorSummary
        className="outcome-form-summary"
        heading={mode === 'add' ? 'The outcome was not added:' : 'The changes were not saved:'}
        problems={problems}
        labels={FORM_LABELS}
        fieldId={id}
        refusal={refusal}
      />
      <div className="outcome-form-grid">
        {text('outcome', 'span-all')}
        {field(
          'measure',
          (control) => (
            <textarea
              {...control}
              rows={2}
              value={values.measure}
              maxLength={OUTCOME_LIMITS.measure}
              onChange={(e) => set('measure', e.target.value)}
            />
          ),
          'span-all',
        )}
        {text('baseline')}
        {text('target')}
        {field('ownerOrganisation', (control) => (
          <input
            {...control}
            list={organisationListId}
            autoComplete="off"
            value={values.ownerOrganisation}
            maxLength={OUTCOME_LIMITS.ownerOrganisation}
            placeholder="Start typing, e.g. Swindon Borough Council"
            onChange={(e) => set('ownerOrganisation', e.target.value)}
          />
        ))}
        {mode === 'add' &&
          field('status', (control) => (
            <EnumSelect<OutcomeStatus>
              {...control}
              label={FORM_LABELS.status}
              value={values.status}
              options={OUTCOME_STATUSES}
              labels={OUTCOME_STATUS_LABELS}
              onChange={(status) => set('status', status)}
            />
          ))}
      </div>
      <div className="outcome-form-buttons">
        <button type="submit" className="button primary" disabled={mode === 'edit' && touched.size === 0}>
          {mode === 'add' ? 'Add outcome' : 'Save changes'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        {mode === 'edit' && touched.size > 0 && (
          <span className="muted">Unsaved: {[...touched].map((k) => FORM_LABELS[k]).join(', ')}</span>
        )}
      </div>
    </form>
  )
}
