/**
 * Starts the real server (the production bundle that test/globalSetup.ts builds) as a child
 * process on a random loopback port (or a given one, to restart it where clients expect it) with
 * its own temp DATA_DIR, exactly as `npm start` runs it, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

export interface ServerProcess {
  port: number
  origin: string
  wsOrigin: string
  dataDir: string
  child: ChildProcess
  /** Every JSON log line the server printed so far. */
  logs: Record<string, unknown>[]
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** A fresh directory under the run's temporary root (see test/globalSetup.ts). */
export function tempDir(prefix = 'data-'): string {
  const root = process.env.COMMONPOT_TEST_TMP ?? os.tmpdir()
  return fs.mkdtempSync(path.join(root, prefix))
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789'

/**
 * A loopback port that was free a moment ago, for a server that must come back on the same port
 * after a restart (so that clients reconnect to it by themselves).
 */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', resolve)
  })
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

export async function startServer(
  options: { dataDir?: string; env?: Record<string, string>; port?: number } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDir()
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, 'dist-server', 'main.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      ROOM_GRACE_MS: '200',
      // Test files create hundreds of workshops from 127.0.0.1; the limit's own test sets it low.
      ROOMS_PER_HOUR_PER_ADDRESS: '1000000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let stderr = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s\n${stderr}`)), 20_000)
    const lineReader = () => {
      let buffered = ''
      return (chunk: Buffer) => {
        buffered += chunk.toString()
        let newline: number
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline)
          buffered = buffered.slice(newline + 1)
          if (!line.startsWith('{')) continue
          try {
            const entry = JSON.parse(line) as Record<string, unknown>
            logs.push(entry)
            if (entry.event === 'server.listening') {
              clearTimeout(timer)
              resolve(entry.port as number)
            }
          } catch {
            // not a log line
          }
        }
      }
    }
    child.stdout!.on('data', lineReader())
    const readErr = lineReader()
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      readErr(chunk)
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening\n${stderr}`))
    })
  })
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    dataDir,
    child,
    logs,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timeout)
      return code
    },
  }
}
