/**
 * npm run bench [-- --scenarios a,b,c] [--targets ours,multi,hocuspocus,reference] [--no-append]
 *
 * Runs each scenario against our server, Hocuspocus (its defaults, no persistence: edit-load
 * scenarios only) and the reference y-websocket@1.5.4 server in the same run (and, with `multi` in --targets, against two of our instances sharing PostgreSQL and Redis,
 * clients split between them), prints a table, and appends it (with date, commit and versions)
 * to docs/benchmarks.md. The multi target needs PostgreSQL and Redis (TEST_DATABASE_URL,
 * TEST_REDIS_URL; defaults as in the tests).
 */
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type * as Y from 'yjs'
import {
  durableThroughput,
  editLoad,
  fillWithEdits,
  fillWithRecords,
  idleRooms,
  timeToSynced,
  type Figures,
} from './scenarios.ts'
import { removeBenchDirs, startHocuspocus, startOurs, startOursMulti, startReference, type Target } from './targets.ts'
import { freshSchema, TEST_REDIS_URL } from '../helpers/multiInstance.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

interface Scenario {
  name: string
  description: string
  /** Raw-protocol edit load only: the scenarios every target, Hocuspocus included, can run. */
  editLoad?: true
  run(target: Target, restart: () => Promise<Target>): Promise<Figures>
}

const fanout = (clients: number): Scenario => ({
  name: `fanout-${clients}`,
  description: `one room, ${clients} clients, 5 edits/s each, 10 s`,
  editLoad: true,
  run: (t) => editLoad(t, { rooms: 1, clientsPerRoom: clients, rate: 5, seconds: 10 }),
})

const coldLoad = (
  name: string,
  description: string,
  fill: (t: Target, room: { roomId: string; token: string }) => Promise<void>,
  count: (doc: Y.Doc) => number,
): Scenario => ({
  name,
  description,
  async run(target, restart) {
    const room = await target.createRoom(name)
    await fill(target, room)
    // Both servers restart, so the room must come from storage.
    return timeToSynced(await restart(), room, count)
  },
})

const SCENARIOS: Scenario[] = [
  fanout(20),
  fanout(50),
  fanout(100),
  fanout(200),
  {
    name: 'rooms-200x2',
    description: '200 rooms × 2 clients, 1 edit/s each, 10 s',
    editLoad: true,
    run: (t) => editLoad(t, { rooms: 200, clientsPerRoom: 2, rate: 1, seconds: 10 }),
  },
  coldLoad(
    'cold-20k-edits',
    'room with 20,000 prior edits, server restarted, new client',
    (t, r) => fillWithEdits(t, r, 20_000),
    (d) => d.getArray('canvas').length,
  ),
  coldLoad(
    'cold-10k-records',
    'room with 10,000 tldraw records, server restarted, new client',
    (t, r) => fillWithRecords(t, r, 10_000),
    (d) => d.getArray('canvas').length,
  ),
  {
    name: 'persistence',
    description: '10 rooms, a writer sending bursts of 100 edits and a witness, 5 s',
    run: (t) => durableThroughput(t, { rooms: 10, seconds: 5 }),
  },
  {
    name: 'idle-100',
    description: 'RSS added by 100 loaded idle rooms',
    run: (t) => idleRooms(t, 100),
  },
  {
    name: 'idle-1000',
    description: 'RSS added by 1,000 loaded idle rooms',
    run: (t) => idleRooms(t, 1000),
  },
]

const TARGET_KINDS = ['ours', 'multi', 'hocuspocus', 'reference'] as const
type TargetKind = (typeof TARGET_KINDS)[number]
const COLUMN: Record<TargetKind, string> = {
  ours: 'commonpot',
  multi: 'commonpot ×2 (PostgreSQL + Redis)',
  hocuspocus: 'Hocuspocus (defaults, no persistence)',
  reference: 'y-websocket@1.5.4',
}

function argValue(argv: string[], name: string): string | undefined {
  const value =
    argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ??
    (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined)
  return value && !value.startsWith('--') ? value : undefined
}

