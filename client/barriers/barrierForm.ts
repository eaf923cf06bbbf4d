/**
 * The raise and edit forms work on text as people type it; this turns that text into barrier
 * fields with the schema's own messages, so a bad value is refused with the reason and nothing
 * typed is lost.
 */
import {
  barrierFieldsSchema,
  DEFAULT_BARRIER,
  type Barrier,
  type BarrierField,
  type BarrierFields,
  type Department,
} from '../../shared/barriers.ts'
import { formatMoney, parseMoney } from '../../shared/money.ts'

export interface BarrierFormValues {
  title: string
  description: string
  rule: string
  department: Department
  raisedBy: string
  champion: string
  flexibility: string
  /** The impact as typed ('' for none). */
  impact: string
  /** The number of families as typed ('' for none). */
  families: string
  /** `YYYY-MM-DD` or ''. */
  dueDate: string
}
export type BarrierFormKey = keyof BarrierFormValues

export const FORM_LABELS: Record<BarrierFormKey, string> = {
  title: 'Title',
  description: 'Description',
  rule: 'Rule or system behind it',
  department: 'Owning department',
  raisedBy: 'Raised by',
  champion: 'Whitehall champion',
  flexibility: 'Flexibility sought',
  impact: 'Impact (£)',
  families: 'Families affected',
  dueDate: 'Due date',
}

/** Which form value each barrier field is typed in. */
const FORM_KEY: Record<BarrierField, BarrierFormKey> = {
  title: 'title',
  description: 'description',
  rule: 'rule',
  department: 'department',
  raisedBy: 'raisedBy',
  champion: 'champion',
  flexibility: 'flexibility',
  impactPence: 'impact',
  familiesAffected: 'families',
  dueDate: 'dueDate',
}

export function emptyFormValues(raisedBy: string): BarrierFormValues {
  return {
    title: '',
    description: DEFAULT_BARRIER.description,
    rule: DEFAULT_BARRIER.rule,
    department: DEFAULT_BARRIER.department,
    raisedBy,
    champion: DEFAULT_BARRIER.champion,
    flexibility: DEFAULT_BARRIER.flexibility,
    impact: '',
    families: '',
    dueDate: DEFAULT_BARRIER.dueDate,
  }
}

export function barrierFormValues(barrier: Barrier): BarrierFormValues {
  return {
    title: barrier.title,
    description: barrier.description,
    rule: barrier.rule,
    department: barrier.department,
    raisedBy: barrier.raisedBy,
    champion: barrier.champion,
    flexibility: barrier.flexibility,
    impact: barrier.impactPence === null ? '' : formatMoney(barrier.impactPence),
    families: barrier.familiesAffected === null ? '' : String(barrier.familiesAffected),
    dueDate: barrier.dueDate,
  }
}

export type FormErrors = Partial<Record<BarrierFormKey, string>>
export type FormResult = { ok: true; fields: BarrierFields } | { ok: false; errors: FormErrors }

/** Reads a count as typed: '1,200' and ' 450 ' are fine; anything that is not a number is refused. */
function parseCount(text: string): { ok: true; value: number | null } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/[,\s]/g, '')
  if (trimmed === '') return { ok: true, value: null }
  if (!/^-?\d+(\.\d+)?$/.test(trimmed))
    return { ok: false, error: 'Enter the number of families as a whole number, for example 450' }
  return { ok: true, value: Number(trimmed) }
}

/** The schema's messages for a few limits start "must be …": say which field. */
function sentence(key: BarrierFormKey, message: string): string {
  return /^must /.test(message) ? `${FORM_LABELS[key]} ${message}` : message
}

/** Validates everything typed; the fields ready for `addBarrier`/`updateBarrier`, or a message per field. */
export function validateBarrierForm(values: BarrierFormValues): FormResult {
  const errors: FormErrors = {}
  let impactPence: number | null = null
  if (values.impact.trim() !== '') {
    const money = parseMoney(values.impact)
    if (money.ok) impactPence = money.pence
    else errors.impact = money.error
  }
  const families = parseCount(values.families)
  if (!families.ok) errors.families = families.error
  const parsed = barrierFieldsSchema.safeParse({
    title: values.title,
    description: values.description,
    rule: values.rule,
    department: values.department,
    raisedBy: values.raisedBy,
    champion: values.champion,
    flexibility: values.flexibility,
    impactPence,
    familiesAffected: families.ok ? families.value : null,
    dueDate: values.dueDate,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as BarrierField | undefined
      const key = field ? FORM_KEY[field] : undefined
      if (key && !errors[key]) errors[key] = sentence(key, issue.message)
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors }
  return { ok: true, fields: parsed.data }
}

/** The fields a person changed, as a patch: only these are written, so others' edits survive. */
export function patchOf(fields: BarrierFields, touched: ReadonlySet<BarrierFormKey>): Partial<BarrierFields> {
  const patch: Partial<BarrierFields> = {}
  for (const [field, key] of Object.entries(FORM_KEY) as [BarrierField, BarrierFormKey][]) {
    if (touched.has(key)) (patch as Record<string, unknown>)[field] = fields[field]
  }
  return patch
}
