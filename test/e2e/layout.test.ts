/**
 * Layouts that fit: on a 1024×768 laptop and a 768×1024 tablet, no view of a realistic room makes
 * the page scroll sideways (tables scroll inside their own frame; the side panels open as drawers).
 */
import { describe, expect, it } from 'vitest'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const VIEWS = ['Board', 'Pot', 'Protocol', 'Barriers', 'Actions', 'Outcomes', 'Snapshots']
let room: RealisticRoom | null = null
workshop.onCleanup(() => room?.writer.destroy())

describe('layouts that fit', () => {
  for (const [width, height] of [
    [1024, 768],
    [768, 1024],
  ] as const) {
    it(`never scrolls the page sideways at ${width}×${height}, with the invite drawer open`, async () => {
      room ??= await realisticRoom(workshop.server)
      const page = await workshop.newPage({ width, height, defaultTimeout: 15_000 })
      await joinWorkshop(
        page,
        `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
        'Fiona Facilitator',
        'Swindon Borough Council',
        { waitLive: true },
      )
      const invite = page.getByRole('button', { name: 'Invite', exact: true })
      if ((await invite.getAttribute('aria-expanded')) !== 'true') await invite.click()
      const wide: string[] = []
      for (const view of VIEWS) {
        await viewTab(page, view).click()
        if (view === 'Board') await page.locator('.tl-canvas').waitFor()
        const [scrollWidth, innerWidth] = await page.evaluate(() => [
          document.scrollingElement!.scrollWidth,
          window.innerWidth,
        ])
        if (scrollWidth > innerWidth) wide.push(`${view}: ${scrollWidth} px`)
      }
      expect(wide).toEqual([])
      // The title stays readable, not squeezed to a letter.
      const titleWidth = await page
        .getByRole('heading', { level: 1 })
        .evaluate((el) => el.getBoundingClientRect().width)
      expect(titleWidth).toBeGreaterThan(200)
    }, 60_000)
  }
})
