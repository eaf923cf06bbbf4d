/**
 * What every section's diff is made of: items matched by id, fields compared as values, amounts
 * with their change, and the wording the sentences share.
 */
import { formatMoney } from '../money.ts'

export interface Change<T> {
  before: T
  after: T
}

export interface FieldChange<F extends string = string> extends Change<unknown> {
  field: F
}

/** An amount in pence before and after, and after − before. */
export interface AmountChange extends Change<number> {
  delta: number
}

/** A section whose diff lists items added, removed and changed (every section's is one). */
export interface ItemsDiff<Summary, Changed> {
  added: Summary[]
  removed: Summary[]
  changed: Changed[]
}

export const noItemChanges = (diff: ItemsDiff<unknown, unknown>): boolean =>
  diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0

interface Matched<T> {
  added: T[]
  removed: T[]
  both: [T, T][]
}

/** Items by id: added (after order), removed (before order), and pairs present in both (after order). */
export function match<T extends { id: string }>(before: readonly T[], after: readonly T[]): Matched<T> {
  const beforeById = new Map(before.map((item) => [item.id, item]))
  const afterIds = new Set(after.map((item) => item.id))
  const added: T[] = []
  const both: [T, T][] = []
  for (const item of after) {
    const old = beforeById.get(item.id)
    if (old) both.push([old, item])
    else added.push(item)
  }
  return { added, removed: before.filter((item) => !afterIds.has(item.id)), both }
}

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((value, i) => deepEqual(value, other[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  return ka.every((key) => Object.hasOwn(rb, key) && deepEqual(ra[key], rb[key]))
}

/** The fields among `fields` whose values differ, in that order. */
export function fieldChanges<F extends string>(
  fields: readonly F[],
  before: Record<F, unknown>,
  after: Record<F, unknown>,
): FieldChange<F>[] {
  const changes: FieldChange<F>[] = []
  for (const field of fields) {
    if (!deepEqual(before[field], after[field])) changes.push({ field, before: before[field], after: after[field] })
  }
  return changes
}

export const amountChange = (before: number, after: number): AmountChange => ({ before, after, delta: after - before })

const signed = (pence: number): string => (pence < 0 ? `-${formatMoney(-pence)}` : `+${formatMoney(pence)}`)
/** "£1,000.00 → £1,500.00 (+£500.00)". */
export const money = (change: AmountChange): string =>
  `${formatMoney(change.before)} → ${formatMoney(change.after)} (${signed(change.delta)})`
export const quote = (text: string): string => `“${text}”`
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** A field's value in a sentence: "(none)" when empty. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)'
  return String(value)
}
