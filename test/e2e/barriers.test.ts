/**
 * Barriers and dot voting in real browsers against the built app: a participant raises a barrier
 * and the facilitator sees it, a dot vote ranks the barriers the same way on both screens, and a
 * card dragged to another status column moves for both (a forbidden column refuses with the rule).
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readBarriers } from '../../shared/barriers.ts'
import { readVotes, startVote } from '../../shared/votes.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, waitFor } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const newPage = (): Promise<Page> => workshop.newPage({ width: 1400, height: 900, defaultTimeout: 8000 })

const join = joinWorkshop

/** Opens the Barriers tab of the workshop shell. */
async function openBarriers(page: Page): Promise<void> {
  const tab = page.locator('nav[aria-label="Workshop views"]').getByRole('button', { name: 'Barriers' })
  await tab.waitFor({ timeout: 10_000 })
  await tab.click()
  await page.getByRole('heading', { name: 'Barriers', level: 2 }).waitFor()
}

const row = (page: Page, title: string): Locator => page.locator('tr[data-barrier-id]', { hasText: title })
const column = (page: Page, status: string): Locator => page.locator(`section.board-column[data-status="${status}"]`)
const card = (page: Page, status: string, title: string): Locator =>
  column(page, status).locator('li.board-card', { hasText: title })

/** The ranking's lines, top first, as "rank title dots". */
async function ranking(page: Page, name: string): Promise<string[]> {
  const items = page.getByRole('list', { name }).locator('li')
  return (await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())
}

/**
 * Drags a card with the mouse (a native HTML5 drag in Chromium) onto a column's top, running
 * `during` while the card is over it, before the drop.
 */
async function drag(page: Page, source: Locator, target: Locator, during?: () => Promise<void>): Promise<void> {
  await target.scrollIntoViewIfNeeded()
  await source.scrollIntoViewIfNeeded()
  // Pick the card up by its meta line (not a button or select), drop it under the column's heading.
  const from = (await source.locator('.board-card-meta').first().boundingBox())!
  const to = (await target.boundingBox())!
  await page.mouse.move(from.x + from.width - 4, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(from.x + from.width + 30, from.y + 40, { steps: 4 })
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 8 })
  await during?.()
  await page.mouse.up()
}

async function raise(
  page: Page,
  fields: { title: string; department?: string; champion?: string; impact?: string; families?: string; due?: string },
): Promise<void> {
  const form = page.getByRole('form', { name: 'Raise a barrier' })
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Raise a barrier' }).click()
  await form.getByLabel('Title').fill(fields.title)
  if (fields.department) await form.getByLabel('Owning department').selectOption(fields.department)
  if (fields.champion) await form.getByLabel('Whitehall champion').fill(fields.champion)
  if (fields.impact) await form.getByLabel('Impact (£)').fill(fields.impact)
  if (fields.families) await form.getByLabel('Families affected').fill(fields.families)
  if (fields.due) await form.getByLabel('Due date').fill(fields.due)
  await form.getByRole('button', { name: 'Raise barrier' }).click()
  await row(page, fields.title).waitFor()
}

