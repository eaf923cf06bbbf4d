/**
 * The create page on a server where creating a workshop needs an organiser key (issue #18, point
 * 5), in Chromium against the built app: the field appears, a refused key is shown at it, the
 * right key creates the workshop and is kept for this tab only, and the per-address limit is
 * shown at the form. On an open server there is no key field.
 *
 * With SCREENSHOTS_DIR set, the page is also captured at 1440×900 and 768×1024.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { startServer, type ServerProcess } from '../helpers/serverProcess.ts'
import { useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const KEY = 'kent-organisers-Wq8rT3vZp1'
const workshop = useWorkshopBrowser({
  env: { ROOM_CREATION: 'key', ORGANISER_KEYS: `another-organiser-key-x1, ${KEY}`, ROOMS_PER_HOUR_PER_ADDRESS: '2' },
})
const newPage = (): Promise<Page> => workshop.newPage({ width: 1440, height: 900, defaultTimeout: 10_000 })
const SCREENSHOTS = process.env.SCREENSHOTS_DIR
const SIZES = [
  [1440, 900],
  [768, 1024],
] as const

async function capture(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150)
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

const keyField = (page: Page): Locator => page.getByLabel('Organiser key', { exact: true })

/** The text of the messages the control is described by (its error, then its hint). */
const description = (control: Locator): Promise<string> =>
  control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' | '),
  )

async function fillWorkshop(page: Page, title: string): Promise<void> {
  await page.getByLabel('Workshop title').fill(title)
  await page.getByLabel('Your name').fill('Fiona')
  await page.getByLabel('Your organisation').fill('Kent County Council')
}

const create = (page: Page) => page.getByRole('button', { name: 'Create workshop' }).click()

describe('creating a workshop on a server that needs an organiser key', () => {
  let page: Page
  let errors: string[]

  it('shows the organiser key field: a labelled password field with a hint, and "Show" to check it', async () => {
    page = await newPage()
    errors = watchPage(page).errors
    await page.goto(workshop.server.origin)
    const field = keyField(page)
    await field.waitFor()
    expect(await field.getAttribute('type')).toBe('password')
    expect(await field.getAttribute('autocomplete')).toBe('current-password')
    expect(await description(field)).toContain('Whoever runs Commonpot for your organisation can give you the key.')
    await field.fill('typed')
    await page.getByRole('button', { name: 'Show organiser key' }).click()
    expect(await field.getAttribute('type')).toBe('text')
    await page.getByRole('button', { name: 'Hide organiser key' }).click()
    expect(await field.getAttribute('type')).toBe('password')
    await field.fill('')
    await capture(page, 'create-key-mode')
  })

  it('asks for the key at the field before sending anything', async () => {
    await fillWorkshop(page, 'Kent: agreeing the pot')
    const sent: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') sent.push(request.url())
    })
    await create(page)
    await page.getByText('Enter the organiser key you were given.').waitFor()
    expect(await keyField(page).getAttribute('aria-invalid')).toBe('true')
    expect(sent).toEqual([])
  })

  it('shows a refused key as an error at the field, and takes the person there', async () => {
    await keyField(page).fill('kent-organisers-guess-000')
    await create(page)
    const message =
      'That organiser key is not one this server accepts. Check you copied all of it, or ask whoever runs Commonpot for the current key.'
    await page.getByText(message).waitFor()
    const field = keyField(page)
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await description(field)).toContain(message)
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.evaluate(() => sessionStorage.getItem('commonpot.organiserKey'))).toBeNull()
    await capture(page, 'create-key-refused')
  })

  it('creates the workshop with the right key and keeps the key for this tab only', async () => {
    await keyField(page).fill(KEY)
    await create(page)
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{16,64}$/)
    await page.getByText('Kent: agreeing the pot').first().waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('commonpot.organiserKey'))).toBe(KEY)
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(KEY)

    // Back on the create page in the same tab, the key is filled in.
    await page.goto(workshop.server.origin)
    await keyField(page).waitFor()
    expect(await keyField(page).inputValue()).toBe(KEY)

    // Another tab of the same browser starts without it.
    const other = await page.context().newPage()
    await other.goto(workshop.server.origin)
    await keyField(other).waitFor()
    expect(await keyField(other).inputValue()).toBe('')
    await other.close()
  })

  it('shows the per-address limit at the form, with when to try again', async () => {
    await fillWorkshop(page, 'Kent: second workshop')
    await create(page)
    await page.waitForURL(/\/r\//)
    await page.goto(workshop.server.origin)
    await fillWorkshop(page, 'Kent: one too many')
    await keyField(page).waitFor()
    await create(page)
    const alert = page.locator('.form-error[role="alert"]')
    await alert.waitFor()
    expect(await alert.textContent()).toBe(
      'This network has created 2 workshops in the last hour, the most this server allows. You can create another in 60 minutes.',
    )
    // Not the key's fault: the field is not marked.
    expect(await keyField(page).getAttribute('aria-invalid')).toBeNull()
    expect(errors).toEqual([])
  })
})

describe('creating a workshop on an open server', () => {
  let open: ServerProcess | undefined
  afterAll(async () => {
    await open?.stop()
  })

  it('shows no organiser key field', async () => {
    open = await startServer()
    const page = await newPage()
    const config = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/config')
    await page.goto(open.origin)
    await config
    await page.getByLabel('Workshop title').waitFor()
    // Give React the turn after the answer.
    await page.waitForTimeout(200)
    expect(await keyField(page).count()).toBe(0)
  })
})
