/**
 * The dot votes in the JSON export, oldest first; an open vote's results are empty until it ends.
 * Their results are in the minutes under the barriers they ranked.
 */
import type * as Y from 'yjs'
import { readVotes, type Vote } from '../../votes.ts'
import type { SectionExport } from '../types.ts'

export type ExportedVote = Pick<
  Vote,
  'id' | 'title' | 'status' | 'dotsPerPerson' | 'visibility' | 'startedAt' | 'endedAt' | 'results' | 'voters'
>

const read = (doc: Y.Doc): ExportedVote[] =>
  readVotes(doc).map(({ id, title, status, dotsPerPerson, visibility, startedAt, endedAt, results, voters }) => ({
    id,
    title,
    status,
    dotsPerPerson,
    visibility,
    startedAt,
    endedAt,
    results,
    voters,
  }))

export const votesExport: SectionExport<ExportedVote[]> = { read, markdown: null, tables: [] }
