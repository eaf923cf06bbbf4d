/**
 * WCAG 2.2 AA in the browser: axe-core finds no serious or critical problem on any view of a room
 * with realistic content (every section filled), for each role.
 */
import { describe, expect, it } from 'vitest'
import { describeFindings, seriousAxeFindings } from '../helpers/axe.ts'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const VIEWS = ['Board', 'Pot', 'Protocol', 'Barriers', 'Actions', 'Outcomes', 'Snapshots']
let room: RealisticRoom | null = null
workshop.onCleanup(() => room?.writer.destroy())

describe('accessibility of every view', () => {
  for (const role of ['facilitator', 'participant', 'observer'] as const) {
    it(`has no serious or critical axe finding for a ${role}`, async () => {
      room ??= await realisticRoom(workshop.server)
      const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
      await joinWorkshop(
        page,
        `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens[role]}`,
        `Sam ${role}`,
        'Wiltshire Police',
        { waitLive: true },
      )
      const found: string[] = []
      for (const view of VIEWS) {
        await viewTab(page, view).click()
        await page
          .locator('main[aria-busy="true"]')
          .waitFor({ state: 'detached' })
          .catch(() => undefined)
        if (view === 'Board') await page.locator('.tl-canvas').waitFor()
        const findings = await seriousAxeFindings(page)
        if (findings.length > 0) found.push(`${view}:\n${describeFindings(findings)}`)
      }
      expect(found.join('\n\n')).toBe('')
    }, 60_000)
  }
})
