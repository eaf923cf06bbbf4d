/**
 * Where you are is in the address: `/r/:id/pot`, `/r/:id/protocol#clause-…`,
 * `/r/:id/barriers/:barrierId`; a reload stays there, back and forward move between views and
 * opened barriers, and following the facilitator writes the same addresses.
 */
import { describe, expect, it } from 'vitest'
import { readBarriers } from '../../shared/barriers.ts'
import { readClauses } from '../../shared/protocol.ts'
import { watchPage } from '../helpers/browser.ts'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
let room: RealisticRoom | null = null
workshop.onCleanup(() => room?.writer.destroy())

describe('deep links', () => {
  it('opens, keeps and moves through views, clauses and barriers by their addresses', async () => {
    room = await realisticRoom(workshop.server)
    const base = `${workshop.server.origin}/r/${room.roomId}`
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    const watch = watchPage(page)
    await joinWorkshop(page, `${base}/pot?token=${room.tokens.participant}`, 'Pat Participant', 'DWP', {
      waitLive: true,
    })
    const current = async () => (await viewTab(page, 'Pot').getAttribute('aria-current')) === 'page'
    // The link's view, with the token gone from the address.
    expect(page.url()).toBe(`${base}/pot`)
    expect(await current()).toBe(true)
    await page.reload()
    await page.locator('[data-status="live"]').waitFor()
    expect(await current()).toBe(true)

    // Tabs write the address; back and forward read it.
    await viewTab(page, 'Protocol').click()
    expect(page.url()).toBe(`${base}/protocol`)
    // The address changes first; the view follows on the popstate that comes after it.
    await page.goBack()
    await page.waitForURL(`${base}/pot`)
    await expect.poll(current).toBe(true)
    await page.goForward()
    await page.waitForURL(`${base}/protocol`)
    await expect.poll(() => viewTab(page, 'Protocol').getAttribute('aria-current')).toBe('page')

    // A link to a clause shows that clause.
    const clause = readClauses(room.writer.doc).find((c) => c.title === 'Partners')!
    await page.goto(`${base}/protocol#clause-${clause.id}`)
    const heading = page.locator(`[id="clause-${clause.id}"]`)
    await heading.waitFor()
    await expect
      .poll(() => heading.evaluate((el) => el.getBoundingClientRect().top), { timeout: 5000 })
      .toBeLessThan(300)
    await page.getByRole('button', { name: `Copy link: ${clause.title}` }).waitFor()

    // A barrier's details by address; closing and going back.
    const barrier = readBarriers(room.writer.doc)[0]!
    await page.goto(`${base}/barriers/${barrier.id}`)
    const details = page.locator(`[aria-labelledby="barrier-details-${barrier.id}"]`)
    await details.waitFor()
    await page.getByRole('button', { name: barrier.title, exact: true }).first().click()
    await page.waitForURL(`${base}/barriers`)
    expect(await details.count()).toBe(0)
    await page.goBack()
    await page.waitForURL(`${base}/barriers/${barrier.id}`)
    await details.waitFor()
    expect(watch.errors).toEqual([])
  }, 60_000)
})
