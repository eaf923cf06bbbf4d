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
  setTargetPot(facilitator.doc, 1, facilitatorActor, 1)
  await waitFor(() => getMetaMap(witness.doc).get('targetPot') === 1, 3000, 't1')
  const victim = facilitator.doc.clientID
  const clock = Y.getState(witness.doc.store, victim)
  facilitator.provider.disconnect()
  await sleep(300)
  setTargetPot(facilitator.doc, 777, facilitatorActor, 2) // made offline, at `clock`
  sendRaw(participant, craftUpdate([{ client: victim, clock, parent: 'canvas', content: { any: [{ key: 'shape:a', val: { id: 'shape:a', typeName: 'shape' } }] } }]))
  await settle(participant, [witness], 'x')
  console.log('denied', room.denied, 'record at witness', openCanvas(witness.doc).has('shape:a'))
  facilitator.provider.connect()
  await waitFor(() => facilitator.provider.synced, 5000, 'back')
  await sleep(500)
  console.log('offline edit: facilitator sees', getMetaMap(facilitator.doc).get('targetPot'), 'witness sees', getMetaMap(witness.doc).get('targetPot'))
  setTargetPot(facilitator.doc, 888, facilitatorActor, 3)
  await sleep(500)
  console.log('later edit: facilitator sees', getMetaMap(facilitator.doc).get('targetPot'), 'witness sees', getMetaMap(witness.doc).get('targetPot'), 'fac denied?', server.logs.filter((l) => l.event === 'sync.write_denied').map((l) => l.reason))
} finally {
  for (const c of clients) { try { c.destroy() } catch {} }
  await server.stop()
}
