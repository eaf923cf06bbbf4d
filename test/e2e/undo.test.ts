/**
 * Undo and redo of one's own changes, in two browsers: Fiona's Ctrl+Z puts back her amount and
 * leaves Pat's note; her removal comes back from its notice; a barrier deleted by Pat comes back
 * for both from his. Everything goes through the server's rules like any other change.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
let room: RealisticRoom | null = null
workshop.onCleanup(() => room?.writer.destroy())

const LINE = 'Department for Work and Pensions (DWP) · Work Programme'
const BARRIER = 'ESF cannot be pooled at source'

describe('undo of one’s own changes', () => {
  it('undoes and redoes only what each person did, and brings deletions back from their notice', async () => {
    room = await realisticRoom(workshop.server)
    const open = async (token: string, name: string, organisation: string): Promise<Page> => {
      const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
      await joinWorkshop(page, `${workshop.server.origin}/r/${room!.roomId}?token=${token}`, name, organisation, {
        waitLive: true,
      })
      return page
    }
    const fiona = await open(room.tokens.facilitator, 'Fiona Facilitator', 'Swindon Borough Council')
    const pat = await open(room.tokens.participant, 'Pat Participant', 'Department of Health (DH)')
    const errors = [watchPage(fiona).errors, watchPage(pat).errors]
    for (const page of [fiona, pat]) await viewTab(page, 'Pot').click()
    const amount = (page: Page) => page.getByLabel(`Amount for ${LINE}`)
    const notes = (page: Page) => page.getByLabel(`Conditions and notes of ${LINE}`)

    // Fiona changes the amount, Pat a note; Fiona's Ctrl+Z (outside any field) undoes hers alone.
    await amount(fiona).fill('£2m')
    await amount(fiona).press('Enter')
    await expect.poll(() => amount(pat).inputValue(), { timeout: 3000 }).toBe('£2,000,000')
    await notes(pat).fill('Subject to the Minister')
    await notes(pat).press('Enter')
    await expect.poll(() => notes(fiona).inputValue(), { timeout: 3000 }).toBe('Subject to the Minister')
    await fiona.keyboard.press('Control+z')
    await expect.poll(() => amount(pat).inputValue(), { timeout: 3000 }).toBe('£1,800,000')
    expect(await notes(pat).inputValue()).toBe('Subject to the Minister')
    // Redo, from the button.
    await fiona
      .getByRole('group', { name: 'Undo and redo your changes to the pot' })
      .getByRole('button', { name: 'Redo' })
      .click()
    await expect.poll(() => amount(pat).inputValue(), { timeout: 3000 }).toBe('£2,000,000')

    // A removal comes back from its notice, for everyone.
    await fiona.getByRole('button', { name: `Remove ${LINE}` }).click()
    await expect.poll(() => amount(pat).count(), { timeout: 3000 }).toBe(0)
    await fiona
      .getByRole('status')
      .filter({ hasText: `Removed ${LINE}.` })
      .getByRole('button', { name: 'Undo' })
      .click()
    await amount(pat).waitFor({ timeout: 3000 })
    expect(await amount(pat).inputValue()).toBe('£2,000,000')

    // Pat deletes a barrier and brings it back; Fiona sees it go and come back.
    for (const page of [fiona, pat]) await viewTab(page, 'Barriers').click()
    await pat.getByRole('button', { name: BARRIER, exact: true }).click()
    await pat.getByRole('button', { name: `Delete ${BARRIER}…` }).click()
    await pat.getByRole('button', { name: 'Delete barrier' }).click()
    await expect
      .poll(() => fiona.getByRole('button', { name: BARRIER, exact: true }).count(), { timeout: 3000 })
      .toBe(0)
    await pat
      .getByRole('status')
      .filter({ hasText: `Deleted ${BARRIER}.` })
      .getByRole('button', { name: 'Undo' })
      .click()
    await fiona.getByRole('button', { name: BARRIER, exact: true }).waitFor({ timeout: 3000 })
    // Nothing anyone did was refused on the way.
    for (const page of [fiona, pat]) expect(await page.getByText(/was not saved/).count()).toBe(0)
    expect(errors.flat()).toEqual([])
  }, 60_000)
})
