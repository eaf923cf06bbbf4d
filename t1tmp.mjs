import { createTLStore, defaultShapeUtils, defaultBindingUtils } from '@tldraw/tldraw'
const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
console.log(store.allRecords().map(r => r.id + ' ' + store.schema.types[r.typeName].scope))
console.log(Object.keys(store.schema.types))
const s = store.schema.serialize(); console.log(JSON.stringify(s).slice(0,300))
console.log(typeof store.schema.migratePersistedRecord)
