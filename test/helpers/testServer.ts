/**
 * The set-up integration tests share: one real server per test file (started in `beforeAll`,
 * stopped in `afterAll`) and the y-websocket clients a test opens, destroyed before it stops.
 */
import { afterAll, beforeAll } from 'vitest'
import { startServer, type ServerProcess } from './serverProcess.ts'
import type { TestClient } from './syncClient.ts'

export interface TestServer {
  /** The running server (set once `beforeAll` has run). */
  readonly server: ServerProcess
  /** Clients to destroy when the file's tests are done. */
  readonly clients: TestClient[]
}

export function useTestServer(options?: Parameters<typeof startServer>[0]): TestServer {
  let server: ServerProcess | undefined
  const clients: TestClient[] = []
  beforeAll(async () => {
    server = await startServer(options)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server
    },
    clients,
  }
}
