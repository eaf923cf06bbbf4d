/**
 * Shared set-up of the browser benchmarks: our production server, a workshop with a Node writer
 * connected to it, and a Chromium page that has joined that workshop as a participant.
 */
import type { Browser, Page } from 'playwright-core'
import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { launchBrowser } from '../helpers/browser.ts'
import { providerFor, whenSynced } from './scenarios.ts'
import { startOurs, type Target } from './targets.ts'

export interface BrowserBench {
  server: Target
  doc: Y.Doc
  provider: WebsocketProvider
  /** Opens a browser page joined to the workshop (call after filling `doc`). */
  join(): Promise<Page>
  close(): Promise<void>
}

export async function openBrowserBench(title: string): Promise<BrowserBench> {
  const server = await startOurs()
  const response = await fetch(`${server.origin}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  const room = (await response.json()) as {
    roomId: string
    tokens: { participant: string }
    links: { participant: string }
  }
  const doc = new Y.Doc()
  const provider = providerFor(server, { roomId: room.roomId, token: room.tokens.participant }, doc)
  await whenSynced(provider)
  let browser: Browser | undefined
  return {
    server,
    doc,
    provider,
    async join() {
      browser = await launchBrowser()
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
      await page.goto(room.links.participant)
      await page.getByLabel('Your name').fill('Bench')
      await page.getByLabel('Your organisation').fill('DWP')
      await page.getByRole('button', { name: 'Join workshop' }).click()
      await page.locator('[data-status="live"]').waitFor()
      return page
    },
    async close() {
      await browser?.close()
      provider.destroy()
      await server.stop()
    },
  }
}
