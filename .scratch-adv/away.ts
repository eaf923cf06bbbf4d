import * as Y from 'yjs'
import { startServer } from '../test/helpers/serverProcess.ts'
import { rulesRoom, sendRaw, settle, facilitatorActor } from '../test/helpers/rulesRoom.ts'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { waitFor, sleep, type TestClient } from '../test/helpers/syncClient.ts'
import { setTargetPot } from '../shared/pot.ts'
import { getMetaMap, openCanvas, recordMember } from '../shared/schema.ts'

const server = await startServer()
const clients: TestClient[] = []
try {
  const room = await rulesRoom(server, clients)
  const { facilitator, participant, witness } = room
  recordMember(facilitator.doc, 'fiona', { name: 'Fiona', organisation: 'Swindon', role: 'facilitator' }, 1)
  setTargetPot(facilitator.doc, 1, facilitatorActor, 1)
  await waitFor(() => getMetaMap(witness.doc).get('targetPot') === 1, 3000, 't1')
  facilitator.provider.disconnect()
  await sleep(300)
  const victim = facilitator.doc.clientID
  const clock = Y.getState(facilitator.doc.store, victim)
  sendRaw(participant, craftUpdate([{ client: victim, clock, parent: 'canvas', content: { any: [{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape' } }] } }]))
  await settle(participant, [witness], 'x')
  console.log('denied', room.denied, openCanvas(witness.doc).has('shape:a'))
  facilitator.provider.connect()
  await waitFor(() => facilitator.provider.synced, 5000, 'back')
  await sleep(200)
  console.log('fac state', Y.getState(facilitator.doc.store, victim), clock)
  setTargetPot(facilitator.doc, 777, facilitatorActor, 1)
  try {
    await waitFor(() => getMetaMap(witness.doc).get('targetPot') === 777, 3000, 'fac write')
    console.log('facilitator write OK')
  } catch (e) { console.log('FAC WRITE LOST', String(e)) }
  console.log(server.logs.filter((l) => String(l.event).startsWith("sync.write")).map((l) => JSON.stringify(l)).join("\n"))
} finally {
  for (const c of clients) c.destroy()
  await server.stop()
}
