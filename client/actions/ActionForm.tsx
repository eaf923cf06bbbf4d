import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { ACTION_STATUS_LABELS, ACTION_STATUSES, type ActionFields } from '../../shared/actions.ts'
import { describeLink, LINK_KIND_LABELS, linkKey, type Link, withLink } from '../../shared/links.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { LinkPicker } from '../ui/LinkPicker.tsx'
import { ACTION_FIELD_LABELS, validateAction, type ActionErrors, type ActionFieldKey } from './actionForm.ts'
import { ErrorSummary } from '../ui/ErrorSummary.tsx'
import { FormField, type FieldControlProps } from '../ui/FormField.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'

const LINK_KINDS = ['barrier', 'pot-line', 'clause'] as const
const FIELD_ORDER: readonly ActionFieldKey[] = ['what', 'ownerOrganisation', 'ownerPerson', 'dueDate', 'status']

interface Props {
  /** Organisation the owner field starts with (the person's own). */
  defaultOrganisation: string
  /** Id of the datalist of organisations to suggest. */
  organisationListId: string
  /** A link the new action starts with ("Create action" on a barrier), shown as its own chip. */
  linkFrom: Link | null
  /** Writes the action; throwing refuses it with the error's message and keeps what was typed. */
  onAdd: (fields: ActionFields, links: Link[]) => void
  onCancel: () => void
}

/** A new action: what, who owns it, when it is due, its status and what it follows up. */
export function ActionForm({ defaultOrganisation, organisationListId, linkFrom, onAdd, onCancel }: Props) {
  const { doc } = useWorkshop()
  const uid = useId()
  const id = (key: ActionFieldKey) => `${uid}-${key}`
  const [values, setValues] = useState<ActionFields>({
    what: '',
    ownerOrganisation: defaultOrganisation,
    ownerPerson: '',
    dueDate: '',
    status: 'open',
  })
  const [links, setLinks] = useState<Link[]>(() => (linkFrom ? [linkFrom] : []))
  const [errors, setErrors] = useState<ActionErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [focusError, setFocusError] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    if (focusError > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusError])

  const set = <K extends ActionFieldKey>(key: K, value: ActionFields[K]) => {
    setValues((v) => ({ ...v, [key]: value }))
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    setRefusal(null)
    const result = validateAction(values)
    if (!result.ok) {
      setErrors(result.errors)
      setFocusError((n) => n + 1)
      return
    }
    try {
      onAdd(result.fields, links)
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error))
    }
  }

  const pinned = linkFrom && links.some((l) => linkKey(l) === linkKey(linkFrom)) ? linkFrom : null
  const pinnedLabel = pinned ? describeLink(doc, pinned) : null
  const otherLinks = pinned ? links.filter((l) => linkKey(l) !== linkKey(pinned)) : links
  const problems = FIELD_ORDER.flatMap((key): [ActionFieldKey, string][] => (errors[key] ? [[key, errors[key]]] : []))
  // The error summary announces the problems, so a field's own message is not announced again.
  const field = (key: ActionFieldKey, control: (props: FieldControlProps) => ReactNode, className = 'field') => (
    <FormField
      id={id(key)}
      label={ACTION_FIELD_LABELS[key]}
      error={errors[key]}
      announceError={false}
      className={className}
    >
      {control}
    </FormField>
  )

  return (
    <form ref={formRef} className="action-form" aria-label="Add an action" onSubmit={submit} noValidate>
      <ErrorSummary
        className="action-form-summary"
        heading={'The action was not added:'}
        problems={problems}
        labels={ACTION_FIELD_LABELS}
        fieldId={id}
        refusal={refusal}
      />
      {pinned && (
        <p
          className={`link-from-chip link-${pinned.kind}${pinnedLabel === null ? ' link-removed' : ''}`}
          data-testid="link-from"
        >
          <span>
            Linked to {LINK_KIND_LABELS[pinned.kind].toLowerCase()}: <strong>{pinnedLabel ?? '(removed)'}</strong>
          </span>
          <button
            type="button"
            className="link-unlink"
            aria-label={`Do not link the new action to ${LINK_KIND_LABELS[pinned.kind].toLowerCase()} ${pinnedLabel ?? ''}`}
            onClick={() => setLinks((ls) => ls.filter((l) => linkKey(l) !== linkKey(pinned)))}
          >
            ×
          </button>
        </p>
      )}
      <div className="action-form-grid">
        {field(
          'what',
          (control) => (
            <input
              {...control}
              autoFocus
              value={values.what}
              maxLength={500}
              placeholder="e.g. DH will hold a workshop with the 16 areas"
              onChange={(e) => set('what', e.target.value)}
            />
          ),
          'field span-2',
        )}
        {field('ownerOrganisation', (control) => (
          <input
            {...control}
            list={organisationListId}
            value={values.ownerOrganisation}
            maxLength={120}
            placeholder="e.g. Department of Health (DH)"
            onChange={(e) => set('ownerOrganisation', e.target.value)}
          />
        ))}
        {field('ownerPerson', (control) => (
          <input
            {...control}
            value={values.ownerPerson}
            maxLength={120}
            placeholder="Who will do it"
            onChange={(e) => set('ownerPerson', e.target.value)}
          />
        ))}
        {field('dueDate', (control) => (
          <input {...control} type="date" value={values.dueDate} onChange={(e) => set('dueDate', e.target.value)} />
        ))}
        {field('status', (control) => (
          <EnumSelect
            {...control}
            label={ACTION_FIELD_LABELS.status}
            value={values.status}
            options={ACTION_STATUSES}
            labels={ACTION_STATUS_LABELS}
            onChange={(status) => set('status', status)}
          />
        ))}
      </div>
      <div className="field action-form-links" role="group" aria-label="What the action follows up">
        <span className="field-label">Follows up</span>
        <LinkPicker
          kinds={LINK_KINDS}
          links={otherLinks}
          itemLabel="the new action"
          onChange={(link, linked) => setLinks((ls) => withLink(ls, link, linked))}
        />
      </div>
      <div className="action-form-buttons">
        <button type="submit" className="button primary">
          Add action
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
