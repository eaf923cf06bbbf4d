/**
 * The outcome form works on text as people type it; this turns it into fields with the schema's
 * own messages, so a bad value is refused with the reason at its field and nothing typed is lost.
 */
import {
  DEFAULT_OUTCOME,
  type Outcome,
  type OutcomeField,
  type OutcomeFields,
  outcomeFieldsSchema,
} from '../../shared/sections/outcomes/model.ts'

/** Labels in the form: fuller than the table's column headings, which sit above a value. */
export const FORM_LABELS: Record<OutcomeField, string> = {
  outcome: 'Outcome for families',
  measure: 'How success is measured',
  baseline: 'Baseline',
  target: 'Target',
  ownerOrganisation: 'Owning organisation',
  status: 'Status',
}

export type OutcomeErrors = Partial<Record<OutcomeField, string>>

/** The schema's messages for limits start "must be …": say which field. */
const sentence = (field: OutcomeField, message: string): string =>
  /^must /.test(message) ? `${FORM_LABELS[field]} ${message}` : message

export function emptyOutcome(ownerOrganisation: string): OutcomeFields {
  return { ...DEFAULT_OUTCOME, outcome: '', ownerOrganisation }
}

export function outcomeFields(outcome: Outcome): OutcomeFields {
  const { outcome: text, measure, baseline, target, ownerOrganisation, status } = outcome
  return { outcome: text, measure, baseline, target, ownerOrganisation, status }
}

/** Validates everything typed; the fields ready for `addOutcome`/`updateOutcome`, or a message per field. */
export function validateOutcome(
  values: OutcomeFields,
): { ok: true; fields: OutcomeFields } | { ok: false; errors: OutcomeErrors } {
  const parsed = outcomeFieldsSchema.safeParse(values)
  if (parsed.success) return { ok: true, fields: parsed.data }
  const errors: OutcomeErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0]
    if (typeof field === 'string' && Object.hasOwn(FORM_LABELS, field) && !errors[field as OutcomeField])
      errors[field as OutcomeField] = sentence(field as OutcomeField, issue.message)
  }
  return { ok: false, errors }
}

/** The fields a person changed, as a patch: only these are written, so others' edits survive. */
export function patchOf(fields: OutcomeFields, touched: ReadonlySet<OutcomeField>): Partial<OutcomeFields> {
  const patch: Partial<OutcomeFields> = {}
  for (const field of touched) (patch as Record<OutcomeField, unknown>)[field] = fields[field]
  return patch
}

/** An outcome shortened for labels ("Status of Fewer school exclusions"). */
export function shortLabel(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}
