/**
 * A TCP load balancer on a loopback port, like the one in front of several instances in
 * production (no sticky sessions): each new connection goes to a backend, and when that backend
 * is down the next one is tried. 'first' sends everyone to the first live backend (so a test
 * knows where clients are until it kills that one); 'round-robin' spreads them.
 */
import net from 'node:net'

export interface LoadBalancer {
  port: number
  origin: string
  wsOrigin: string
  /** Connections made through the balancer, by backend port. */
  connectionsTo: Map<number, number>
  close(): Promise<void>
}

export async function startLoadBalancer(
  backendPorts: readonly number[],
  policy: 'first' | 'round-robin' = 'first',
): Promise<LoadBalancer> {
  const sockets = new Set<net.Socket>()
  const connectionsTo = new Map<number, number>()
  let next = 0
  const order = (): number[] => {
    if (policy === 'first') return [...backendPorts]
    const start = next++ % backendPorts.length
    return [...backendPorts.slice(start), ...backendPorts.slice(0, start)]
  }

  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    client.pause()
    const candidates = order()
    const tryNext = (): void => {
      const port = candidates.shift()
      if (port === undefined) {
        client.destroy()
        return
      }
      const upstream = net.connect({ host: '127.0.0.1', port })
      sockets.add(upstream)
      // Before 'connect', an error means that backend is down: try the next.
      upstream.once('error', () => {
        sockets.delete(upstream)
        tryNext()
      })
      upstream.once('connect', () => {
        connectionsTo.set(port, (connectionsTo.get(port) ?? 0) + 1)
        upstream.removeAllListeners('error')
        upstream.on('error', () => client.destroy())
        upstream.on('close', () => {
          sockets.delete(upstream)
          client.destroy()
        })
        client.on('close', () => upstream.destroy())
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    tryNext()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    connectionsTo,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
