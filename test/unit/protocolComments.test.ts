import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addClause, proposeClause, readClauses, reopenClause, statePosition } from '../../shared/protocol.ts'
import {
  addComment,
  COMMENT_MAX,
  COMMENTS_KEY,
  observeComments,
  openCommentCount,
  readComments,
  reopenComment,
  resolveComment,
} from '../../shared/protocolComments.ts'
import { getProtocolMap, recordMember } from '../../shared/schema.ts'

const fiona = { userId: 'f', name: 'Fiona', organisation: 'Swindon Borough Council' }
const amira = { userId: 'd', name: 'Amira', organisation: 'DWP' }

function workshop() {
  const doc = new Y.Doc()
  recordMember(doc, 'f', { name: 'Fiona', organisation: fiona.organisation, role: 'facilitator' }, 1)
  recordMember(doc, 'd', { name: 'Amira', organisation: amira.organisation, role: 'participant' }, 1)
  const clauseId = addClause(doc, 'Purpose', ['Turn around the lives of families.'], fiona, 1)
  return { doc, clauseId }
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

const thread = (doc: Y.Doc, clauseId: string) => getProtocolMap(doc).get(clauseId)!.get(COMMENTS_KEY) as Y.Map<unknown>

describe('clause comments', () => {
  it('adds trimmed comments, oldest first, all open', () => {
    const { doc, clauseId } = workshop()
    const second = addComment(doc, clauseId, 'Does this include ESF money?', amira, 20)
    const first = addComment(doc, clauseId, '  Can we say "families with multiple problems"?\n', fiona, 10)
    const comments = readComments(doc, clauseId)
    expect(comments.map((c) => c.id)).toEqual([first, second])
    expect(comments[0]).toEqual({
      id: first,
      text: 'Can we say "families with multiple problems"?',
      by: fiona,
      at: 10,
      resolved: null,
    })
    expect(openCommentCount(comments)).toBe(2)
  })

  it('refuses empty and over-long comments with messages for people, writing nothing', () => {
    const { doc, clauseId } = workshop()
    expect(() => addComment(doc, clauseId, '   \n ', fiona, 1)).toThrow('Write a comment first.')
    expect(() => addComment(doc, clauseId, 'x'.repeat(COMMENT_MAX + 1), fiona, 1)).toThrow(
      `at most ${COMMENT_MAX} characters (this one has ${COMMENT_MAX + 1})`,
    )
    expect(() => addComment(doc, 'gone', 'Hello', fiona, 1)).toThrow('This clause no longer exists')
    // Exactly the limit is fine, and surrounding spaces do not count towards it.
    addComment(doc, clauseId, ` ${'x'.repeat(COMMENT_MAX)} `, fiona, 1)
    expect(readComments(doc, clauseId)).toHaveLength(1)
  })

  it('resolves and reopens one comment without touching the others', () => {
    const { doc, clauseId } = workshop()
    const a = addComment(doc, clauseId, 'First point', fiona, 1)
    const b = addComment(doc, clauseId, 'Second point', amira, 2)
    resolveComment(doc, clauseId, a, amira, 3)
    let comments = readComments(doc, clauseId)
    expect(comments.find((c) => c.id === a)!.resolved).toEqual({ by: amira, at: 3 })
    expect(comments.find((c) => c.id === b)!.resolved).toBeNull()
    expect(openCommentCount(comments)).toBe(1)

    // Resolving again keeps who resolved it first.
    resolveComment(doc, clauseId, a, fiona, 4)
    expect(readComments(doc, clauseId).find((c) => c.id === a)!.resolved).toEqual({ by: amira, at: 3 })

    reopenComment(doc, clauseId, a)
    comments = readComments(doc, clauseId)
    expect(comments.find((c) => c.id === a)).toMatchObject({ text: 'First point', by: fiona, resolved: null })
    expect(openCommentCount(comments)).toBe(2)
    expect(() => resolveComment(doc, clauseId, 'nope', fiona, 5)).toThrow('This comment no longer exists.')
    expect(() => reopenComment(doc, 'gone', a)).toThrow('This clause no longer exists')
  })

  it('takes comments in every clause status, and keeps them when the clause is reopened', () => {
    const { doc, clauseId } = workshop()
    addComment(doc, clauseId, 'On the draft', amira, 1)
    proposeClause(doc, clauseId, fiona, 2)
    addComment(doc, clauseId, 'While proposed', amira, 3)
    statePosition(doc, clauseId, fiona.organisation, 'agree', '', fiona, 4, 'link')
    statePosition(doc, clauseId, amira.organisation, 'agree', '', amira, 5, 'link')
    expect(readClauses(doc)[0]!.status).toBe('agreed')
    addComment(doc, clauseId, 'After agreement: remember to brief ministers', amira, 6)
    reopenClause(doc, clauseId, fiona, 7)
    expect(readComments(doc, clauseId).map((c) => c.text)).toEqual([
      'On the draft',
      'While proposed',
      'After agreement: remember to brief ministers',
    ])
  })

  it('leaves out malformed comments from peers', () => {
    const { doc, clauseId } = workshop()
    const good = addComment(doc, clauseId, 'Fine', fiona, 1)
    const map = thread(doc, clauseId)
    map.set('no-text', { id: 'no-text', by: fiona, at: 1, resolved: null })
    map.set('blank', { id: 'blank', text: '   ', by: fiona, at: 1, resolved: null })
    map.set('long', { id: 'long', text: 'x'.repeat(COMMENT_MAX + 1), by: fiona, at: 1, resolved: null })
    map.set('bad-actor', { id: 'bad-actor', text: 'Hi', by: { name: 'No id' }, at: 1, resolved: null })
    map.set('bad-time', { id: 'bad-time', text: 'Hi', by: fiona, at: 'yesterday', resolved: null })
    map.set('bad-resolution', { id: 'bad-resolution', text: 'Hi', by: fiona, at: 1, resolved: { at: 2 } })
    map.set('a-number', 42)
    map.set('a-type', new Y.Map())
    // Filed under one id but claiming another: would shadow a real comment.
    map.set('shadow', { id: good, text: 'Forged', by: amira, at: 0, resolved: null })
    expect(readComments(doc, clauseId).map((c) => c.id)).toEqual([good])
    expect(() => resolveComment(doc, clauseId, 'blank', amira, 2)).toThrow('This comment no longer exists.')
    expect(() => resolveComment(doc, clauseId, 'shadow', amira, 2)).toThrow('This comment no longer exists.')
  })

  it('reads an empty thread when the clause or its thread is missing or of the wrong type', () => {
    const { doc, clauseId } = workshop()
    expect(readComments(doc, 'gone')).toEqual([])
    getProtocolMap(doc).get(clauseId)!.set(COMMENTS_KEY, 'not a map')
    expect(readComments(doc, clauseId)).toEqual([])
  })

  it('creates the thread for a clause written before comments existed', () => {
    const { doc, clauseId } = workshop()
    getProtocolMap(doc).get(clauseId)!.delete(COMMENTS_KEY)
    addComment(doc, clauseId, 'First on an old clause', fiona, 1)
    expect(readComments(doc, clauseId).map((c) => c.text)).toEqual(['First on an old clause'])
  })

  it('keeps both comments when two people comment at the same moment, and converges', () => {
    const { doc: a, clauseId } = workshop()
    const b = new Y.Doc()
    sync(a, b)
    addComment(a, clauseId, 'From Swindon', fiona, 5)
    addComment(b, clauseId, 'From DWP', amira, 5)
    sync(a, b)
    const seenA = readComments(a, clauseId)
    expect(seenA.map((c) => c.text).sort()).toEqual(['From DWP', 'From Swindon'])
    expect(readComments(b, clauseId)).toEqual(seenA)
  })

  it('keeps a resolve on one comment and a reopen on another made at the same moment', () => {
    const { doc: a, clauseId } = workshop()
    const first = addComment(a, clauseId, 'One', fiona, 1)
    const second = addComment(a, clauseId, 'Two', amira, 2)
    resolveComment(a, clauseId, second, fiona, 3)
    const b = new Y.Doc()
    sync(a, b)
    resolveComment(a, clauseId, first, fiona, 4)
    reopenComment(b, clauseId, second)
    sync(a, b)
    for (const doc of [a, b]) {
      const comments = readComments(doc, clauseId)
      expect(comments.map((c) => [c.text, c.resolved?.by.name ?? null])).toEqual([
        ['One', 'Fiona'],
        ['Two', null],
      ])
    }
  })

  it('tells observers about comment changes but not about typing in the body', () => {
    const { doc, clauseId } = workshop()
    let calls = 0
    const stop = observeComments(doc, clauseId, () => calls++)
    const body = getProtocolMap(doc).get(clauseId)!.get('body') as Y.XmlFragment
    ;((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Typing ')
    expect(calls).toBe(0)
    const id = addComment(doc, clauseId, 'Seen', fiona, 1)
    expect(calls).toBe(1)
    // A thread replaced wholesale (an old clause's first comment) is noticed too.
    getProtocolMap(doc).get(clauseId)!.set(COMMENTS_KEY, new Y.Map())
    expect(calls).toBe(2)
    stop()
    expect(() => resolveComment(doc, clauseId, id, fiona, 2)).toThrow()
    addComment(doc, clauseId, 'Unseen', fiona, 3)
    expect(calls).toBe(2)
  })
})
