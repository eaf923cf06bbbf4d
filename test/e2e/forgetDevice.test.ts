/**
 * "Forget this workshop on this device", for shared computers: the saved copy of the document,
 * the invite link and the room's details leave the browser; the workshop itself stays.
 */
import { describe, expect, it } from 'vitest'
import { addPotLine, DEFAULT_LINE, readPotLines } from '../../shared/pot.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }

describe('forgetting a workshop on this device', () => {
  it('removes the saved copy and the link from the browser, and leaves the workshop as it was', async () => {
    const room = await createRoom(workshop.server, 'Swindon: a borrowed laptop')
    const writer = connect(workshop.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    addPotLine(
      writer.doc,
      {
        ...DEFAULT_LINE,
        partner: 'Department for Work and Pensions (DWP)',
        stream: 'Work Programme',
        amount: 60_000_000,
      },
      dwp,
      1,
    )

    const page = await workshop.newPage({ defaultTimeout: 15_000 })
    const watch = watchPage(page)
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.participant}`,
      'Pat Participant',
      'Swindon Borough Council',
      { waitLive: true },
    )
    const kept = () =>
      page.evaluate(async (roomId) => {
        const databases = (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.includes(roomId))
        const stored = Object.keys(localStorage).filter(
          (key) => key.includes(roomId) || (localStorage.getItem(key) ?? '').includes(roomId),
        )
        return { databases, stored }
      }, room.roomId)
    // The browser keeps the workshop: its document, its link and its details.
    await expect.poll(async () => (await kept()).databases, { timeout: 10_000 }).toEqual([`commonpot:${room.roomId}`])
    expect((await kept()).stored.length).toBeGreaterThan(0)
    // The same person in another tab of this browser is not asked to join again.
    const secondTab = await page.context().newPage()
    await secondTab.goto(`${workshop.server.origin}/r/${room.roomId}`)
    await secondTab.locator('[data-status="live"]').waitFor()
    expect(await secondTab.getByRole('button', { name: 'Join workshop' }).count()).toBe(0)
    await secondTab.getByText('Pat Participant').first().waitFor()
    await secondTab.close()

    await page.getByRole('button', { name: 'Workshop', exact: true }).click()
    await page.getByRole('button', { name: 'Forget this workshop on this device…' }).click()
    const confirm = page.getByRole('group', { name: 'Confirm forgetting this workshop' })
    await confirm.getByText('you will need the invite link to come back').waitFor()
    // Changing one's mind keeps everything.
    await confirm.getByRole('button', { name: 'Keep it' }).click()
    await page.getByRole('button', { name: 'Forget this workshop on this device…' }).click()
    await page.getByRole('button', { name: 'Forget on this device' }).click()
    await page.waitForURL(`${workshop.server.origin}/`)
    expect(await kept()).toEqual({ databases: [], stored: [] })

    // Without the link the workshop does not open here any more…
    await page.goto(`${workshop.server.origin}/r/${room.roomId}`)
    await page.getByRole('heading', { name: 'No invite for this workshop' }).waitFor()
    // …and the workshop itself is untouched.
    await waitFor(() => readPotLines(writer.doc).length === 1, 2000, 'the pot is as it was')
    const other = connect(workshop.server, room.roomId, room.tokens.observer)
    clients.push(other)
    await other.firstSync
    expect(readPotLines(other.doc).map((l) => l.amount)).toEqual([60_000_000])
    expect(watch.errors).toEqual([])
  }, 60_000)
})
