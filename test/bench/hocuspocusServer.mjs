// Hocuspocus as the benchmark's second reference: its defaults, no extensions, no persistence,
// on the loopback port given as the first argument. A child process, like our server and the
// y-websocket reference, so that its CPU and memory are its own.
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2])
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true })
await server.listen()
