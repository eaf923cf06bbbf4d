/**
 * Presence is sent by the person it belongs to, once: a page running the browser client's
 * connection set-up does not send back the presence of others it receives from the server
 * (the plain y-websocket client does, yjs/yjs#732), and still sends its own.
 */
import { describe, expect, it } from 'vitest'
import { sendOwnPresenceOnly } from '../../client/sync/presenceEcho.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const testServer = useTestServer()

/** y-websocket's message type of presence (awareness) frames. */
const MESSAGE_AWARENESS = 1

/** Counts the presence frames a client sends from now on. */
function countPresenceSent(client: TestClient): { count: number } {
  const counter = { count: 0 }
  const ws = client.provider.ws!
  const send = ws.send.bind(ws)
  ws.send = (data: Parameters<WebSocket['send']>[0]) => {
    if (data instanceof Uint8Array && data[0] === MESSAGE_AWARENESS) counter.count++
    send(data)
  }
  return counter
}

describe('presence echo', () => {
  it('sends only its own presence, never back what it received', async () => {
    const { server, clients } = testServer
    const room = await createRoom(server)
    const join = () => {
      const client = connect(server, room.roomId, room.tokens.participant)
      clients.push(client)
      return client
    }
    const mover = join()
    const quiet = join()
    sendOwnPresenceOnly(quiet.provider)
    const plain = join()
    await Promise.all([mover.firstSync, quiet.firstSync, plain.firstSync])
    await waitFor(() => quiet.provider.wsconnected && plain.provider.wsconnected, 5000, 'connected')

    const quietSent = countPresenceSent(quiet)
    const plainSent = countPresenceSent(plain)
    for (let x = 1; x <= 5; x++) {
      mover.provider.awareness.setLocalStateField('cursor', { x })
      await waitFor(
        () =>
          [quiet, plain].every(
            (c) =>
              (c.provider.awareness.getStates().get(mover.doc.clientID)?.cursor as { x: number } | undefined)?.x === x,
          ),
        5000,
        `cursor ${x} arrives`,
      )
    }
    // The plain client sent each of the five moves back: the echo this prevents.
    await waitFor(() => plainSent.count >= 5, 5000, 'the plain client echoes')
    expect(quietSent.count).toBe(0)

    // Its own presence still goes out, and reaches the others.
    quiet.provider.awareness.setLocalStateField('cursor', { x: 42 })
    await waitFor(
      () =>
        (mover.provider.awareness.getStates().get(quiet.doc.clientID)?.cursor as { x: number } | undefined)?.x === 42,
      5000,
      'own presence arrives',
    )
    expect(quietSent.count).toBe(1)
  })
})
