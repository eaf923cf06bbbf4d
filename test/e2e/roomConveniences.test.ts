/**
 * Conveniences of the room. The invite panel opens by itself once, when the facilitator first lands
 * in a new workshop, then only when asked; reopened, it shows the newest link made, not the one the
 * page loaded with. "?" shows the keyboard shortcuts, except while typing.
 */
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()

describe('the invite panel', () => {
  it('opens once for a new workshop, then on demand, with the newest links', async () => {
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    const watch = watchPage(page)
    await page.goto(`${workshop.server.origin}/`)
    await page.getByLabel('Workshop title').fill('Swindon: who to invite')
    await page.getByLabel('Your name').fill('Fiona Facilitator')
    await page.getByLabel('Your organisation').fill('Swindon Borough Council')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    const panel = page.getByRole('complementary', { name: 'Invite people' })
    const invite = page.getByRole('button', { name: 'Invite', exact: true })
    // Just made: the links are what the facilitator needs first.
    await panel.waitFor()
    const firstLink = await panel.getByLabel('Participants link').inputValue()

    // Back later (a reload, or another tab): the board is not covered.
    await page.reload()
    await page.locator('[data-status="live"]').waitFor()
    expect(await panel.count()).toBe(0)
    const secondTab = await page.context().newPage()
    await secondTab.goto(page.url())
    await secondTab.locator('[data-status="live"]').waitFor()
    expect(await secondTab.getByRole('complementary', { name: 'Invite people' }).count()).toBe(0)
    await secondTab.close()

    // On demand: a new link, then closed and reopened, still the new one.
    await invite.click()
    await panel.getByLabel('Participants link').waitFor()
    const loadedLink = await panel.getByLabel('Participants link').inputValue()
    expect(loadedLink).toContain(firstLink.split('?')[0])
    await panel.getByLabel('New participant link lasts').selectOption({ label: '1 day' })
    await panel
      .getByRole('region', { name: 'Participants: general link' })
      .getByRole('button', { name: 'Create link' })
      .click()
    await panel.getByText(/New link created/).waitFor()
    const newLink = await panel.getByLabel('Participants link').inputValue()
    expect(newLink).not.toBe(loadedLink)
    await panel.getByRole('button', { name: 'Close invite panel' }).click()
    expect(await panel.count()).toBe(0)
    await invite.click()
    expect(await panel.getByLabel('Participants link').inputValue()).toBe(newLink)

    // "?" in a field is a character; elsewhere it shows the shortcuts, and Escape closes them.
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await page.getByRole('button', { name: 'Pot', exact: true }).click()
    await page.getByLabel('Funding stream').press('?')
    expect(await page.getByLabel('Funding stream').inputValue()).toBe('?')
    expect(await sheet.count()).toBe(0)
    await page.getByRole('button', { name: 'Pot', exact: true }).focus()
    await page.keyboard.press('?')
    await sheet.getByRole('region', { name: 'Clause text' }).getByText('Bold').waitFor()
    await page.keyboard.press('Escape')
    expect(await sheet.count()).toBe(0)
    expect(
      await page.getByRole('button', { name: 'Pot', exact: true }).evaluate((el) => el === document.activeElement),
    ).toBe(true)
    expect(watch.errors).toEqual([])
  })
})
