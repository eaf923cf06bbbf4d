/**
 * Running a workshop in two real browser contexts: the shared timer agrees across screens, "bring
 * everyone to me" moves a participant to the facilitator's tab and board viewport, and a locked
 * pot cannot be edited by a participant.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()

async function openAs(link: string, name: string, organisation: string): Promise<Page> {
  const page = await workshop.newPage()
  await joinWorkshop(page, link, name, organisation, { waitLive: true })
  return page
}

type Camera = { x: number; y: number; z: number }
const tab = viewTab
const seconds = (text: string) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0)

describe('running a workshop', () => {
  let facilitator: Page
  let participant: Page

  it('shows the facilitator’s timer on both screens within a second of each other', async () => {
    const room = await createRoom(workshop.server, 'Essex: running the workshop')
    facilitator = await openAs(
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Essex County Council',
    )
    participant = await openAs(
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.participant}`,
      'Pat Participant',
      'Department for Work and Pensions (DWP)',
    )
    const watch = watchPage(participant)

    const minutes = facilitator.getByLabel('Timer minutes')
    await minutes.fill('3')
    await facilitator.getByRole('button', { name: 'Start', exact: true }).click()
    // The participant has no controls, only the time.
    expect(await participant.getByRole('button', { name: 'Start', exact: true }).count()).toBe(0)
    await participant.locator('.timer-running').waitFor({ timeout: 5000 })
    for (let i = 0; i < 3; i++) {
      const [a, b] = await Promise.all([
        facilitator.getByTestId('timer-remaining').textContent(),
        participant.getByTestId('timer-remaining').textContent(),
      ])
      expect(seconds(a!)).toBeGreaterThan(150)
      expect(seconds(a!)).toBeLessThanOrEqual(180)
      expect(Math.abs(seconds(a!) - seconds(b!))).toBeLessThanOrEqual(1)
      await facilitator.waitForTimeout(700)
    }
    await facilitator.getByRole('button', { name: 'Pause' }).click()
    await participant.locator('.timer-paused').waitFor({ timeout: 5000 })
    const [a, b] = await Promise.all([
      facilitator.getByTestId('timer-remaining').textContent(),
      participant.getByTestId('timer-remaining').textContent(),
    ])
    expect(a).toBe(b)
    expect(watch.errors).toEqual([])
  })

  it('brings everyone to the facilitator’s tab and board viewport, until they stop following', async () => {
    await facilitator.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await participant.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await facilitator.getByRole('button', { name: 'Bring everyone to me' }).click()
    await participant.getByTestId('follow-banner').getByText('Following Fiona Facilitator').waitFor({ timeout: 5000 })

    // The facilitator moves the board; the participant's camera follows.
    await facilitator.evaluate(() =>
      (window as unknown as { __commonpotEditor: { setCamera(c: Camera): void } }).__commonpotEditor.setCamera({
        x: -820,
        y: 310,
        z: 0.5,
      }),
    )
    await participant.waitForFunction(
      () => {
        const c = (window as unknown as { __commonpotEditor?: { getCamera(): Camera } }).__commonpotEditor?.getCamera()
        return c !== undefined && Math.abs(c.x + 820) < 1 && Math.abs(c.y - 310) < 1 && Math.abs(c.z - 0.5) < 0.01
      },
      null,
      { timeout: 5000 },
    )

    // The facilitator opens the Protocol; so does the participant.
    await tab(facilitator, 'Protocol').click()
    await participant
      .locator('nav[aria-label="Workshop views"] [aria-current="page"]', { hasText: 'Protocol' })
      .waitFor({ timeout: 5000 })

    // The participant stops following and stays put when the facilitator moves on.
    await participant.getByRole('button', { name: 'Stop following' }).click()
    await tab(facilitator, 'Pot').click()
    await facilitator.waitForTimeout(800)
    expect(await participant.locator('nav[aria-label="Workshop views"] [aria-current="page"]').textContent()).toBe(
      'Protocol',
    )
    expect(await participant.getByTestId('follow-banner').count()).toBe(0)
  })

  it('makes a locked pot read-only for the participant, showing who locked it', async () => {
    await tab(participant, 'Pot').click()
    await participant.getByRole('button', { name: 'Add contribution' }).waitFor()
    await facilitator.getByRole('button', { name: 'Workshop', exact: true }).click()
    // The box reflects the document, so it ticks once the lock is written.
    await facilitator.getByLabel('Lock the pot').click()
    await participant.getByTestId('lock-pot').getByText('locked by Fiona Facilitator').waitFor({ timeout: 5000 })
    expect(await participant.getByRole('button', { name: 'Add contribution' }).count()).toBe(0)
    // The facilitator can still edit it.
    await tab(facilitator, 'Pot').click()
    await facilitator.getByRole('button', { name: 'Add contribution' }).waitFor()
    await facilitator.getByLabel('Lock the pot').click()
    await participant.getByRole('button', { name: 'Add contribution' }).waitFor({ timeout: 5000 })
  })
})
