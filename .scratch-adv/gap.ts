import * as Y from 'yjs'
import { startServer } from '../test/helpers/serverProcess.ts'
import { rulesRoom, sendRaw, settle, facilitatorActor } from '../test/helpers/rulesRoom.ts'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { waitFor, type TestClient } from '../test/helpers/syncClient.ts'
import { setTargetPot } from '../shared/pot.ts'
import { getMetaMap, openCanvas } from '../shared/schema.ts'

const server = await startServer()
const clients: TestClient[] = []
try {
  const room = await rulesRoom(server, clients)
  const { facilitator, participant, witness } = room
  const fresh = 123456789
  sendRaw(participant, craftUpdate([{ client: fresh, clock: 5, parent: 'canvas', content: { any: [{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape' } }] } }]))
  await settle(participant, [witness], 'gap')
  console.log('denied', room.denied)
  setTargetPot(facilitator.doc, 777, facilitatorActor, 1)
  try {
    await waitFor(() => getMetaMap(witness.doc).get('targetPot') === 777, 3000, 'fac write')
    console.log('facilitator write OK')
  } catch (e) { console.log('FAC WRITE LOST', String(e)) }
  openCanvas(witness.doc).set('shape:w', { id: 'shape:w', typeName: 'shape' })
  try {
    await waitFor(() => openCanvas(facilitator.doc).has('shape:w'), 3000, 'witness write')
    console.log('witness write OK')
  } catch (e) { console.log('WITNESS WRITE LOST', String(e)) }
  console.log(server.logs.filter((l) => String(l.event).startsWith("sync")).map((l) => JSON.stringify(l)).join("\n"))
} finally {
  for (const c of clients) c.destroy()
  await server.stop()
}
