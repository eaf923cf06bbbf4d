/**
 * Issue #18, point 7, in the browser: a facilitator opens a workshop, downloads an export and a
 * snapshot's export through the UI, and neither the facilitator's token nor the device's user
 * secret appears in any address the page asks for (requests, the websocket) or in any link or
 * source in the page. A link with the token is the credential: shared, logged or kept in a history,
 * it hands the workshop over. A download that fails says so.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { londonIsoDate } from '../../shared/exportFileName.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, type TestClient } from '../helpers/syncClient.ts'
import {
  downloadFromMenu,
  downloadThrough,
  joinWorkshop,
  useWorkshopBrowser,
  viewTab,
} from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }

/** Every address the page names: links, sources, form actions, and where it is. */
const addressesInPage = (page: Page): Promise<string[]> =>
  page.evaluate(() => [
    window.location.href,
    ...[...document.querySelectorAll('[href], [src], [action], [formaction], [data]')].flatMap((element) =>
      ['href', 'src', 'action', 'formaction', 'data'].flatMap((name) => element.getAttribute(name) ?? []),
    ),
  ])

describe('no credentials in URLs', () => {
  it('downloads an export and a snapshot with the token in a header: no address holds the token or the secret', async () => {
    const room = await createRoom(workshop.server, 'Hull: no credentials in links')
    const writer = connect(workshop.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    addPotLine(
      writer.doc,
      {
        ...DEFAULT_LINE,
        partner: 'Department for Work and Pensions (DWP)',
        stream: 'Troubled Families',
        amount: 4_200_000,
      },
      dwp,
      1,
    )

    const page = await workshop.newPage({ defaultTimeout: 10_000 })
    const watch = watchPage(page)
    const invite = `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`
    const requested: { url: string; navigation: boolean }[] = []
    const sockets: string[] = []
    page.on('request', (request) => requested.push({ url: request.url(), navigation: request.isNavigationRequest() }))
    page.on('websocket', (socket) => sockets.push(socket.url()))
    const addresses: string[] = []

    await joinWorkshop(page, invite, 'Fiona Facilitator', 'Hull City Council', { waitLive: true })
    const secret = await page.evaluate(() => localStorage.getItem('commonpot.userSecret'))
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)

    // The live workshop's pot, as CSV, through the Download menu, saved under the server's name:
    // the title (its colon dropped), the part and today's London date.
    const today = londonIsoDate(new Date())
    await viewTab(page, 'Pot').click()
    await page.getByTestId('pot-total').getByText('£42,000').waitFor()
    addresses.push(...(await addressesInPage(page)))
    const menu = page.getByRole('button', { name: 'Download the workshop' })
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    const csv = await downloadFromMenu(page, 'Pot lines (CSV)')
    expect(csv.name).toBe(`Hull no credentials in links-pot-${today}.csv`)
    expect(csv.text.startsWith('\uFEFFPartner,Funding stream,Amount (£),')).toBe(true)
    expect(csv.text).toContain('Department for Work and Pensions (DWP),Troubled Families,42000,Cash,')
    // A download closes the menu and gives the focus back to its button.
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    expect(await menu.evaluate((button) => button === document.activeElement)).toBe(true)

    // The JSON, by keyboard alone: open, Escape closes, open again, up to the last item, Enter.
    await menu.press('Enter')
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    await menu.press('Enter')
    await page.keyboard.press('ArrowUp')
    const focused = page.locator(':focus')
    expect(await focused.textContent()).toContain('Complete record (JSON)')
    const json = await downloadThrough(page, focused)
    expect(json.name).toBe(`Hull no credentials in links-${today}.json`)
    const exported = JSON.parse(json.text) as { schemaVersion: number; pot: { lines: { partner: string }[] } }
    expect(exported.schemaVersion).toBe(1)
    expect(exported.pot.lines.map((l) => l.partner)).toEqual(['Department for Work and Pensions (DWP)'])

    // A snapshot, opened, and its pot as Markdown.
    await viewTab(page, 'Snapshots').click()
    await page.getByLabel('Snapshot name').fill('Before the break')
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    const row = page.locator('tr[data-snapshot-id]', { hasText: 'Before the break' })
    await row.waitFor()
    const snapshotId = await row.getAttribute('data-snapshot-id')
    addresses.push(...(await addressesInPage(page)))
    // Each snapshot in the list has its own menu: its pot as CSV, named after the snapshot.
    const snapshotCsv = await downloadFromMenu(
      page,
      'Pot lines (CSV)',
      row.getByRole('button', { name: 'Download “Before the break”' }),
    )
    expect(snapshotCsv.name).toBe(`Hull no credentials in links-snapshot Before the break pot-${today}.csv`)
    expect(snapshotCsv.text).toContain('Troubled Families,42000,')
    await row.getByRole('link', { name: 'Open' }).click()
    await page.waitForURL(/\/snapshots\//)
    await page.getByText('Snapshot — Before the break').waitFor()
    await page.getByRole('button', { name: 'Pot', exact: true }).click()
    await page.getByTestId('pot-total').getByText('£42,000').waitFor()
    addresses.push(...(await addressesInPage(page)))
    const markdown = await downloadFromMenu(
      page,
      'Minutes (Markdown)',
      page.getByRole('button', { name: 'Download this snapshot' }),
    )
    expect(markdown.name).toBe(`Hull no credentials in links-snapshot Before the break minutes-${today}.md`)
    expect(markdown.text).toContain('Before the break')
    expect(markdown.text).toContain('Troubled Families')

    // The downloads were asked for, without the token, and the workshop's socket too.
    const exportRequests = requested.filter(({ url }) => /\/api\/rooms\/[^/]+\/(export|snapshots\/[^/?]+)\?/.test(url))
    expect(exportRequests.map(({ url }) => new URL(url).pathname + new URL(url).search)).toEqual(
      expect.arrayContaining([
        `/api/rooms/${room.roomId}/export?format=csv&part=pot`,
        `/api/rooms/${room.roomId}/export?format=json&download=1`,
        `/api/rooms/${room.roomId}/snapshots/${snapshotId}?format=csv&part=pot`,
        `/api/rooms/${room.roomId}/snapshots/${snapshotId}?format=md`,
      ]),
    )
    expect(sockets).toContain(`${workshop.server.wsOrigin}/sync/${room.roomId}`)

    // The one address with the token is the invite link the test itself opened; the page takes
    // the token out of the address bar at once.
    const [opened, ...others] = requested
    expect(opened).toEqual({ url: invite, navigation: true })
    const signature = room.tokens.facilitator.split('.')[2]!
    const everything = [...others.map(({ url }) => url), ...sockets, ...addresses]
    expect(everything.length).toBeGreaterThan(20)
    expect(everything.filter((url) => url.includes(signature) || url.includes(secret!))).toEqual([])
    expect(watch.errors).toEqual([])
  })

  it('says so when a download fails, and saves nothing', async () => {
    const room = await createRoom(workshop.server, 'Hull: a refused download')
    const page = await workshop.newPage({ defaultTimeout: 10_000 })
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.observer}`,
      'Olu',
      'Hull',
      {
        waitLive: true,
      },
    )
    await viewTab(page, 'Pot').click()
    // The link is revoked between opening the workshop and downloading.
    await page.route('**/api/rooms/*/export?*', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'token_revoked',
            message: 'This invite link has been revoked. Ask the facilitator for a new one.',
          },
        }),
      }),
    )
    let downloads = 0
    page.on('download', () => downloads++)
    await page.getByRole('button', { name: 'Download the workshop' }).click()
    await page.getByRole('button', { name: 'Minutes (Markdown)' }).click()
    await page
      .getByRole('alert')
      .getByText('The download failed: This invite link has been revoked. Ask the facilitator for a new one.')
      .waitFor()
    expect(downloads).toBe(0)
  })
})