describe('barriers and dot voting', () => {
  let facilitator: Page
  let participant: Page
  let observerLink = ''
  let participantLink = ''
  const errors: string[][] = []

  it('shows a barrier raised by one to the other, refusing bad values without losing them', async () => {
    facilitator = await newPage()
    errors.push(watchPage(facilitator).errors)
    await facilitator.goto(`${workshop.server.origin}/`)
    await facilitator.getByLabel('Workshop title').fill('Kent: barriers to the family programme')
    await facilitator.getByLabel('Your name').fill('Fiona Facilitator')
    await facilitator.getByLabel('Your organisation').fill('Communities and Local Government (CLG)')
    await facilitator.getByRole('button', { name: 'Create workshop' }).click()
    await facilitator.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    participantLink = await facilitator.getByLabel('Participants link').inputValue()
    observerLink = await facilitator.getByLabel('Observers link').inputValue()

    participant = await newPage()
    errors.push(watchPage(participant).errors)
    await join(participant, participantLink, 'Priya Participant', 'Kent County Council')
    await participant.getByRole('heading', { name: 'Kent: barriers to the family programme' }).waitFor()
    await openBarriers(facilitator)
    await openBarriers(participant)
    await participant.getByText('No barriers raised yet.').waitFor()

    // A bad amount and a missing title are refused with the schema's messages; what was typed stays.
    await participant.getByRole('button', { name: 'Raise a barrier' }).click()
    const form = participant.getByRole('form', { name: 'Raise a barrier' })
    expect(await form.getByLabel('Raised by').inputValue()).toBe('Kent County Council')
    await form.getByLabel('Whitehall champion').fill('Director General, DWP')
    await form.getByLabel('Impact (£)').fill('lots')
    await form.getByLabel('Families affected').fill('-3')
    await form.getByRole('button', { name: 'Raise barrier' }).click()
    const summary = form.getByRole('alert').filter({ hasText: 'The barrier was not raised' })
    await summary.getByText('Title: Give the barrier a title').waitFor()
    await summary.getByText('Impact (£): Not an amount: "lots"').waitFor()
    await summary.getByText('The number of families cannot be negative').waitFor()
    expect(await form.getByLabel('Whitehall champion').inputValue()).toBe('Director General, DWP')
    expect(await participant.locator('tr[data-barrier-id]').count()).toBe(0)

    await form.getByLabel('Families affected').fill('450')
    await raise(participant, {
      title: 'ESF funding cannot be pooled',
      department: 'DWP',
      impact: '£1.2m',
      due: '2012-03-31',
    })
    // The facilitator sees it appear, with the values as typed.
    const seen = row(facilitator, 'ESF funding cannot be pooled')
    await seen.waitFor({ timeout: 2000 })
    await seen.getByText('£1,200,000').waitFor()
    await seen.getByText('450 families').waitFor()
    await seen.getByText('Director General, DWP').waitFor()
    expect(await seen.getByLabel('Status of ESF funding cannot be pooled').inputValue()).toBe('raised')

    await raise(facilitator, { title: 'Data sharing with health', department: 'DH' })
    await raise(participant, { title: 'Payment by results rules', department: 'DWP' })
    await row(facilitator, 'Payment by results rules').waitFor({ timeout: 2000 })
    await row(participant, 'Data sharing with health').waitFor({ timeout: 2000 })
  })

  it('runs a dot vote: both place dots, the facilitator ends it, both see the same ranking', async () => {
    await facilitator.getByRole('button', { name: 'Start a dot vote' }).click()
    const start = facilitator.getByRole('form', { name: 'Start a dot vote' })
    expect(await start.getByLabel('Question').inputValue()).toBe('Which barriers matter most?')
    await start.getByLabel('Dots per person').fill('0')
    await start.getByRole('button', { name: 'Start vote' }).click()
    await start.getByRole('alert').getByText('Give everyone at least one dot').waitFor()
    await start.getByLabel('Dots per person').fill('2')
    await start.getByLabel('Hide results until the end').check()
    await start.getByRole('button', { name: 'Start vote' }).click()

    await facilitator.getByTestId('dots-left').getByText('You have 2 of 2 dots left').waitFor()
    await participant.getByTestId('dots-left').getByText('You have 2 of 2 dots left').waitFor({ timeout: 2000 })
    await participant.getByText('Results are hidden until the vote ends').waitFor()
    await facilitator.getByTestId('voters').getByText('0 people have voted').waitFor()

    // Fiona puts both her dots on data sharing; a third is refused.
    await facilitator.getByRole('button', { name: 'Place a dot on Data sharing with health' }).click()
    await facilitator.getByRole('button', { name: 'Place a dot on Data sharing with health' }).click()
    await facilitator.getByTestId('dots-left').getByText('You have 0 of 2 dots left').waitFor()
    await facilitator.getByRole('button', { name: 'Place a dot on ESF funding cannot be pooled' }).click()
    await facilitator.getByRole('alert').getByText('You have placed all 2 of your dots').waitFor()
    await facilitator.getByRole('img', { name: '2 of your dots' }).waitFor()

    // Priya places one on payment by results, then moves it (take back, place) to ESF, and one on data sharing.
    await participant.getByRole('button', { name: 'Place a dot on Payment by results rules' }).click()
    await participant.getByRole('button', { name: 'Take back a dot from Payment by results rules' }).click()
    await participant.getByRole('button', { name: 'Place a dot on ESF funding cannot be pooled' }).click()
    await participant.getByRole('button', { name: 'Place a dot on Data sharing with health' }).click()
    await participant.getByTestId('dots-left').getByText('You have 0 of 2 dots left').waitFor()
    await facilitator.getByTestId('voters').getByText('2 people have voted').waitFor({ timeout: 2000 })
    // Hidden: nobody sees the totals while the vote runs.
    expect(await participant.getByTestId('dot-total').count()).toBe(0)

    await facilitator.getByRole('button', { name: 'End vote' }).click()
    const expected = [
      '1 Data sharing with health 3 dots',
      '2 ESF funding cannot be pooled 1 dot',
      '3 Payment by results rules 0 dots',
    ]
    const name = 'Ranking: Which barriers matter most?'
    await participant.getByRole('list', { name }).waitFor({ timeout: 2000 })
    expect(await ranking(facilitator, name)).toEqual(expected)
    expect(await ranking(participant, name)).toEqual(expected)
    // The ended vote takes no more dots, and the register shows its totals.
    expect(await participant.getByRole('button', { name: /^Place a dot/ }).count()).toBe(0)
    expect(await row(participant, 'Data sharing with health').getByTestId('dot-total').innerText()).toMatch(/^3/)
  })

  it('moves a card to another status column for both, and refuses a column the rules forbid', async () => {
    await facilitator.getByRole('button', { name: 'Board by status' }).click()
    await participant.getByRole('button', { name: 'Board by status' }).click()
    await card(participant, 'raised', 'ESF funding cannot be pooled').waitFor()

    // Drag ESF from Raised to With department; while dragging, forbidden columns are marked.
    await drag(
      facilitator,
      card(facilitator, 'raised', 'ESF funding cannot be pooled'),
      column(facilitator, 'with-department'),
      async () => {
        expect(await column(facilitator, 'flexibility-agreed').getAttribute('data-drop')).toBe('forbidden')
        expect(await column(facilitator, 'with-department').getAttribute('data-drop')).toBe('allowed')
        await column(facilitator, 'flexibility-agreed').getByText('Not allowed from raised').waitFor()
      },
    )

    await card(participant, 'with-department', 'ESF funding cannot be pooled').waitFor({ timeout: 2000 })
    await card(facilitator, 'with-department', 'ESF funding cannot be pooled').waitFor()

    // With department cannot go straight to Resolved: the drop is refused with the rule.
    await drag(
      participant,
      card(participant, 'with-department', 'ESF funding cannot be pooled'),
      column(participant, 'resolved'),
    )
    await participant
      .getByRole('alert')
      .getByText(
        'A barrier that is with department can move to: Flexibility agreed, Flexibility refused, Escalated, Raised.',
      )
      .waitFor()
    await card(participant, 'with-department', 'ESF funding cannot be pooled').waitFor()

    // By keyboard: the card's status select.
    await card(participant, 'raised', 'Data sharing with health')
      .getByLabel('Status of Data sharing with health')
      .selectOption('escalated')
    await card(facilitator, 'escalated', 'Data sharing with health').waitFor({ timeout: 2000 })
    for (const list of errors) expect(list).toEqual([])
  })

  it('shows an observer everything but offers no controls', async () => {
    const observer = await newPage()
    await join(observer, observerLink, 'Olu Observer', 'HM Treasury')
    await openBarriers(observer)
    await row(observer, 'ESF funding cannot be pooled').waitFor()
    expect(await ranking(observer, 'Ranking: Which barriers matter most?')).toHaveLength(3)
    expect(await observer.getByRole('button', { name: 'Raise a barrier' }).count()).toBe(0)
    expect(await observer.getByRole('combobox', { name: /^Status of/ }).count()).toBe(0)
    await row(observer, 'ESF funding cannot be pooled')
      .getByRole('button', { name: 'ESF funding cannot be pooled', exact: true })
      .click()
    await observer.getByText('Director General, DWP').first().waitFor()
    expect(await observer.getByRole('button', { name: 'Save changes' }).count()).toBe(0)
    expect(await observer.getByRole('button', { name: /^Delete/ }).count()).toBe(0)
  })

  it('counts a timed vote down, and the facilitator’s client ends it when the time is up', async () => {
    await facilitator.getByRole('button', { name: 'List', exact: true }).click()
    // A vote of one minute that started 55 s ago, written by a co-facilitator's client (only
    // facilitators start votes: the server refuses anyone else's).
    const roomId = new URL(participantLink).pathname.split('/')[2]!
    const facilitatorToken = await facilitator.evaluate((id) => localStorage.getItem(`commonpot.token.${id}`), roomId)
    const client = connect(workshop.server, roomId, facilitatorToken!)
    await client.firstSync
    const voteId = startVote(
      client.doc,
      { title: 'Quick check', dotsPerPerson: 1, durationMinutes: 1, visibility: 'live' },
      { userId: 'u-x', name: 'Xavier', organisation: 'Hull City Council' },
      Date.now() - 55_000,
    )
    await participant.getByRole('timer').waitFor()
    expect(await participant.getByRole('timer').innerText()).toMatch(/^0:0\d$/)
    await participant.getByRole('button', { name: 'Place a dot on Payment by results rules' }).click()
    await waitFor(
      () => readVotes(client.doc).find((v) => v.id === voteId)?.status === 'ended',
      10_000,
      'the vote ended by the facilitator',
    )
    const vote = readVotes(client.doc).find((v) => v.id === voteId)!
    expect(vote.results[0]).toMatchObject({ title: 'Payment by results rules', dots: 1, rank: 1 })
    expect(vote.results).toHaveLength(readBarriers(client.doc).length)
    await participant.getByRole('list', { name: 'Ranking: Quick check' }).waitFor()
    // The earlier vote is listed with its date and ranking.
    await participant.getByText('Past votes').click()
    await participant.getByRole('list', { name: /^Ranking: Which barriers matter most\?, / }).waitFor()
    client.destroy()
  })

  it('edits a barrier in place for everyone and deletes one only after confirming', async () => {
    await participant.getByRole('button', { name: 'List', exact: true }).click()
    await row(participant, 'Data sharing with health')
      .getByRole('button', { name: 'Data sharing with health', exact: true })
      .click()
    const edit = participant.getByRole('form', { name: 'Edit Data sharing with health' })
    await edit.getByLabel('Whitehall champion').fill('Permanent Secretary, DH')
    await edit.getByLabel('Families affected').fill('many')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await edit
      .getByRole('alert')
      .getByText('Families affected: Enter the number of families as a whole number')
      .waitFor()
    expect(await edit.getByLabel('Whitehall champion').inputValue()).toBe('Permanent Secretary, DH')
    await edit.getByLabel('Families affected').fill('1,200')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    const seen = row(facilitator, 'Data sharing with health')
    await seen.getByText('Permanent Secretary, DH').waitFor({ timeout: 2000 })
    await seen.getByText('1,200 families').waitFor()

    await raise(facilitator, { title: 'Raised by mistake' })
    await row(participant, 'Raised by mistake').waitFor({ timeout: 2000 })
    await row(facilitator, 'Raised by mistake').getByRole('button', { name: 'Raised by mistake', exact: true }).click()
    await facilitator.getByRole('button', { name: 'Delete Raised by mistake…' }).click()
    await facilitator
      .getByRole('group', { name: 'Confirm deleting Raised by mistake' })
      .getByRole('button', { name: 'Keep it' })
      .click()
    expect(await row(facilitator, 'Raised by mistake').count()).toBe(1)
    await facilitator.getByRole('button', { name: 'Delete Raised by mistake…' }).click()
    await facilitator.getByRole('button', { name: 'Delete barrier' }).click()
    await participant
      .locator('tr[data-barrier-id]', { hasText: 'Raised by mistake' })
      .waitFor({ state: 'detached', timeout: 2000 })
    for (const list of errors) expect(list).toEqual([])
  })
})
