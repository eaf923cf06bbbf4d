/**
 * The action and decision forms work on text as people type it; these turn it into fields with
 * the schema's own messages, so a bad value is refused with the reason and nothing typed is lost.
 */
import {
  actionFieldsSchema,
  decisionFieldsSchema,
  type ActionFields,
  type DecisionFields,
} from '../../shared/actions.ts'

export type ActionFieldKey = keyof ActionFields

export const ACTION_FIELD_LABELS: Record<ActionFieldKey, string> = {
  what: 'What is to be done',
  ownerOrganisation: 'Owning organisation',
  ownerPerson: 'Owner (person)',
  dueDate: 'Due date',
  status: 'Status',
}

export const DECISION_LABEL = 'What was decided'

export type ActionErrors = Partial<Record<ActionFieldKey, string>>

/** The schema's messages for limits start "must be …": say which field. */
export function sentence(label: string, message: string): string {
  return /^must /.test(message) ? `${label} ${message}` : message
}

/** Validates a whole action; the fields ready for `addAction`, or a message per field. */
export function validateAction(
  values: ActionFields,
): { ok: true; fields: ActionFields } | { ok: false; errors: ActionErrors } {
  const parsed = actionFieldsSchema.safeParse(values)
  if (parsed.success) return { ok: true, fields: parsed.data }
  const errors: ActionErrors = {}
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as ActionFieldKey | undefined
    if (key && key in ACTION_FIELD_LABELS && !errors[key])
      errors[key] = sentence(ACTION_FIELD_LABELS[key], issue.message)
  }
  return { ok: false, errors }
}

/** Checks one field of an action as edited in place; the message, or null when it is fine. */
export function checkActionField<K extends ActionFieldKey>(key: K, value: ActionFields[K]): string | null {
  const parsed = actionFieldsSchema.shape[key].safeParse(value)
  return parsed.success
    ? null
    : sentence(ACTION_FIELD_LABELS[key], parsed.error.issues[0]?.message ?? 'This value is not allowed')
}

/** Checks what a decision says; the message, or null when it is fine. */
export function checkDecision(values: DecisionFields): string | null {
  const parsed = decisionFieldsSchema.safeParse(values)
  return parsed.success
    ? null
    : sentence(DECISION_LABEL, parsed.error.issues[0]?.message ?? 'This value is not allowed')
}

/** An item's description shortened for labels ("Status of DH will hold a workshop…"). */
export function shortLabel(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}
