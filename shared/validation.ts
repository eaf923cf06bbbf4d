/**
 * Validation whose failure reads as a sentence. zod's own error message is JSON meant for
 * developers; domain functions throw this instead, and views show `error.message` as it is.
 */
import type { z } from 'zod'

/** "kindDescription" → "Kind description". */
function fieldName(path: readonly PropertyKey[]): string {
  const words = String(path.at(-1) ?? '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** An issue as a sentence: messages that start lower-case ("must be at most …") get their field's name. */
function sentence(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 && /^[a-z]/.test(issue.message)
    ? `${fieldName(issue.path)} ${issue.message}`
    : issue.message
}

export class ValidationError extends Error {
  constructor(readonly issues: readonly z.core.$ZodIssue[]) {
    super(issues.map(sentence).join('. '))
    this.name = 'ValidationError'
  }
}

/** Parses `value`, throwing a ValidationError whose message lists what is wrong, in words. */
export function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new ValidationError(parsed.error.issues)
  return parsed.data
}
