import * as Y from 'yjs'
import { startServer } from '../test/helpers/serverProcess.ts'
import { rulesRoom, sendRaw, settle, facilitatorActor } from '../test/helpers/rulesRoom.ts'
import { craftUpdate } from '../test/helpers/craftUpdate.ts'
import { connect, waitFor, sleep, type TestClient } from '../test/helpers/syncClient.ts'
import { addPotLine, readPotLines } from '../shared/pot.ts'
import { getPotMap, openCanvas } from '../shared/schema.ts'
import { setLock, readLocks } from '../shared/workshopSettings.ts'

const server = await startServer()
const clients: TestClient[] = []
try {
  const room = await rulesRoom(server, clients)
  const { facilitator, participant, witness } = room
  const line = { partner: 'Jobcentre Plus', stream: 'Work Programme', amount: 5_000_000, kind: 'cash', kindDescription: '', valuation: '', mode: 'pooled', status: 'offered', years: '2012-13', conditions: '' } as const
  const id = addPotLine(facilitator.doc, line, facilitatorActor, 1)
  setLock(facilitator.doc, 'pot', true, facilitatorActor, 2)
  await waitFor(() => readLocks(witness.doc).has('pot') && getPotMap(witness.doc).has(id), 5000, 'lock')
  const amountItem = (getPotMap(witness.doc).get(id)! as any)._map.get('amount').id
  const X = 0x51515151, Z = 0x52525252
  const record = (k: string) => ({ key: k, val: { id: k, typeName: 'shape' } })
  // 1. A valid canvas record under X, and a struct under a root named "__proto__": the rules throw.
  const closed = participant.closed
  sendRaw(participant, craftUpdate([
    { client: X, clock: 0, parent: 'canvas', content: { any: [record('shape:a')] } },
    { client: Z, clock: 0, parent: '__proto__', parentSub: 'k', content: { any: [1] } },
  ]))
  console.log('attacker closed:', await Promise.race([closed, sleep(2000).then(() => 'no')]))
  // 2. From a new connection, X:0 again, now naming the locked pot line's amount, then X:1 a valid record.
  const again = connect(server, room.roomId, room.tokens.participant); clients.push(again); await again.firstSync
  sendRaw(again, craftUpdate([
    { client: X, clock: 0, origin: [amountItem.client, amountItem.clock], content: { any: [-5] } },
    { client: X, clock: 1, parent: 'canvas', content: { any: [record('shape:b')] } },
  ]))
  await settle(again, [witness], 'after')
  const late = connect(server, room.roomId, room.tokens.observer); clients.push(late); await late.firstSync
  console.log('witness amount', getPotMap(witness.doc).get(id)!.get('amount'), 'fresh amount', getPotMap(late.doc).get(id)!.get('amount'), 'fresh canvas', openCanvas(late.doc).has('shape:b'))
  console.log(server.logs.filter((l) => String(l.event).startsWith('sync.write') || l.level === 'warn').map((l) => JSON.stringify(l)).join('\n'))
} finally {
  for (const c of clients) { try { c.destroy() } catch {} }
  await server.stop()
}
