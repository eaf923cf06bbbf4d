/**
 * A comment thread per protocol clause, so partners can discuss wording beside the text they
 * negotiate. Comments live in the clause's Y.Map under `comments`, a Y.Map keyed by comment id
 * whose values are plain JSON: two people commenting at once write different keys and both
 * comments survive; resolving or reopening replaces one comment's value and touches no other.
 *
 * Commenting is open in every clause status: discussion goes on after a clause is agreed. Comments
 * are discussion, not negotiated changes, so they are not recorded in the ledger. Peers are not
 * trusted: comments are parsed on read and anything malformed is left out.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { newId } from './ids.ts'
import { actorSchema, type Actor } from './ledger.ts'
import { getProtocolMap } from './schema.ts'

/** The clause map's key that holds its comment thread. */
export const COMMENTS_KEY = 'comments'
export const COMMENT_MAX = 2000

const resolutionSchema = z.object({ by: actorSchema, at: z.number().finite() })

export const clauseCommentSchema = z.object({
  id: z.string().min(1).max(64),
  text: z
    .string()
    .max(COMMENT_MAX)
    .refine((text) => text.trim().length > 0),
  by: actorSchema,
  at: z.number().finite(),
  /** Who marked the comment as dealt with, and when; null while it is open. */
  resolved: resolutionSchema.nullable(),
})
export type ClauseComment = z.infer<typeof clauseCommentSchema>

/** An empty thread, created with every clause so that first comments from two people both land in it. */
export function newCommentThread(): Y.Map<unknown> {
  return new Y.Map<unknown>()
}

function clauseMapOf(doc: Y.Doc, clauseId: string): Y.Map<unknown> | null {
  const map = getProtocolMap(doc).get(clauseId)
  return map instanceof Y.Map ? map : null
}

function threadOf(clause: Y.Map<unknown>): Y.Map<unknown> | null {
  const thread = clause.get(COMMENTS_KEY)
  return thread instanceof Y.Map ? thread : null
}

function existingClause(doc: Y.Doc, clauseId: string): Y.Map<unknown> {
  const clause = clauseMapOf(doc, clauseId)
  if (!clause) throw new Error('This clause no longer exists: someone may have removed it.')
  return clause
}

function existingComment(
  doc: Y.Doc,
  clauseId: string,
  commentId: string,
): { thread: Y.Map<unknown>; comment: ClauseComment } {
  const thread = threadOf(existingClause(doc, clauseId))
  const parsed = clauseCommentSchema.safeParse(thread?.get(commentId))
  if (!thread || !parsed.success || parsed.data.id !== commentId) throw new Error('This comment no longer exists.')
  return { thread, comment: parsed.data }
}

/** A clause's comments, oldest first (ties by id, so every device shows the same order). */
export function readComments(doc: Y.Doc, clauseId: string): ClauseComment[] {
  const clause = clauseMapOf(doc, clauseId)
  const thread = clause ? threadOf(clause) : null
  const comments: ClauseComment[] = []
  thread?.forEach((value, key) => {
    const parsed = clauseCommentSchema.safeParse(value)
    // A value filed under another comment's id would let one peer shadow someone else's comment.
    if (parsed.success && parsed.data.id === key) comments.push(parsed.data)
  })
  return comments.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function openCommentCount(comments: readonly ClauseComment[]): number {
  return comments.filter((comment) => comment.resolved === null).length
}

/** Adds a comment to a clause in any status. Returns its id. */
export function addComment(doc: Y.Doc, clauseId: string, text: string, actor: Actor, now: number): string {
  const clean = text.trim()
  if (!clean) throw new Error('Write a comment first.')
  if (clean.length > COMMENT_MAX)
    throw new Error(`A comment must be at most ${COMMENT_MAX} characters (this one has ${clean.length}).`)
  if (!actorSchema.safeParse(actor).success)
    throw new Error('Your name or organisation is too long to sign a comment with.')
  const clause = existingClause(doc, clauseId)
  const id = newId(8)
  const comment: ClauseComment = { id, text: clean, by: actor, at: now, resolved: null }
  doc.transact(() => {
    let thread = threadOf(clause)
    if (!thread) {
      // Clauses written before comments existed have no thread: the first comment creates it.
      // Two first comments at the same moment on such a clause would race for the key and one
      // would be lost; clauses created since carry a thread from the start.
      thread = newCommentThread()
      clause.set(COMMENTS_KEY, thread)
    }
    thread.set(id, comment)
  })
  return id
}

/** Marks a comment as dealt with; resolving a resolved comment changes nothing. */
export function resolveComment(doc: Y.Doc, clauseId: string, commentId: string, actor: Actor, now: number): void {
  const { thread, comment } = existingComment(doc, clauseId, commentId)
  if (comment.resolved) return
  thread.set(commentId, { ...comment, resolved: { by: actor, at: now } } satisfies ClauseComment)
}

/** Opens a resolved comment again; reopening an open comment changes nothing. */
export function reopenComment(doc: Y.Doc, clauseId: string, commentId: string): void {
  const { thread, comment } = existingComment(doc, clauseId, commentId)
  if (!comment.resolved) return
  thread.set(commentId, { ...comment, resolved: null } satisfies ClauseComment)
}

/**
 * Calls `onChange` whenever a clause's comments change (including its thread being created), and
 * not for typing in its body. Returns the function that stops observing.
 */
export function observeComments(doc: Y.Doc, clauseId: string, onChange: () => void): () => void {
  const clause = clauseMapOf(doc, clauseId)
  if (!clause) return () => undefined
  const listener = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const touched = events.some((event) =>
      event.path.length === 0 ? event.keys.has(COMMENTS_KEY) : event.path[0] === COMMENTS_KEY,
    )
    if (touched) onChange()
  }
  clause.observeDeep(listener)
  return () => clause.unobserveDeep(listener)
}
