/**
 * The first page is light and the board never holds up the tables (issue #20 point 8): the home
 * page fetches at most 120 kB of JavaScript (gzip) and none of TipTap or tldraw; a workshop opened
 * on its pot is usable, Protocol included, while tldraw's chunk has not arrived, and the board
 * shows once it does. Home does not install the service worker (which would fetch everything).
 */
import type { Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { holdsTipTap, isTldrawChunk, totalGzip, watchScripts } from '../helpers/scriptWeight.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const HOME_BUDGET_GZIP_BYTES = 120_000

describe('a light first page', () => {
  it('home fetches at most 120 kB of JavaScript (gzip), none of it TipTap or tldraw', async () => {
    const page = await workshop.newPage({ defaultTimeout: 15_000 })
    const watch = watchPage(page)
    // The whole context: what a service worker would fetch counts too.
    const scripts = watchScripts(page.context())
    await page.addInitScript(() => {
      const calls: string[] = []
      Object.assign(window, { __workerRegistrations: calls })
      const register = navigator.serviceWorker.register.bind(navigator.serviceWorker)
      navigator.serviceWorker.register = (url, options) => {
        calls.push(String(url))
        return register(url, options)
      }
    })
    await page.goto(`${workshop.server.origin}/`, { waitUntil: 'networkidle' })
    await page.getByRole('heading', { name: 'Start a workshop' }).waitFor()
    await page.getByLabel('Workshop title').fill('Swindon: a light start')
    // The app would install its worker at the first idle moment after load: one has passed.
    await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 10_000 })))
    // Installing the worker fetches every file of the app (tldraw and its fonts): not from home.
    expect(
      await page.evaluate(() => (window as unknown as { __workerRegistrations: string[] }).__workerRegistrations),
    ).toEqual([])

    const files = await scripts.files()
    expect(files.some((file) => file.path.startsWith('/assets/index-'))).toBe(true)
    expect(files.filter(isTldrawChunk).map((file) => file.path)).toEqual([])
    expect(files.filter(holdsTipTap).map((file) => file.path)).toEqual([])
    expect(totalGzip(files)).toBeLessThanOrEqual(HOME_BUDGET_GZIP_BYTES)

    // Creating the workshop opens it without a reload: the worker installs then, for offline use.
    await page.getByLabel('Your name').fill('Fiona Facilitator')
    await page.getByLabel('Your organisation').fill('Swindon Borough Council')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    expect(watch.errors).toEqual([])
  }, 60_000)

  it('the pot and the protocol work while tldraw is held back; the board shows once it comes', async () => {
    const room = await createRoom(workshop.server, 'Kent: pot before the board')
    // page.route does not see what a service worker fetches or serves: none here.
    const page = await workshop.newPage({ width: 1400, height: 900, defaultTimeout: 15_000, serviceWorkers: 'block' })
    const watch = watchPage(page)
    const held: Route[] = []
    await page.route(/\/assets\/tldraw-[^/]*\.js$/, (route) => {
      held.push(route)
    })
    const base = `${workshop.server.origin}/r/${room.roomId}`
    await joinWorkshop(
      page,
      `${base}/pot?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Kent County Council',
      {
        waitLive: true,
      },
    )
    // The first view is ready, so the board's code has been asked for (in an idle moment): it hangs.
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0)

    await page.getByLabel('Partner', { exact: true }).fill('Kent Police')
    await page.getByLabel('Funding stream', { exact: true }).fill('Early help')
    await page.getByLabel('Amount', { exact: true }).fill('250k')
    await page.getByRole('button', { name: 'Add contribution' }).click()
    await page.getByTestId('pot-total').getByText('£250,000', { exact: true }).waitFor()
    await page.getByLabel('Partner of Kent Police').waitFor()

    await viewTab(page, 'Protocol').click()
    await page.getByRole('heading', { name: 'Protocol', level: 2 }).waitFor()
    await page.getByRole('button', { name: 'Start from the pooled budget template' }).click()
    await page.getByRole('article', { name: 'Purpose' }).waitFor()

    // "Place on board" goes to the board, which says it is loading until tldraw comes.
    await viewTab(page, 'Pot').click()
    await page.getByRole('button', { name: 'Place on board: Kent Police · Early help' }).click()
    await page.getByRole('status').getByText('Loading the board…').waitFor()
    expect(await page.locator('.tl-canvas').count()).toBe(0)

    for (const route of held.splice(0)) await route.continue()
    await page.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
    // The card asked for while the board was on its way is placed once it is there.
    await page.locator('.tl-shape[data-shape-type="pot-line"] .pot-card').getByText('£250,000').waitFor()
    expect(watch.errors).toEqual([])
  }, 90_000)
})
