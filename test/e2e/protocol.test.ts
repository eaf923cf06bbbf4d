/**
 * The Protocol view in real browsers against the built app: a comment thread on a clause seen,
 * resolved and reopened across two people; a clause dragged by its handle to the top, reordered
 * for both; and an observer who reads the thread but gets no form and no handles.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/api.ts'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const newPage = (): Promise<Page> => workshop.newPage({ width: 1280, height: 900, defaultTimeout: 8000 })

/** Joins through an invite link and opens the Protocol tab. */
async function joinProtocol(page: Page, link: string, name: string, organisation: string): Promise<void> {
  await page.goto(link)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your organisation').fill(organisation)
  await page.getByRole('button', { name: 'Join workshop' }).click()
  await page.locator('[data-status="live"]').waitFor({ timeout: 10_000 })
  await page.getByRole('button', { name: 'Protocol', exact: true }).click()
  await page.getByRole('heading', { name: 'Protocol', level: 2 }).waitFor()
}

const clause = (page: Page, title: string): Locator => page.getByRole('article', { name: title })
const comment = (page: Page, title: string, text: string): Locator =>
  clause(page, title).locator('li.comment', { hasText: text })

/** Clause titles in the order shown. */
function titles(page: Page): Promise<string[]> {
  return page
    .locator('.clauses > article h3')
    .evaluateAll((headings) => headings.map((h) => (h.textContent ?? '').replace(/^\d+\.\s*/, '')))
}

