import * as Y from 'yjs'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { Candidate } from '../server/sync/candidate.ts'
import { tombstoneUpdate } from '../server/sync/tombstone.ts'
const live = new Y.Doc()
live.getMap('meta').set('a', 1)
const c = new Candidate(live)
const u = craftUpdate([{ client: 123456789, clock: 5, parent: 'canvas', content: { any: [1] } }])
console.log(c.try(u).pending)
c.invalidate()
Y.applyUpdate(live, tombstoneUpdate(u)!)
const other = new Y.Doc(); Y.applyUpdate(other, Y.encodeStateAsUpdate(live)); other.getMap('meta').set('b', 2)
const t = c.try(Y.encodeStateAsUpdate(other, Y.encodeStateVector(live)))
console.log(t.pending, t.changes, c.after.store.pendingStructs)
