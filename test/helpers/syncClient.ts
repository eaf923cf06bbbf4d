/** Real y-websocket 3.x clients in Node, pointed at a test server. */
// Each provider adds a process exit listener; tests open many.
process.setMaxListeners(200)
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { behaveAsAPage } from '../../client/sync/pageProvider.ts'
import WebSocket from 'ws'
import type { CreateRoomResponse } from '../../shared/api.ts'
import { syncSubprotocols } from '../../shared/syncCredentials.ts'
import { newUserSecret, userIdOfSecret } from '../../shared/userKey.ts'
import { digest } from 'lib0/hash/sha256'
import type { ServerProcess } from './serverProcess.ts'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves at the first "synced" with what the document held at that moment. */
  firstSync: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  destroy(): void
}

export async function createRoom(
  server: Pick<ServerProcess, 'origin'>,
  title = 'Swindon families: agreeing the virtual pot',
): Promise<CreateRoomResponse> {
  const response = await fetch(`${server.origin}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (response.status !== 201) throw new Error(`create room answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as CreateRoomResponse
}

export function connect(
  server: Pick<ServerProcess, 'wsOrigin'>,
  roomId: string,
  token: string,
  /**
   * browserReconnect: connect as the browser client does (client/sync/useRoomConnection.ts):
   * jittered reconnect delays rather than the library's fixed schedule, presence re-announced on
   * each connect, and only its own presence sent.
   */
  options: {
    onFirstSync?: (doc: Y.Doc) => void
    browserReconnect?: boolean
    /**
     * The device secret a browser sends (`user` on the sync URL, shared/userKey.ts): the connection
     * then proves the user id `userIdOfSecret(secret)`, as every tab of one browser does. Without
     * it the server binds the connection to the first user id it writes for, and no other
     * connection may write for that id while it is connected.
     */
    userSecret?: string
    /**
     * Where the token and secret go: the query (`?token=`, `?user=`, as standard clients send
     * them) or the Sec-WebSocket-Protocol header, as the app sends them (shared/syncCredentials.ts).
     */
    credentialsIn?: 'query' | 'subprotocols'
  } = {},
): TestClient {
  const doc = new Y.Doc()
  const inHeader = options.credentialsIn === 'subprotocols'
  const provider = new WebsocketProvider(`${server.wsOrigin}/sync`, roomId, doc, {
    params: inHeader ? {} : options.userSecret ? { token, user: options.userSecret } : { token },
    protocols: inHeader ? syncSubprotocols({ token, user: options.userSecret ?? null }) : [],
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  if (options.browserReconnect) {
    behaveAsAPage(provider)
  }
  const firstSync = new Promise<void>((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return
      provider.off('sync', onSync)
      options.onFirstSync?.(doc)
      resolve()
    }
    provider.on('sync', onSync)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    provider.on('closed', (event) => resolve(event)),
  )
  return {
    doc,
    provider,
    firstSync,
    closed,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now()
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A device (browser) identity for tests: a fixed secret per seed and the user id it proves. */
export function testDevice(seed: string): { secret: string; userId: string } {
  const secret = newUserSecret(() => digest(new TextEncoder().encode(`test-device:${seed}`)))
  return { secret, userId: userIdOfSecret(secret) }
}
