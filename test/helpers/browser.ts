/**
 * Headless Debian Chromium driven by playwright-core, never a downloaded browser. Playwright gives
 * every launch a fresh temporary profile, and every context its own storage.
 */
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

/** Collects requests that leave this machine and page errors, to assert none happened. */
export function watchPage(page: Page): { offsiteRequests: string[]; errors: string[] } {
  const offsiteRequests: string[] = []
  const errors: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol === 'data:' || url.protocol === 'blob:') return
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') offsiteRequests.push(request.url())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return { offsiteRequests, errors }
}
