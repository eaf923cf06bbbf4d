/**
 * Wires configuration, storage, the bus, rooms and the HTTP app into a listening server, and shuts
 * it down in order: stop accepting, flush storage, close sockets with 1001, close the bus, then
 * the store.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import { selectSubprotocol } from '../shared/syncCredentials.ts'
import { createApp } from './app.ts'
import { Access } from './auth/access.ts'
import { RoomKeys } from './auth/roomKeys.ts'
import { loadSecret } from './auth/secret.ts'
import { loadSigningKey } from './auth/signingKey.ts'
import { TOKEN_FAILURE_MESSAGES, TokenSigner } from './auth/tokens.ts'
import type { Bus } from './bus/bus.ts'
import { openBus } from './bus/open.ts'
import type { Config } from './config.ts'
import { isLoopback } from './http/clientAddress.ts'
import { log } from './log.ts'
import { RoomRegistry } from './rooms/registry.ts'
import { openStore } from './storage/open.ts'
import type { Store } from './storage/store.ts'

export interface RunningServer {
  port: number
  close(): Promise<void>
}

/** `parts.store` replaces the store the configuration chooses (tests: one whose fsync they hold). */
export async function startServer(config: Config, parts: { store?: Store } = {}): Promise<RunningServer> {
  const store = parts.store ?? (await openStore(config))
  let bus: Bus
  try {
    bus = await openBus(config)
  } catch (error) {
    await store.close()
    throw error
  }
  const receiptSigner = loadSigningKey(config.signingKey, config.dataDir)
  const registry = new RoomRegistry(
    store,
    {
      graceMs: config.roomGraceMs,
      compactRows: config.compactRows,
      compactBytes: config.compactBytes,
      snapshotIntervalMs: config.snapshotIntervalMs,
      snapshotLimits: { quotaBytes: config.snapshotQuotaBytes, maxDocumentBytes: config.maxDocumentBytes },
      maxLoadedRooms: config.maxLoadedRooms,
      refusals: config.refusals,
      receiptSigner,
    },
    bus,
  )
  const signer = new TokenSigner(loadSecret(config.secret, config.dataDir), config.tokenTtlSeconds)
  const roomKeys = new RoomKeys(store, undefined, bus)
  const access = new Access(signer, roomKeys)
  // A link revoked on another instance stops working here too, at once.
  bus.onKeyRotation((rotation) => {
    roomKeys.applyRemoteRotation(rotation)
    const { roomId, role, kid, organisation } = rotation
    const disconnected =
      organisation === undefined
        ? registry.closeRevoked(roomId, role, kid, TOKEN_FAILURE_MESSAGES.revoked)
        : registry.closeRevokedOrganisation(roomId, role, organisation, kid, TOKEN_FAILURE_MESSAGES.revoked)
    if (disconnected > 0)
      log('info', 'invites.revoked_remote', { room: roomId, role, bound: organisation !== undefined, disconnected })
  })
  bus.onReconnect(() => {
    roomKeys.forgetAll()
    void registry.catchUpFromStore()
  })
  const app = createApp({ config, store, registry, signer, access, receiptSigner })
  // Our own ws server, so the frame-size limit is ours: ws closes oversized frames with 1009.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    // The app offers its credentials as subprotocols; the answer names `commonpot`, never one of
    // them (ws would echo the first offered by default), and a browser needs one it offered.
    handleProtocols: (offered) => selectSubprotocol(offered),
  })

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        websocket: { server: wss },
        // A client that trickles its request headers (slowloris) is cut off like a silent socket.
        serverOptions: {
          headersTimeout: config.handshakeTimeoutMs,
          requestTimeout: Math.max(config.handshakeTimeoutMs, 30_000),
          // Node checks these timeouts on this interval (30 s by default), too coarse for the limit.
          connectionsCheckingInterval: Math.min(config.handshakeTimeoutMs, 1000),
        },
      },
      () => resolve(s),
    )
    s.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  log('info', 'server.listening', {
    host: config.host,
    port,
    dataDir: config.dataDir,
    roomCreation: config.roomCreation,
  })
  // Served on a network without METRICS_TOKEN, /metrics answers this machine only: say why a
  // scraper elsewhere is refused, once, rather than leave it to a 403 in its own logs.
  if (config.metricsToken === undefined && !(isLoopback(config.host) || config.host === 'localhost'))
    log('warn', 'metrics.local_only', { host: config.host })

  let closing: Promise<void> | undefined
  return {
    port,
    close() {
      closing ??= (async () => {
        log('info', 'server.stopping', {})
        server.close()
        await registry.closeAll(1001, 'server shutting down')
        for (const client of wss.clients) client.terminate()
        await bus.close()
        await store.close()
        if ('closeAllConnections' in server) server.closeAllConnections()
        log('info', 'server.stopped', {})
      })()
      return closing
    },
  }
}
