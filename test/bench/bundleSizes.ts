/**
 * npm run bench:bundle: how much JavaScript each first screen fetches, gzip, in headless Chromium
 * against the production build (run `npm run build` first). The home page; a workshop opened on
 * its pot, with the board's chunks held back (what the tables need); the rest of the workshop once
 * the board has come; a workshop opened on its board. Also the entry chunk and tldraw's chunk as
 * built. Sizes, not times: the same build gives the same figures. Appends to docs/benchmarks.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Browser, Page, Route } from 'playwright-core'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/serverProcess.ts'
import { totalGzip, watchScripts, type ScriptFile } from '../helpers/scriptWeight.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop } from '../helpers/workshopBrowser.ts'
import { publishReport } from './report.ts'

const DIST = path.resolve(import.meta.dirname, '..', '..', 'dist')
// By content, not name: the figures of a build from before the chunk was named can be taken too.
const TLDRAW_MARK = '@tldraw/editor'
// The board's chunks: held back while the tables are weighed.
const BOARD_CHUNK = /\/assets\/(tldraw|Board|useYjsTldrawStore)-[^/]*\.js$/

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`
const gzipOf = (file: string): number => zlib.gzipSync(fs.readFileSync(path.join(DIST, file))).length

/** What a service worker fetches as it installs: every asset but tldraw's translations (offline/shellCache.ts). */
function precacheGzip(): number {
  return fs
    .readdirSync(path.join(DIST, 'assets'))
    .filter((name) => !name.endsWith('.json'))
    .reduce((sum, name) => sum + gzipOf(`assets/${name}`), 0)
}

function builtFigures(): { entry: number; tldraw: number } {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8')
  const entry = html.match(/<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/)?.[1]
  if (!entry) throw new Error('index.html names no entry module')
  const tldraw = fs
    .readdirSync(path.join(DIST, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .find((name) => fs.readFileSync(path.join(DIST, 'assets', name), 'utf8').includes(TLDRAW_MARK))
  if (!tldraw) throw new Error('no chunk holds tldraw')
  return { entry: gzipOf(entry), tldraw: gzipOf(`assets/${tldraw}`) }
}

async function openPage(browser: Browser, serviceWorkers: 'allow' | 'block'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers })
  const page = await context.newPage()
  page.setDefaultTimeout(30_000)
  return page
}

const idle = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 10_000 })))

async function main() {
  const built = builtFigures()
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    // Home: everything the context fetches, a service worker's fetches included.
    const home = await openPage(browser, 'allow')
    const homeScripts = watchScripts(home.context())
    await home.goto(`${server.origin}/`, { waitUntil: 'networkidle' })
    await home.getByRole('heading', { name: 'Start a workshop' }).waitFor()
    await idle(home)
    await home.waitForLoadState('networkidle')
    const homeFetched = await homeScripts.files()
    // The page's own scripts; a worker's fetches are reported without their bodies.
    const homeFiles = homeFetched.filter((file) => !file.byWorker)
    const workerInstalled = homeFetched.some((file) => file.byWorker)

    // A workshop on its pot, the board held back; then the board let through.
    const room = await createRoom(server, 'Bundle benchmark')
    const pot = await openPage(browser, 'block')
    const held: Route[] = []
    await pot.route(BOARD_CHUNK, (route) => {
      held.push(route)
    })
    const potScripts = watchScripts(pot)
    const base = `${server.origin}/r/${room.roomId}`
    await joinWorkshop(pot, `${base}/pot?token=${room.tokens.facilitator}`, 'Bench', 'Bench Council', {
      waitLive: true,
    })
    await pot.getByRole('button', { name: 'Add contribution' }).waitFor()
    // Not networkidle: the board's held request keeps the network busy. Whatever the pot needed has come.
    await idle(pot)
    const potFiles = await potScripts.files()
    for (const route of held.splice(0)) await route.continue()
    await pot.unroute(BOARD_CHUNK)
    await pot.locator('nav[aria-label="Workshop views"]').getByRole('button', { name: 'Board', exact: true }).click()
    await pot.locator('.tl-canvas').waitFor({ state: 'visible' })
    await pot.waitForLoadState('networkidle')
    const allFiles = await potScripts.files()

    // A workshop opened on its board (the default view).
    const board = await openPage(browser, 'block')
    const boardScripts = watchScripts(board)
    await joinWorkshop(board, `${base}?token=${room.tokens.facilitator}`, 'Bench', 'Bench Council', { waitLive: true })
    await board.locator('.tl-canvas').waitFor({ state: 'visible' })
    await board.waitForLoadState('networkidle')
    const boardFiles = await boardScripts.files()

    const holdsTldraw = (file: ScriptFile) => file.body.includes(TLDRAW_MARK)
    const row = (what: string, files: ScriptFile[]) =>
      `| ${what} | ${files.length} | ${kB(totalGzip(files))} | ${files.some(holdsTldraw) ? 'yes' : 'no'} |\n`
    const commit = process.env.BENCH_LABEL ?? ''
    publishReport(
      `\n### Bundle sizes${commit ? ` (${commit})` : ''}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n` +
        `Entry chunk ${kB(built.entry)}, tldraw's chunk ${kB(built.tldraw)} (gzip, as built).\n\n` +
        '| page | scripts | gzip | tldraw |\n|---|---|---|---|\n' +
        row('home `/`', homeFiles) +
        `| … and then the service worker installing from home (every asset: scripts, styles, fonts) | | ${workerInstalled ? kB(precacheGzip()) : 'not installed from home'} | ${workerInstalled ? 'yes' : 'no'} |\n` +
        row('workshop `/r/:id/pot`, first view (board held back)', potFiles) +
        row('… then the board', allFiles) +
        row('workshop `/r/:id` (board first)', boardFiles),
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}

await main()
