/**
 * The set-up every browser test of the workshop shares: one real server and one Chromium per test
 * file, fresh contexts per person (closed afterwards), joining through an invite link, and the
 * shell's view tabs.
 */
import fs from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser } from './browser.ts'
import { startServer, type ServerProcess } from './serverProcess.ts'

export interface WorkshopBrowser {
  /** The server of this test file (set once `beforeAll` has run). */
  readonly server: ServerProcess
  /**
   * A page in a new browser context: one person, with their own storage. `serviceWorkers: 'block'`
   * for tests that intercept requests (page.route does not see what a worker fetches or serves).
   */
  newPage(options?: {
    width?: number
    height?: number
    defaultTimeout?: number
    serviceWorkers?: 'allow' | 'block'
  }): Promise<Page>
  /** Runs when the file's tests are done, before the browser and the server stop. */
  onCleanup(cleanup: () => void): void
}

/** Registers the file's `beforeAll`/`afterAll` and returns the server and a page factory. */
export function useWorkshopBrowser(serverOptions?: Parameters<typeof startServer>[0]): WorkshopBrowser {
  let server: ServerProcess | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const cleanups: (() => void)[] = []
  beforeAll(async () => {
    server = await startServer(serverOptions)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup()
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.stop()
  })
  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server
    },
    async newPage({ width = 1280, height = 800, defaultTimeout, serviceWorkers = 'allow' } = {}) {
      if (!browser) throw new Error('the browser starts in beforeAll')
      const context = await browser.newContext({ viewport: { width, height }, serviceWorkers })
      contexts.push(context)
      const page = await context.newPage()
      // Fail on the step that went wrong, well inside the test's own timeout.
      if (defaultTimeout !== undefined) page.setDefaultTimeout(defaultTimeout)
      return page
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup)
    },
  }
}

/** Opens an invite link and joins with a name and organisation; optionally waits until live. */
export async function joinWorkshop(
  page: Page,
  link: string,
  name: string,
  organisation: string,
  { waitLive = false } = {},
): Promise<void> {
  await page.goto(link)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your organisation').fill(organisation)
  await page.getByRole('button', { name: 'Join workshop' }).click()
  if (waitLive) await page.locator('[data-status="live"]').waitFor()
}

/** One of the shell's view tabs (Board, Pot, Protocol, …). */
export const viewTab = (page: Page, name: string): Locator =>
  page.locator('nav[aria-label="Workshop views"]').getByRole('button', { name, exact: true })

/**
 * Clicks a download button and reads the file the browser saved: its name and its text. Downloads
 * are fetched with the token in a header and saved from a blob (client/ui/downloadFile.ts), so
 * there is no link to read an address from.
 */
export async function downloadThrough(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
  const file = await download.path()
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') }
}

/**
 * Opens a Download menu (client/ui/DownloadMenu.tsx; the live workshop's in the header unless
 * `menu` says which) and downloads the file `item` names through it.
 */
export async function downloadFromMenu(
  page: Page,
  item: string,
  menu: Locator = page.getByRole('button', { name: 'Download the workshop' }),
): Promise<{ name: string; text: string }> {
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click()
  return downloadThrough(page, page.getByRole('button', { name: item, exact: true }))
}
