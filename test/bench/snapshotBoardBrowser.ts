/**
 * npm run bench:snapshot-board-browser: the board of a snapshot with 5,000 shapes in headless
 * Chromium against the production build. Time from opening the snapshot page's Board tab to every
 * shape drawn, time to make the PNG, and time for the compare view to draw both boards side by
 * side (snapshot ↔ now, 5 % of the shapes moved). Appends to docs/benchmarks.md.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { openCanvas } from '../../shared/schema.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { closeProvider, providerFor, whenSynced } from './scenarios.ts'
import { removeBenchDirs, startOurs } from './targets.ts'
import { publishReport } from './report.ts'

const SHAPES = 5000
const MOVED = SHAPES / 20

interface Room {
  roomId: string
  tokens: { facilitator: string; participant: string }
  links: { facilitator: string }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const step = (what: string) => process.stderr.write(`[bench] ${what}\n`)

/** Creates the shapes through the live board's editor, so that they are the records tldraw itself writes. */
async function drawShapes(page: Page, from: number, count: number): Promise<void> {
  await page.waitForFunction(
    () => Boolean((window as unknown as { __commonpotEditor?: unknown }).__commonpotEditor),
    null,
    { timeout: 60_000 },
  )
  await page.evaluate(
    ({ from, count }) => {
      const editor = (window as unknown as { __commonpotEditor: { createShapes(shapes: object[]): void } })
        .__commonpotEditor
      const shapes = []
      for (let i = from; i < from + count; i++)
        shapes.push({
          id: `shape:bench-${i}`,
          type: 'geo',
          x: (i % 100) * 140,
          y: Math.floor(i / 100) * 110,
          props: { w: 120, h: 90, geo: i % 3 ? 'rectangle' : 'ellipse' },
        })
      editor.createShapes(shapes)
    },
    { from, count },
  )
}

async function main() {
  const server = await startOurs()
  const response = await fetch(`${server.origin}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Board benchmark' }),
  })
  const room = (await response.json()) as Room
  const witnessDoc = new Y.Doc()
  const witness = providerFor(server, { roomId: room.roomId, token: room.tokens.participant }, witnessDoc)
  await whenSynced(witness)
  const canvas = openCanvas(witnessDoc)
  const shapeCount = () => [...canvas.map.values()].filter((e) => e.val.typeName === 'shape').length

  step('room ready; launching Chromium')
  const browser = await launchBrowser()
  const page = await (
    await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
  ).newPage()
  page.setDefaultTimeout(120_000)
  await page.goto(room.links.facilitator)
  await page.getByLabel('Your name').fill('Bench')
  await page.getByLabel('Your organisation').fill('Swindon Borough Council')
  await page.getByRole('button', { name: 'Join workshop' }).click()
  await page.locator('[data-status="live"]').waitFor()
  await page.locator('nav[aria-label="Workshop views"]').getByRole('button', { name: 'Board', exact: true }).click()
  step('drawing')
  for (let from = 0; from < SHAPES; from += 500) {
    await drawShapes(page, from, 500)
    step(`drew ${from + 500}; the server holds ${shapeCount()}`)
  }
  for (let i = 0; shapeCount() < SHAPES; i++) {
    await sleep(100)
    if (i % 30 === 29)
      step(
        `waiting: the server holds ${shapeCount()}; the page says ${await page.locator('[data-status]').first().getAttribute('data-status')} ${await page.locator('[data-status]').first().textContent()}`,
      )
  }
  step('the server holds every shape; snapshotting')

  const auth = { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' }
  const snapshot = (await (
    await fetch(`${server.origin}/api/rooms/${room.roomId}/snapshots`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Five thousand shapes' }),
    })
  ).json()) as { id: string }

  // Open the snapshot's Board tab: from the click to every shape in the DOM.
  await page.goto(`${server.origin}/r/${room.roomId}/snapshots/${snapshot.id}`)
  await page.getByText('Snapshot — Five thousand shapes').waitFor()
  let started = Date.now()
  await page.locator('nav[aria-label="Snapshot views"]').getByRole('button', { name: 'Board', exact: true }).click()
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="read-only-board"] .tl-shape').length >= n,
    SHAPES,
    { polling: 50 },
  )
  const openMs = Date.now() - started

  started = Date.now()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download picture (PNG)' }).click(),
  ])
  const png = fs.readFileSync((await download.path())!)
  const pngMs = Date.now() - started
  const pngSize = `${png.readUInt32BE(16)} × ${png.readUInt32BE(20)} px, ${(png.length / 1024 / 1024).toFixed(1)} MB`

  // Move 5 % of the shapes in the live room, then compare the snapshot with now.
  witnessDoc.transact(() => {
    for (let i = 0; i < SHAPES; i += SHAPES / MOVED) {
      const id = `shape:bench-${i}`
      const record = canvas.get(id)!
      canvas.set(id, { ...record, x: (record.x as number) + 40 })
    }
  })
  await page.goto(`${server.origin}/r/${room.roomId}`)
  await page.locator('[data-status="live"]').waitFor()
  await page.locator('nav[aria-label="Workshop views"]').getByRole('button', { name: 'Snapshots', exact: true }).click()
  await page.getByRole('button', { name: 'Compare', exact: true }).waitFor()
  await sleep(1000)
  started = Date.now()
  await page.getByRole('button', { name: 'Compare', exact: true }).click()
  await page.getByText(`Board: ${MOVED} shapes changed.`).waitFor()
  const diffMs = Date.now() - started
  await page.getByText(`now · 0 added, ${MOVED} changed`).waitFor()
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="read-only-board"] .tl-shape').length >= 2 * n,
    SHAPES,
    { polling: 50 },
  )
  const compareMs = Date.now() - started

  await browser.close()
  closeProvider(witness)
  await server.stop()

  const report = `\n## Snapshot board in the browser (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n\`npm run bench:snapshot-board-browser\`: a board of ${SHAPES.toLocaleString('en-GB')} geo shapes drawn through the editor, snapshotted, in headless Chromium (software rendering) against the production build.\n\n| step | time |\n|---|---|\n| snapshot page: Board tab clicked → all ${SHAPES.toLocaleString('en-GB')} shapes in the DOM (tldraw loaded lazily, store filled from the snapshot's document) | ${openMs} ms |\n| "Download picture (PNG)" → file saved (${pngSize}) | ${pngMs} ms |\n| Compare (snapshot ↔ now, ${MOVED} shapes moved) → the changes listed (snapshot fetched, hash checked, diffed) | ${diffMs} ms |\n| … → both boards drawn side by side | ${compareMs} ms |\n`
  publishReport(report)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(removeBenchDirs)