describe('the protocol: comments and reordering', () => {
  let room: CreateRoomResponse
  let fiona: Page
  let pat: Page
  const errors: string[][] = []

  it('shows a comment from one to the other, resolved by the other and reopened', async () => {
    room = await createRoom(workshop.server, 'Kent: protocol comments')
    fiona = await newPage()
    pat = await newPage()
    errors.push(watchPage(fiona).errors, watchPage(pat).errors)
    await joinProtocol(fiona, room.links.facilitator, 'Fiona Facilitator', 'Kent County Council')
    await joinProtocol(pat, room.links.participant, 'Pat Participant', 'Department for Work and Pensions (DWP)')
    await fiona.getByRole('button', { name: 'Start from the pooled budget template' }).click()
    await clause(pat, 'Purpose').getByText('turn around the lives of families').waitFor({ timeout: 3000 })

    // Fiona opens Purpose's thread; an empty comment is refused with a message.
    await clause(fiona, 'Purpose').getByRole('button', { name: 'Comments (0 open)' }).click()
    const box = clause(fiona, 'Purpose').getByLabel('Comment on Purpose')
    await clause(fiona, 'Purpose').getByRole('button', { name: 'Comment', exact: true }).click()
    await clause(fiona, 'Purpose').getByRole('alert').getByText('Write a comment first.').waitFor()

    // Ctrl+Enter sends; the box empties.
    await box.fill('Should this name the Troubled Families programme?')
    await box.press('Control+Enter')
    await comment(fiona, 'Purpose', 'Troubled Families').waitFor()
    expect(await box.inputValue()).toBe('')
    expect(await clause(fiona, 'Purpose').getByRole('alert').count()).toBe(0)

    // Pat sees the count, opens the thread and reads it with Fiona's name and organisation.
    const toggle = clause(pat, 'Purpose').getByRole('button', { name: 'Comments (1 open)' })
    await toggle.waitFor({ timeout: 2000 })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    const seen = comment(pat, 'Purpose', 'Should this name the Troubled Families programme?')
    await seen.getByText('Fiona Facilitator').waitFor()
    await seen.getByText('Kent County Council').waitFor()
    await seen.getByText('just now').waitFor()

    // Pat answers (the button this time), then resolves Fiona's comment.
    await clause(pat, 'Purpose').getByLabel('Comment on Purpose').fill('Yes, DWP would like that.')
    await clause(pat, 'Purpose').getByRole('button', { name: 'Comment', exact: true }).click()
    await comment(fiona, 'Purpose', 'DWP would like that').waitFor({ timeout: 2000 })
    await seen.getByRole('button', { name: 'Resolve comment by Fiona Facilitator' }).click()

    // Fiona sees it folded to "Resolved by Pat Participant", and the open count drop to 1.
    const resolved = comment(fiona, 'Purpose', 'Resolved by Pat Participant')
    await resolved.waitFor({ timeout: 2000 })
    await clause(fiona, 'Purpose').getByRole('button', { name: 'Comments (1 open)' }).waitFor()
    expect(await resolved.getAttribute('class')).toContain('comment-resolved')
    // The order stays oldest first.
    expect(await clause(fiona, 'Purpose').locator('li.comment').count()).toBe(2)
    expect(await clause(fiona, 'Purpose').locator('li.comment').first().getAttribute('class')).toContain(
      'comment-resolved',
    )

    // Fiona reopens it; Pat sees it open again.
    await resolved.getByRole('button', { name: 'Reopen comment by Fiona Facilitator' }).click()
    await clause(pat, 'Purpose').getByRole('button', { name: 'Comments (2 open)' }).waitFor({ timeout: 2000 })
    await seen.getByRole('button', { name: 'Resolve comment by Fiona Facilitator' }).waitFor()
  })

  it('reorders a clause dragged by its handle above the first, for both', async () => {
    const before = await titles(fiona)
    expect(before.slice(0, 3)).toEqual(['Purpose', 'Partners', 'Contributions and the virtual pot'])
    const third = before[2]!
    // Fold Fiona's thread away, so that both clauses fit on screen (Playwright cannot scroll mid-drag).
    await clause(fiona, 'Purpose').getByRole('button', { name: 'Comments (2 open)' }).click()
    await clause(fiona, 'Purpose').locator('.comment-thread').waitFor({ state: 'detached' })

    await clause(fiona, third)
      .getByRole('img', { name: `Drag ${third} to reorder` })
      .dragTo(clause(fiona, 'Purpose'), { targetPosition: { x: 200, y: 10 } })
    const expected = [third, ...before.filter((t) => t !== third)]
    await fiona.waitForFunction(
      (first) => document.querySelector('.clauses > article h3')?.textContent?.includes(first),
      third,
      { timeout: 2000 },
    )
    expect(await titles(fiona)).toEqual(expected)
    await pat.waitForFunction(
      (first) => document.querySelector('.clauses > article h3')?.textContent?.includes(first),
      third,
      { timeout: 2000 },
    )
    expect(await titles(pat)).toEqual(expected)
    // No drop indicator is left behind.
    expect(await fiona.locator('.clause-drop-before, .clause-drop-after, .clause-dragging').count()).toBe(0)

    // Selecting text in a clause editor by dragging the mouse selects text and moves nothing.
    const paragraph = clause(pat, 'Purpose').locator('.clause-editor__content p').first()
    await paragraph.scrollIntoViewIfNeeded()
    const area = (await paragraph.boundingBox())!
    // Along the first line of the paragraph.
    await pat.mouse.move(area.x + 4, area.y + 10)
    await pat.mouse.down()
    await pat.mouse.move(area.x + 200, area.y + 10, { steps: 8 })
    await pat.mouse.up()
    expect((await pat.evaluate(() => window.getSelection()?.toString() ?? '')).length).toBeGreaterThan(3)
    expect(await titles(pat)).toEqual(expected)
    expect(await titles(fiona)).toEqual(expected)
    for (const list of errors) expect(list).toEqual([])
  })

  it('shows an observer the thread but no comment form, no resolve buttons and no handles', async () => {
    const olu = await newPage()
    await joinProtocol(olu, room.links.observer, 'Olu Observer', 'HM Treasury')
    await clause(olu, 'Purpose').getByRole('button', { name: 'Comments (2 open)' }).click()
    await comment(olu, 'Purpose', 'Troubled Families').waitFor()
    expect(await olu.getByLabel('Comment on Purpose').count()).toBe(0)
    expect(await olu.getByRole('button', { name: /^Resolve comment/ }).count()).toBe(0)
    expect(await olu.getByRole('img', { name: /to reorder$/ }).count()).toBe(0)
    expect(await olu.locator('[draggable="true"]').count()).toBe(0)
  })
})
