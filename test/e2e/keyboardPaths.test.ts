/**
 * Keyboard-only paths (WCAG 2.1.1): a participant adds a pot line, states a position, raises a
 * barrier and places a dot in a vote with the keyboard alone: Tab to move, typing, Enter or Space
 * to act. `tabTo` presses Tab until the control is reached, so each step proves it can be reached.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readBarriers } from '../../shared/barriers.ts'
import { readClauses } from '../../shared/protocol.ts'
import { readPotLines } from '../../shared/pot.ts'
import { readVotes, startVote } from '../../shared/votes.ts'
import { watchPage } from '../helpers/browser.ts'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { waitFor } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
let room: RealisticRoom | null = null
workshop.onCleanup(() => room?.writer.destroy())

/** Presses Tab (Shift+Tab when `back`) until the focused element's accessible name matches. */
async function tabTo(page: Page, name: RegExp, { back = false, max = 200 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el) return ''
      const labelled = el.getAttribute('aria-label')
      if (labelled) return labelled
      const id = el.id
      const label = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent : null
      return (label ?? el.textContent ?? '').trim()
    })
    if (name.test(focused)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`${name} was not reached with the keyboard`)
}

describe('keyboard-only paths', () => {
  it('adds a pot line, states a position, raises a barrier and votes without a mouse', async () => {
    room = await realisticRoom(workshop.server)
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    const watch = watchPage(page)
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.participant}`,
      'Pat Participant',
      'Department for Work and Pensions (DWP)',
      { waitLive: true },
    )
    const doc = room.writer.doc
    const views = page.locator('nav[aria-label="Workshop views"]')
    const openView = async (name: string) => {
      await views.getByRole('button', { name, exact: true }).focus()
      await page.keyboard.press('Enter')
    }

    // A pot line.
    await openView('Pot')
    const linesBefore = readPotLines(doc).length
    await tabTo(page, /^Partner$/)
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Wiltshire Police')
    await tabTo(page, /^Amount$/)
    await page.keyboard.type('£250k')
    await tabTo(page, /^Add contribution$/)
    await page.keyboard.press('Enter')
    await waitFor(() => readPotLines(doc).length === linesBefore + 1, 5000, 'the new line')
    expect(readPotLines(doc).at(-1)).toMatchObject({ partner: 'Wiltshire Police', amount: 250_000_00 })

    // A position on the proposed clause (Purpose).
    await openView('Protocol')
    await tabTo(page, /^Position of .* on Purpose$/)
    await page.keyboard.press('End') // the last choice: Block
    await tabTo(page, /^Reason for the position on Purpose$/)
    await page.keyboard.type('Needs a clause on ESF')
    await page.keyboard.press('Enter')
    const purpose = () => readClauses(doc).find((c) => c.title === 'Purpose')!
    await waitFor(
      () => purpose().positions.get('Department for Work and Pensions (DWP)')?.position === 'block',
      5000,
      'the block',
    )

    // A barrier.
    await openView('Barriers')
    await tabTo(page, /^Raise a barrier$/)
    await page.keyboard.press('Enter')
    await page.keyboard.type('Data sharing between DWP and the council')
    await tabTo(page, /^Raise barrier$/)
    await page.keyboard.press('Enter')
    await waitFor(
      () => readBarriers(doc).some((b) => b.title === 'Data sharing between DWP and the council'),
      5000,
      'the barrier',
    )

    // A dot, in a vote the facilitator starts.
    startVote(
      doc,
      { title: 'Which barrier first?', dotsPerPerson: 3, durationMinutes: null, visibility: 'live' },
      room.actor,
      Date.now(),
    )
    await page.getByRole('button', { name: /^Place a dot on ESF cannot be pooled at source$/ }).waitFor()
    await tabTo(page, /^Place a dot on ESF cannot be pooled at source$/, { back: true })
    await page.keyboard.press('Space')
    await waitFor(() => (readVotes(doc)[0]?.dots.size ?? 0) === 1, 5000, 'the dot')
    expect(watch.errors).toEqual([])
  }, 90_000)
})
