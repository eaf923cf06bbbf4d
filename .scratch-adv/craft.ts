import * as Y from 'yjs'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
const u = craftUpdate([
  { client: 7, clock: 0, parent: 'm', parentSub: 'a', content: { format: { key: 'bold', value: true } } },
  { client: 7, clock: 1, parent: 'm', parentSub: 'b', content: { embed: { x: 1 } } },
  { client: 7, clock: 2, parent: 'm', parentSub: 'c', content: { binary: new Uint8Array([1, 2]) } },
  { client: 7, clock: 3, parent: 'm', parentSub: 'd', content: { doc: { guid: 'g', opts: { autoLoad: true } } } },
  { client: 7, clock: 4, parent: 'l', content: { json: [1, 'x', undefined] } },
  { client: 7, clock: 7, parent: 'm', parentSub: 'e', content: { type: 'xmlHook', nodeName: 'h' } },
  { client: 7, clock: 8, content: { gc: 2 } },
  { client: 7, clock: 10, content: { skip: 2 } },
  { client: 7, clock: 12, parent: 'l', content: { string: 'ab' } },
])
const d = Y.decodeUpdate(u)
console.log(d.structs.map((s) => [s.constructor.name, s.id.clock, s.length, (s as any).content?.constructor.name]))
const doc = new Y.Doc(); Y.applyUpdate(doc, u); console.log(doc.getMap('m').toJSON(), doc.getArray('l').toJSON(), doc.store.pendingStructs)
