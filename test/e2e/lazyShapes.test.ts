/**
 * Shapes out of view are drawn only once they come into it (client/board/lazyShapes.tsx): a
 * board opened far from a shape has the shape's container but not its content; panning to it
 * draws it, with its label, and it stays drawn; a picture of the whole board has it either way.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()

type BoardWindow = {
  __commonpotEditor?: {
    createShapes(shapes: object[]): void
    getShape(id: string): object | undefined
    centerOnPoint(point: { x: number; y: number }): void
    getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
    getCurrentPageShapeIds(): Set<string>
  }
}

const label = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
})

/** How many elements a shape's container holds on the page (0: not drawn), or -1 when it has none. */
const drawnElements = (page: Page, id: string) =>
  page.evaluate((id) => document.querySelector(`.tl-shape[data-shape-id="${id}"]`)?.childElementCount ?? -1, id)

const shape = (page: Page, id: string) => page.locator(`.tl-shape[data-shape-id="${id}"]`)

async function openBoard(page: Page, link: string, name: string, organisation: string): Promise<void> {
  await joinWorkshop(page, link, name, organisation, { waitLive: true })
  await page.waitForFunction(() => Boolean((window as unknown as BoardWindow).__commonpotEditor), null, {
    timeout: 20_000,
  })
}

describe('shapes out of view', () => {
  it('are drawn once they come into view, stay drawn, and are in a picture of the board either way', async () => {
    const room = await createRoom(workshop.server, 'Swindon: lazy board')
    const link = (token: string) => `${workshop.server.origin}/r/${room.roomId}?token=${token}`
    const fiona = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    await openBoard(fiona, link(room.tokens.facilitator), 'Fiona Facilitator', 'Swindon Borough Council')
    await fiona.evaluate(
      ([near, far]) => {
        ;(window as unknown as BoardWindow).__commonpotEditor!.createShapes([
          { id: 'shape:near', type: 'geo', x: 100, y: 100, props: { w: 240, h: 120, richText: near } },
          { id: 'shape:far', type: 'geo', x: 40_000, y: 30_000, props: { w: 240, h: 120, richText: far } },
        ])
      },
      [label('Pooled budget'), label('ESF match funding')],
    )

    // Pat opens the board afterwards, where the near shape is.
    const pat = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    const errors = watchPage(pat).errors
    await openBoard(pat, link(room.tokens.participant), 'Pat Participant', 'Department of Health (DH)')
    await pat.waitForFunction(
      () => (window as unknown as BoardWindow).__commonpotEditor!.getCurrentPageShapeIds().size === 2,
    )
    await shape(pat, 'shape:far').waitFor({ state: 'attached' })
    await expect.poll(() => drawnElements(pat, 'shape:near')).toBeGreaterThan(0)
    await shape(pat, 'shape:near').getByText('Pooled budget').waitFor({ state: 'visible' })
    expect(await drawnElements(pat, 'shape:far')).toBe(0)

    // A picture of the whole board draws every shape, in view or not.
    const svg = await pat.evaluate(async () => {
      const editor = (window as unknown as BoardWindow).__commonpotEditor!
      return (await editor.getSvgString(['shape:near', 'shape:far']))?.svg ?? ''
    })
    expect(svg).toContain('Pooled budget')
    expect(svg).toContain('ESF match funding')

    // Panning to it draws it, label and all.
    await pat.evaluate(() =>
      (window as unknown as BoardWindow).__commonpotEditor!.centerOnPoint({ x: 40_120, y: 30_060 }),
    )
    await expect.poll(() => drawnElements(pat, 'shape:far')).toBeGreaterThan(0)
    await shape(pat, 'shape:far').getByText('ESF match funding').waitFor({ state: 'visible' })
    // Back again: the near one is in view, the far one out of view but still drawn (hidden by tldraw).
    await pat.evaluate(() => (window as unknown as BoardWindow).__commonpotEditor!.centerOnPoint({ x: 220, y: 160 }))
    await shape(pat, 'shape:near').getByText('Pooled budget').waitFor({ state: 'visible' })
    expect(await drawnElements(pat, 'shape:far')).toBeGreaterThan(0)
    expect(errors).toEqual([])
  })
})
