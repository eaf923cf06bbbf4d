/**
 * The servers under test, each a child process on a random loopback port: ours (as shipped, with
 * SQLite durability on), ours in multi-instance mode (two processes sharing PostgreSQL and Redis,
 * clients spread over both), the reference y-websocket@1.5.4 server, and Hocuspocus with its
 * defaults and no persistence (test/bench/hocuspocusServer.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
export const BENCH_SECRET = 'bench-secret-0123456789-abcdefghijklmnop'

/**
 * The cold-load scenarios fill a room from one connection as fast as it can send, which the
 * per-connection rate limits exist to stop; the reference server has no such limits, so lift them
 * to compare like with like.
 */
const BENCH_LIMITS = {
  RATE_MESSAGES_PER_SECOND: '1000000',
  RATE_MESSAGE_BURST: '10000000',
  RATE_BYTES_PER_SECOND: '1073741824',
  RATE_BYTE_BURST: '4294967296',
  // Scenarios create hundreds of rooms from one address.
  ROOMS_PER_HOUR_PER_ADDRESS: '1000000',
}

export interface Target {
  name: 'commonpot' | 'commonpot ×2 (PostgreSQL + Redis)' | 'y-websocket@1.5.4' | 'hocuspocus'
  /**
   * How clients address a room: in the URL's path (y-websocket), or by name inside every message
   * on a connection to the server's root (Hocuspocus).
   */
  addressing?: 'path' | 'message'
  /** False where the server keeps nothing, so that cold loads and persistence do not apply. */
  persists?: boolean
  /** Base URL for WebsocketProvider / raw clients: `${syncBase}/${room}`. */
  syncBase: string
  /** Several instances: clients are spread over these in turn (syncBase is the first). */
  syncBases?: string[]
  origin: string
  pid: number
  /** Every server process of a multi-instance target (CPU and memory are summed over them). */
  pids?: number[]
  /** Creates a room and returns its id and a participant token (empty for the reference). */
  createRoom(title: string): Promise<{ roomId: string; token: string }>
  stop(signal?: NodeJS.Signals): Promise<void>
  dataDir: string
}

const benchDirs = new Set<string>()

/** Removes the data directories the benchmark created. */
export function removeBenchDirs(): void {
  for (const dir of benchDirs) fs.rmSync(dir, { recursive: true, force: true })
  benchDirs.clear()
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < 20_000) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('server did not start listening in 20 s')
}

function stopper(child: ChildProcess) {
  return async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}

export async function startOurs(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonpot-bench-')),
  extraEnv: Record<string, string> = {},
): Promise<Target> {
  benchDirs.add(dataDir)
  const port = await freePort()
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles our server.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  // The production bundle, as npm start runs it (npm run bench builds it first).
  // SERVER_BUNDLE measures another build (for instance of the code before a change) side by side.
  const bundle = process.env.SERVER_BUNDLE ?? path.join(ROOT, 'dist-server', 'main.mjs')
  const child = spawn(process.execPath, [...nodeArgs, bundle], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SECRET: BENCH_SECRET,
      LOG_LEVEL: 'warn',
      ...BENCH_LIMITS,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForPort(port, child)
  const origin = `http://127.0.0.1:${port}`
  return {
    name: 'commonpot',
    syncBase: `ws://127.0.0.1:${port}/sync`,
    origin,
    pid: child.pid!,
    dataDir,
    async createRoom(title) {
      const response = await fetch(`${origin}/api/rooms`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title }),
      })
      const body = (await response.json()) as { roomId: string; tokens: { participant: string } }
      return { roomId: body.roomId, token: body.tokens.participant }
    },
    stop: stopper(child),
  }
}

/**
 * Two of our instances sharing the PostgreSQL schema at `databaseUrl` and the Redis at
 * `redisUrl`, as behind a load balancer: rooms are created on the first, clients alternate.
 */
export async function startOursMulti(databaseUrl: string, redisUrl: string): Promise<Target> {
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }
  const instances = await Promise.all([startOurs(undefined, env), startOurs(undefined, env)])
  const [first] = instances as [Target, Target]
  return {
    ...first,
    name: 'commonpot ×2 (PostgreSQL + Redis)',
    syncBases: instances.map((i) => i.syncBase),
    pids: instances.map((i) => i.pid),
    async stop(signal) {
      await Promise.all(instances.map((i) => i.stop(signal)))
    },
  }
}

/**
 * The reference server, persisting with y-leveldb (its YPERSISTENCE option) in `dataDir` so that
 * cold loads compare like with like.
 */
export async function startReference(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonpot-bench-ref-')),
): Promise<Target> {
  benchDirs.add(dataDir)
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'y-websocket-ref', 'bin', 'server.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', YPERSISTENCE: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForPort(port, child)
  let next = 0
  return {
    name: 'y-websocket@1.5.4',
    syncBase: `ws://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    dataDir,
    async createRoom(title) {
      return { roomId: `${title.replace(/\W+/g, '-')}-${next++}-${Date.now()}`, token: '' }
    },
    stop: stopper(child),
  }
}

/** Hocuspocus with its defaults and no persistence: edit-load scenarios only. */
export async function startHocuspocus(): Promise<Target> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'test', 'bench', 'hocuspocusServer.mjs'), String(port)], {
    cwd: ROOT,
    env: { ...process.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForPort(port, child)
  let next = 0
  return {
    name: 'hocuspocus',
    addressing: 'message',
    persists: false,
    syncBase: `ws://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    dataDir: '',
    async createRoom(title) {
      return { roomId: `${title.replace(/\W+/g, '-')}-${next++}-${Date.now()}`, token: '' }
    },
    stop: stopper(child),
  }
}