function parseArgs(argv: string[]) {
  const only = argValue(argv, 'scenarios')
  const names = only ? only.split(',') : SCENARIOS.map((s) => s.name)
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n))
  if (unknown.length)
    throw new Error(`unknown scenarios: ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`)
  const targets = (argValue(argv, 'targets') ?? 'ours,hocuspocus,reference').split(',') as TargetKind[]
  const badTargets = targets.filter((t) => !TARGET_KINDS.includes(t))
  if (badTargets.length) throw new Error(`unknown targets: ${badTargets.join(', ')}; known: ${TARGET_KINDS.join(', ')}`)
  return { names, targets, append: !argv.includes('--no-append') }
}

async function runOn(kind: TargetKind, scenario: Scenario): Promise<Figures> {
  // Hocuspocus runs here without persistence: nothing to load cold, nothing durable to measure.
  if (kind === 'hocuspocus' && !scenario.editLoad) return { 'n/a': 'keeps nothing here' }
  // The multi-instance target gets a fresh PostgreSQL schema per scenario, dropped afterwards.
  const schema = kind === 'multi' ? await freshSchema('bench') : undefined
  const start = (previous?: Target): Promise<Target> =>
    kind === 'ours'
      ? startOurs(previous?.dataDir)
      : kind === 'multi'
        ? startOursMulti(schema!.url, TEST_REDIS_URL)
        : kind === 'hocuspocus'
          ? startHocuspocus()
          : startReference(previous?.dataDir)
  let target = await start()
  const restart = async () => {
    await target.stop('SIGTERM')
    target = await start(target)
    return target
  }
  try {
    return await scenario.run(target, restart)
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  } finally {
    await target.stop('SIGTERM')
    await schema?.drop()
  }
}

function table(targets: readonly TargetKind[], rows: { scenario: Scenario; figures: Figures[] }[]): string {
  const lines = [
    `| scenario | figure | ${targets.map((t) => COLUMN[t]).join(' | ')} |`,
    `|---|---|${targets.map(() => '---|').join('')}`,
  ]
  for (const { scenario, figures } of rows) {
    const keys = [...new Set(figures.flatMap((f) => Object.keys(f)))]
    keys.forEach((key, i) => {
      lines.push(
        `| ${i === 0 ? `**${scenario.name}**<br>${scenario.description}` : ''} | ${key} | ${figures.map((f) => f[key] ?? '').join(' | ')} |`,
      )
    })
  }
  return lines.join('\n')
}

async function main() {
  const { names, targets, append } = parseArgs(process.argv.slice(2))
  const rows: { scenario: Scenario; figures: Figures[] }[] = []
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    process.stderr.write(`${scenario.name}: `)
    const figures: Figures[] = []
    for (const kind of targets) {
      process.stderr.write(`${kind}… `)
      figures.push(await runOn(kind, scenario))
    }
    process.stderr.write('done\n')
    rows.push({ scenario, figures })
  }
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim()
    } catch {
      return 'unknown'
    }
  })()
  const versions = [
    'yjs',
    'y-websocket',
    'ws',
    'better-sqlite3',
    'hono',
    ...(targets.includes('multi') ? ['pg', 'ioredis'] : []),
    ...(targets.includes('hocuspocus') ? ['@hocuspocus/server'] : []),
  ]
    .map(
      (p) => `${p} ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version}`,
    )
    .join(', ')
  const header = `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · commit ${commit}\n\nNode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${versions}. Clients: raw y-websocket protocol clients for edit load, real WebsocketProviders for cold loads, all in one process.\n`
  const report = `${header}\n${table(targets, rows)}\n`
  process.stdout.write(report)
  if (append) {
    const file = path.join(ROOT, 'docs', 'benchmarks.md')
    if (!fs.existsSync(file)) fs.writeFileSync(file, '# Benchmarks\n\nAppended by `npm run bench`. Newest last.\n')
    fs.appendFileSync(file, `\n${report}`)
  }
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(removeBenchDirs)
