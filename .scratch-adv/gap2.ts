import * as Y from 'yjs'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { tombstoneUpdate } from '../server/sync/tombstone.ts'
const doc = new Y.Doc()
doc.getMap('meta').set('a', 1)
const u = craftUpdate([{ client: 123456789, clock: 5, parent: 'canvas', content: { any: [1] } }])
const t = tombstoneUpdate(u)!
console.log(Y.decodeUpdate(t))
Y.applyUpdate(doc, t)
console.log('pending', doc.store.pendingStructs, Y.decodeStateVector(Y.encodeStateVector(doc)))
const d2 = new Y.Doc(); Y.applyUpdate(d2, Y.encodeStateAsUpdate(doc)); console.log('rebuilt pending', d2.store.pendingStructs)
