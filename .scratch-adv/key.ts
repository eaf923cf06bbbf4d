import * as Y from 'yjs'
import { startServer } from '../test/helpers/serverProcess.ts'
import { rulesRoom, sendRaw, settle, facilitatorActor } from '../test/helpers/rulesRoom.ts'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { waitFor, sleep, type TestClient } from '../test/helpers/syncClient.ts'
import { addBarrier } from '../shared/barriers.ts'
import { getBarriersMap } from '../shared/schema.ts'

const server = await startServer()
const clients: TestClient[] = []
try {
  const room = await rulesRoom(server, clients)
  const { facilitator, participant, witness } = room
  const id = addBarrier(facilitator.doc, { title: 'ESF', description: '', rule: '', department: 'DWP', raisedBy: 'Swindon', champion: '', flexibility: '', impactPence: null, familiesAffected: null, dueDate: '' }, facilitatorActor, 1)
  await waitFor(() => getBarriersMap(witness.doc).has(id), 5000, 'b')
  const item = getBarriersMap(witness.doc).get(id)!._item!.id
  for (const key of ['constructor', '__proto__', 'toString']) {
    sendRaw(participant, craftUpdate([{ client: 0x41414141 + key.length, clock: 0, parent: [item.client, item.clock], parentSub: key, content: { any: [1] } }]))
  }
  console.log(await Promise.race([participant.closed, settle(participant, [witness], 'k').then(() => 'open')]), room.denied)
  console.log(server.logs.filter((l) => l.level === 'warn').map((l) => JSON.stringify(l)).join('\n'))
} finally {
  for (const c of clients) { try { c.destroy() } catch {} }
  await server.stop()
}
