/**
 * Offline editing in real browsers against the built app: a participant loses the network (the
 * browser context goes offline), goes on editing the pot, reloads the page without a network and
 * finds the workshop as they left it, with the count of changes waiting; when the network comes
 * back their changes and a colleague's (made meanwhile, online all along) merge on both screens
 * and on the server.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readPotLines } from '../../shared/pot.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, sleep } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const newPage = (): Promise<Page> => workshop.newPage({ width: 1400, height: 900, defaultTimeout: 15_000 })

const DWP = 'Department for Work and Pensions (DWP) · Work Programme'

async function addContribution(page: Page, partner: string, stream: string, amount: string): Promise<void> {
  await page.getByLabel('Partner', { exact: true }).fill(partner)
  await page.getByLabel('Funding stream', { exact: true }).fill(stream)
  await page.getByLabel('Amount', { exact: true }).fill(amount)
  await page.getByRole('button', { name: 'Add contribution' }).click()
}

const total = (page: Page, text: string) => page.getByTestId('pot-total').getByText(text, { exact: true })
const badge = (page: Page) => page.locator('.shell-tools [data-status]')
/** Connected first ("Syncing…" until the first sync), then "Live" with nothing left to send. */
const untilLive = (page: Page) =>
  badge(page).and(page.locator('[data-status="live"]')).filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 })

describe('offline editing', () => {
  it('keeps editing without a network, survives an offline reload, and merges when back online', async () => {
    const room = await createRoom(workshop.server, 'Kent: pot review on the train')
    const traveller = await newPage()
    const travellerWatch = watchPage(traveller)
    const colleague = await newPage()
    await joinWorkshop(traveller, room.links.participant, 'Olu Okafor', 'Kent County Council', { waitLive: true })
    await joinWorkshop(colleague, room.links.participant, 'Pat Participant', 'NHS Kent and Medway', { waitLive: true })
    // The app's files are on this device once its worker is active (it fetches them on install).
    await traveller.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))

    // Online, a change reaches the colleague at once.
    await viewTab(traveller, 'Pot').click()
    await viewTab(colleague, 'Pot').click()
    await addContribution(traveller, 'Department for Work and Pensions (DWP)', 'Work Programme', '£1.2m')
    await total(colleague, '£1,200,000').waitFor({ timeout: 5000 })
    await expect(badge(traveller).textContent()).resolves.toBe('Live')

    // The network goes. The browser keeps the old socket open; the page drops it on `offline`.
    await traveller.context().setOffline(true)
    await traveller.locator('.shell-tools [data-status="offline"]').waitFor({ timeout: 5000 })
    await addContribution(traveller, 'Kent Police', 'Early help', '250k')
    await addContribution(traveller, 'Home Office', 'Supporting Families', '100k')
    await traveller.getByLabel(`Status of ${DWP}`).selectOption('agreed')
    await total(traveller, '£1,550,000').waitFor()
    await badge(traveller).getByText('3 changes not yet saved').waitFor()
    // Meanwhile the colleague, online all along, adds a line of their own and sees none of the traveller's.
    await addContribution(colleague, 'NHS Kent and Medway', 'Public health', '300k')
    await total(colleague, '£1,500,000').waitFor()
    await sleep(300)
    await expect(colleague.getByTestId('pot-total').textContent()).resolves.toBe('£1,500,000')
    expect(await colleague.getByLabel(`Status of ${DWP}`).inputValue()).toBe('proposed')

    // A reload without a network: the app comes from this device's worker, the workshop from its copy.
    const reloaded = await traveller.reload()
    expect(reloaded?.fromServiceWorker()).toBe(true)
    await traveller.locator('[data-status="offline"]').waitFor({ timeout: 5000 })
    await badge(traveller).getByText('3 changes not yet saved').waitFor()
    await viewTab(traveller, 'Pot').click()
    await total(traveller, '£1,550,000').waitFor()
    expect(await traveller.getByLabel(`Status of ${DWP}`).inputValue()).toBe('agreed')
    await traveller.getByLabel('Partner of Home Office').waitFor()
    // Editing goes on after the reload, and the count goes on from where it was.
    await addContribution(traveller, 'Probation Service', 'Resettlement', '50k')
    await total(traveller, '£1,600,000').waitFor()
    await badge(traveller).getByText('4 changes not yet saved').waitFor()
    // The board's code loads on demand (board/loadBoard.ts): the worker kept it too.
    await viewTab(traveller, 'Board').click()
    await traveller.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
    await viewTab(traveller, 'Pot').click()

    // The network is back: both sides merge, and nothing is waiting any more.
    await traveller.context().setOffline(false)
    await untilLive(traveller)
    await expect(badge(traveller).textContent()).resolves.toBe('Live')
    await total(traveller, '£1,900,000').waitFor({ timeout: 10_000 })
    await total(colleague, '£1,900,000').waitFor({ timeout: 10_000 })
    expect(await colleague.getByLabel(`Status of ${DWP}`).inputValue()).toBe('agreed')

    // The server has every line: a new client sees them at its first sync.
    const reader = connect(workshop.server, room.roomId, room.tokens.observer)
    await reader.firstSync
    const lines = readPotLines(reader.doc)
    reader.destroy()
    expect(lines.map((l) => l.partner).sort()).toEqual([
      'Department for Work and Pensions (DWP)',
      'Home Office',
      'Kent Police',
      'NHS Kent and Medway',
      'Probation Service',
    ])
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(190_000_000)
    expect(lines.find((l) => l.partner === 'Home Office')?.status).toBe('proposed')
    expect(lines.find((l) => l.stream === 'Work Programme')?.status).toBe('agreed')

    // The count was cleared on this device too: an online reload has nothing waiting.
    await traveller.reload()
    await untilLive(traveller)
    await expect(badge(traveller).textContent()).resolves.toBe('Live')
    expect(travellerWatch.errors).toEqual([])
    expect(travellerWatch.offsiteRequests).toEqual([])
  }, 120_000)
})
