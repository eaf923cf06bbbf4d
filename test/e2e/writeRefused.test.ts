/**
 * A refused change in a real browser: a participant edits a pot amount without a network while
 * the facilitator locks the pot; back online, the server refuses the change, the page says why at
 * once ("The pot is locked by the facilitator."), stays connected, offers to reload, and the
 * workshop as saved (and as the facilitator sees it) keeps the facilitator's figure.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addPotLine, DEFAULT_LINE, readPotLines } from '../../shared/pot.ts'
import { setLock } from '../../shared/workshopSettings.ts'
import { connect, createRoom, waitFor } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const SCREENS = process.env.SCREENSHOT_DIR

const facilitatorActor = { userId: 'fiona', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }
const LINE = 'Department for Work and Pensions (DWP) · Work Programme'

describe('a change the server refuses', () => {
  it('is explained on the page that made it, and nothing of it is saved', async () => {
    const room = await createRoom(workshop.server, 'Swindon: locking the pot')
    const facilitator = connect(workshop.server, room.roomId, room.tokens.facilitator)
    workshop.onCleanup(() => facilitator.destroy())
    await facilitator.firstSync
    addPotLine(
      facilitator.doc,
      {
        ...DEFAULT_LINE,
        partner: 'Department for Work and Pensions (DWP)',
        stream: 'Work Programme',
        amount: 5_000_000,
        status: 'offered',
        years: '2012-13',
      },
      facilitatorActor,
      Date.now(),
    )

    const page: Page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    await joinWorkshop(page, room.links.participant, 'Pat Participant', 'Jobcentre Plus', { waitLive: true })
    await viewTab(page, 'Pot').click()
    const amount = page.getByLabel(`Amount for ${LINE}`)
    await expect(amount.inputValue()).resolves.toBe('£50,000')

    // Offline, the participant changes the amount; meanwhile the facilitator locks the pot.
    await page.context().setOffline(true)
    await page.locator('.shell-tools [data-status="offline"]').waitFor({ timeout: 5000 })
    await amount.fill('1')
    await amount.press('Enter')
    await page.getByTestId('pot-total').getByText('£1', { exact: true }).waitFor()
    setLock(facilitator.doc, 'pot', true, facilitatorActor, Date.now())
    await new Promise((r) => setTimeout(r, 300))

    await page.context().setOffline(false)
    const alert = page.getByRole('alert').filter({ hasText: 'Your last change was not saved' })
    await alert.waitFor({ timeout: 15_000 })
    await expect(alert.textContent()).resolves.toContain('The pot is locked by the facilitator.')
    await expect(page.locator('.shell-tools [data-status]').textContent()).resolves.toBe('Live')
    await alert.getByRole('button', { name: 'Reload to see the workshop as saved' }).waitFor()

    if (SCREENS) {
      fs.mkdirSync(SCREENS, { recursive: true })
      for (const [width, height] of [
        [1440, 900],
        [1024, 768],
        [768, 1024],
      ] as const) {
        await page.setViewportSize({ width, height })
        await page.screenshot({ path: `${SCREENS}/write-refused-${width}x${height}.png` })
      }
    }

    // Nothing of it reached the server or the facilitator.
    await waitFor(() => readPotLines(facilitator.doc)[0]?.amount === 5_000_000, 2000, 'facilitator figure')
    const reader = connect(workshop.server, room.roomId, room.tokens.observer)
    await reader.firstSync
    expect(readPotLines(reader.doc)[0]?.amount).toBe(5_000_000)
    reader.destroy()

    // Reloading shows the workshop as saved, locked.
    await alert.getByRole('button', { name: 'Reload to see the workshop as saved' }).click()
    await page.locator('.shell-tools [data-status="live"]').waitFor({ timeout: 15_000 })
    await viewTab(page, 'Pot').click()
    await expect(page.getByLabel(`Amount for ${LINE}`).inputValue()).resolves.toBe('£50,000')
    await expect(page.getByLabel(`Amount for ${LINE}`).isEditable()).resolves.toBe(false)
  }, 90_000)
})
