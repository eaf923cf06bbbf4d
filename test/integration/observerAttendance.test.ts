/**
 * Observers are attendees: the server writes an observer's member record for them (they write
 * nothing themselves), from the presence their browser publishes, and only for the person their
 * connection proved it speaks for. The minutes' attendees come from these records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getMembersMap } from '../../shared/schema.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { connect, createRoom, sleep, testDevice, type TestClient, waitFor } from '../helpers/syncClient.ts'

let server: ServerProcess
const clients: TestClient[] = []
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

const presence = (id: string, name: string) => ({
  id,
  name,
  organisation: 'HM Treasury',
  colour: '#1d4ed8',
  role: 'observer',
})

describe('observers’ attendance', () => {
  it('records an observer as a member from their presence, and never under someone else’s id', async () => {
    const room = await createRoom(server, 'Swindon: agreeing the virtual pot')
    const witness = connect(server, room.roomId, room.tokens.facilitator)
    clients.push(witness)
    await witness.firstSync

    const olu = testDevice('observer-olu')
    const observer = connect(server, room.roomId, room.tokens.observer, { userSecret: olu.secret })
    clients.push(observer)
    await observer.firstSync
    observer.provider.awareness.setLocalStateField('user', presence(olu.userId, 'Olu Observer'))
    await waitFor(() => getMembersMap(witness.doc).has(olu.userId), 5000, 'the observer’s member record')
    expect(getMembersMap(witness.doc).get(olu.userId)).toMatchObject({
      name: 'Olu Observer',
      organisation: 'HM Treasury',
      role: 'observer',
      keyed: true,
    })

    // Olu reconnecting changes nothing: the record is written again only when it would differ.
    const firstSeen = getMembersMap(witness.doc).get(olu.userId)!
    observer.destroy()
    const again = connect(server, room.roomId, room.tokens.observer, { userSecret: olu.secret })
    clients.push(again)
    await again.firstSync
    again.provider.awareness.setLocalStateField('user', presence(olu.userId, 'Olu Observer'))
    await sleep(300)
    expect(getMembersMap(witness.doc).get(olu.userId)).toEqual(firstSeen)
    // A new name is written.
    again.provider.awareness.setLocalStateField('user', presence(olu.userId, 'Olu Okafor'))
    const later = connect(server, room.roomId, room.tokens.observer, { userSecret: olu.secret })
    clients.push(later)
    await later.firstSync
    later.provider.awareness.setLocalStateField('user', presence(olu.userId, 'Olu Okafor'))
    await waitFor(() => getMembersMap(witness.doc).get(olu.userId)?.name === 'Olu Okafor', 5000, 'the new name')

    // Another observer claiming Olu's id, or with no device key, is not recorded.
    const other = testDevice('observer-other')
    const impostor = connect(server, room.roomId, room.tokens.observer, { userSecret: other.secret })
    const keyless = connect(server, room.roomId, room.tokens.observer)
    clients.push(impostor, keyless)
    await Promise.all([impostor.firstSync, keyless.firstSync])
    impostor.provider.awareness.setLocalStateField('user', presence(olu.userId, 'Not Olu'))
    keyless.provider.awareness.setLocalStateField('user', presence('keyless-observer', 'No Key'))
    await sleep(500)
    const members = getMembersMap(witness.doc)
    expect(members.get(olu.userId)?.name).toBe('Olu Okafor')
    expect(members.has(other.userId)).toBe(false)
    expect(members.has('keyless-observer')).toBe(false)
    expect(members.size).toBe(1)
  })
})
