/**
 * Actions, decisions and live barrier/action cards in real browsers against the built app: an
 * action started from a barrier is linked back to it for everyone, a past due date shows as
 * overdue, a decision collects agreement from both sides, and barriers and actions placed on the
 * board follow the register on every board.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readActionItems } from '../../shared/actions.ts'
import { addBarrier, deleteBarrier, DEFAULT_BARRIER, setBarrierStatus } from '../../shared/barriers.ts'
import type { Actor } from '../../shared/ledger.ts'
import { openCanvas } from '../../shared/schema.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { downloadFromMenu, joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))
const newPage = (): Promise<Page> => workshop.newPage({ width: 1400, height: 900, defaultTimeout: 8000 })

const join = joinWorkshop

const tab = viewTab

async function openActions(page: Page): Promise<void> {
  await tab(page, 'Actions').click()
  await page.getByRole('heading', { name: 'Actions and decisions', level: 2 }).waitFor()
}

async function waitForBoard(page: Page): Promise<void> {
  await page.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
  await page.waitForFunction(
    () => Boolean((window as unknown as { __commonpotEditor?: unknown }).__commonpotEditor),
    null,
    { timeout: 20_000 },
  )
}

/** Shape types on the current page, through the editor the board exposes for tests. */
function shapeIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __commonpotEditor: { getCurrentPageShapes(): { id: string }[] } }).__commonpotEditor
      .getCurrentPageShapes()
      .map((s) => s.id),
  )
}

/** An action's row: found by its description field where it can be edited, by its text where it cannot. */
const actionRow = (page: Page, what: string): Locator =>
  page
    .locator('tr[data-action-id]')
    .filter({ has: page.getByLabel(`Description of ${what}`, { exact: true }) })
    .or(page.locator('tr[data-action-id]', { hasText: what }))
const barrierCard = (page: Page): Locator => page.locator('.tl-shape[data-shape-type="barrier"] .board-card')
const actionCard = (page: Page): Locator => page.locator('.tl-shape[data-shape-type="action"] .board-card')

const BARRIER = 'ESF money cannot be pooled at source'
const FOLLOW_UP = 'DWP to confirm whether ESF can be aligned instead'
const LATE = 'DH will hold a workshop with the 16 areas'
const DECISION = 'The Troubled Families money is pooled from April'

describe('actions and decisions', () => {
  let facilitator: Page
  let participant: Page
  let observerLink = ''
  let roomId = ''
  let client: TestClient
  let barrierId = ''
  const errors: string[][] = []
  const writer: Actor = { userId: 'node-writer', name: 'Kim Kent', organisation: 'Swindon Borough Council' }

  it('starts an action from a barrier, linked back to it, and the other side sees it with its link', async () => {
    facilitator = await newPage()
    errors.push(watchPage(facilitator).errors)
    await facilitator.goto(`${workshop.server.origin}/`)
    await facilitator.getByLabel('Workshop title').fill('Swindon: barriers and actions')
    await facilitator.getByLabel('Your name').fill('Fiona Facilitator')
    await facilitator.getByLabel('Your organisation').fill('Swindon Borough Council')
    await facilitator.getByRole('button', { name: 'Create workshop' }).click()
    await facilitator.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    roomId = new URL(facilitator.url()).pathname.split('/')[2]!
    const participantLink = await facilitator.getByLabel('Participants link').inputValue()
    observerLink = await facilitator.getByLabel('Observers link').inputValue()

    participant = await newPage()
    errors.push(watchPage(participant).errors)
    await join(participant, participantLink, 'Pat Participant', 'Department of Health (DH)')
    await participant.getByRole('heading', { name: 'Swindon: barriers and actions' }).waitFor()

    // A barrier in the register, written by a third client.
    client = connect(workshop.server, roomId, new URL(participantLink).searchParams.get('token')!)
    clients.push(client)
    await client.firstSync
    barrierId = addBarrier(
      client.doc,
      { ...DEFAULT_BARRIER, title: BARRIER, raisedBy: 'Swindon Borough Council', department: 'DWP' },
      writer,
      Date.now(),
    )

    // The facilitator opens it in the Barriers tab and starts an action from it.
    await tab(facilitator, 'Barriers').click()
    await facilitator.getByRole('button', { name: BARRIER, exact: true }).click()
    await facilitator.locator('section.barrier-details').getByRole('button', { name: 'Create action' }).click()

    // The Actions tab opens with the add form focused and the barrier attached, visibly.
    const form = facilitator.getByRole('form', { name: 'Add an action' })
    await form.getByTestId('link-from').getByText(`Linked to barrier: ${BARRIER}`).waitFor()
    expect(await tab(facilitator, 'Actions').getAttribute('aria-current')).toBe('page')
    const what = form.getByLabel('What is to be done')
    await facilitator.waitForFunction(
      () => document.activeElement?.closest('form')?.getAttribute('aria-label') === 'Add an action',
    )
    expect(await what.evaluate((el) => el === document.activeElement)).toBe(true)

    // Refused without a description: the schema's message, and nothing typed is lost.
    await form.getByLabel('Owner (person)').fill('Dee Walker')
    await form.getByLabel('Owning organisation').fill('Department for Work and Pensions (DWP)')
    await form.getByRole('button', { name: 'Add action' }).click()
    await form.getByRole('alert').getByText('Say what is to be done').waitFor()
    expect(await form.getByLabel('Owner (person)').inputValue()).toBe('Dee Walker')
    expect(await form.getByLabel('Owning organisation').inputValue()).toBe('Department for Work and Pensions (DWP)')
    await form.getByTestId('link-from').waitFor()
    expect(readActionItems(client.doc)).toEqual([])

    await what.fill(FOLLOW_UP)
    await form.getByLabel('Due date').fill('2099-03-31')
    await form.getByRole('button', { name: 'Add action' }).click()

    // The action shows its link back to the barrier; the form is ready for the next one.
    const row = actionRow(facilitator, FOLLOW_UP)
    await row.locator('.link-chip.link-barrier', { hasText: BARRIER }).waitFor()
    expect(await form.getByTestId('link-from').count()).toBe(0)
    expect(await row.getByLabel(`Owner (person) of ${FOLLOW_UP}`).inputValue()).toBe('Dee Walker')

    // The other side sees it appear, with its link.
    await openActions(participant)
    await actionRow(participant, FOLLOW_UP)
      .locator('.link-chip.link-barrier', { hasText: BARRIER })
      .waitFor({ timeout: 3000 })
    await waitFor(() => readActionItems(client.doc).length === 1, 3000, 'the action to reach the third client')
    expect(readActionItems(client.doc)[0]).toMatchObject({
      kind: 'action',
      what: FOLLOW_UP,
      ownerOrganisation: 'Department for Work and Pensions (DWP)',
      dueDate: '2099-03-31',
      links: [{ kind: 'barrier', id: barrierId }],
    })
  })

  it('shows an action with a past due date as overdue on both screens, and counts it', async () => {
    // Edited in place, a bad value is refused with the schema's message and stays to be corrected.
    const owner = actionRow(facilitator, FOLLOW_UP).getByLabel(`Owning organisation of ${FOLLOW_UP}`)
    await owner.fill('  ')
    await owner.press('Enter')
    await actionRow(facilitator, FOLLOW_UP)
      .getByRole('alert')
      .getByText('Say which organisation owns the action')
      .waitFor()
    expect(await owner.inputValue()).toBe('  ')
    expect(await owner.getAttribute('aria-invalid')).toBe('true')
    await owner.press('Escape')
    expect(await owner.inputValue()).toBe('Department for Work and Pensions (DWP)')
    expect(await actionRow(facilitator, FOLLOW_UP).getByRole('alert').count()).toBe(0)

    await facilitator.getByRole('form', { name: 'Add an action' }).getByLabel('What is to be done').fill(LATE)
    await facilitator
      .getByRole('form', { name: 'Add an action' })
      .getByLabel('Owning organisation')
      .fill('Department of Health (DH)')
    await facilitator.getByRole('form', { name: 'Add an action' }).getByLabel('Due date').fill('2012-02-15')
    await facilitator.getByRole('form', { name: 'Add an action' }).getByRole('button', { name: 'Add action' }).click()

    for (const page of [facilitator, participant]) {
      await actionRow(page, LATE).locator('.overdue-badge', { hasText: 'Overdue' }).waitFor({ timeout: 3000 })
      expect(await actionRow(page, LATE).getAttribute('class')).toContain('overdue')
      expect(await actionRow(page, FOLLOW_UP).locator('.overdue-badge').count()).toBe(0)
      expect(await page.getByTestId('overdue-count').textContent()).toBe('1 overdue')
    }
    // Sorted by due date, the overdue one comes first.
    expect(await participant.locator('tr[data-action-id]').first().getAttribute('data-action-id')).toBe(
      await actionRow(participant, LATE).getAttribute('data-action-id'),
    )
    // The participant filters to what is overdue.
    await participant
      .getByRole('group', { name: 'Show', exact: true })
      .getByRole('button', { name: /Overdue/ })
      .click()
    await participant.getByText('Showing 1 of 2').waitFor()
    expect(await participant.locator('tr[data-action-id]').count()).toBe(1)

    // The facilitator places it on the board: the card says it is overdue.
    await facilitator.getByRole('button', { name: `Place on board: ${LATE}` }).click()
    await waitForBoard(facilitator)
    await actionCard(facilitator).getByText(LATE).waitFor({ timeout: 5000 })
    await actionCard(facilitator).getByText('Overdue').waitFor()
    await actionCard(facilitator).getByText('Due 15 Feb 2012').waitFor()

    // Done is no longer overdue: for both, and on the card.
    await participant.getByLabel(`Status of ${LATE}`).selectOption('done')
    await participant.getByText('Nothing is overdue.').waitFor({ timeout: 3000 })
    await actionCard(facilitator).getByText('Done').waitFor({ timeout: 3000 })
    expect(await actionCard(facilitator).getByText('Overdue').count()).toBe(0)
    await participant.getByRole('group', { name: 'Show', exact: true }).getByRole('button', { name: /All/ }).click()
  })

  it('records a decision that organisations agree from both sides', async () => {
    await openActions(facilitator)
    await facilitator.getByRole('button', { name: 'Record a decision' }).click()
    const form = facilitator.getByRole('form', { name: 'Record a decision' })
    await form.getByRole('button', { name: 'Record decision' }).click()
    await form.getByText('Say what was decided').waitFor()
    await form.getByLabel('What was decided').fill(DECISION)
    await form
      .getByRole('list', { name: 'Organisations agreeing the new decision' })
      .getByRole('button', { name: 'Swindon Borough Council' })
      .click()
    await form.getByRole('button', { name: 'Record decision' }).click()

    const decisionB = participant.locator('article[data-decision-id]', { hasText: 'Agreed by' })
    await decisionB
      .getByTestId('decision-agreement')
      .getByText('Agreed by 1 of 2 organisations taking part')
      .waitFor({ timeout: 3000 })
    const chip = decisionB.getByRole('button', { name: 'Department of Health (DH)' })
    expect(await chip.getAttribute('aria-pressed')).toBe('false')
    await chip.click()
    await facilitator
      .locator('article[data-decision-id]')
      .getByText('Agreed by 2 of 2 organisations taking part')
      .waitFor({ timeout: 3000 })

    // An organisation not taking part can agree too: it is added as a chip for everyone.
    await decisionB.getByRole('button', { name: '+ Another organisation agrees' }).click()
    await decisionB.getByLabel('Another organisation agrees').fill('Home Office')
    await decisionB.getByLabel('Another organisation agrees').press('Enter')
    const homeOffice = facilitator.locator('article[data-decision-id]').getByRole('button', { name: 'Home Office' })
    await homeOffice.waitFor({ timeout: 3000 })
    expect(await homeOffice.getAttribute('aria-pressed')).toBe('true')
    await facilitator
      .locator('article[data-decision-id]')
      .getByText('Agreed by 2 of 2 organisations taking part (and 1 more)')
      .waitFor()
  })

  it('places a barrier on the board as a card that follows its status on every board', async () => {
    await tab(facilitator, 'Barriers').click()
    await facilitator.getByRole('button', { name: BARRIER, exact: true }).click()
    await facilitator.locator('section.barrier-details').getByRole('button', { name: 'Place on board' }).click()

    await waitForBoard(facilitator)
    await barrierCard(facilitator).getByText(BARRIER).waitFor({ timeout: 5000 })
    await barrierCard(facilitator).getByText('Raised').waitFor()
    await barrierCard(facilitator).getByText('DWP').waitFor()
    const selected = await facilitator.evaluate(() =>
      (window as unknown as { __commonpotEditor: { getSelectedShapes(): { type: string }[] } }).__commonpotEditor
        .getSelectedShapes()
        .map((s) => s.type),
    )
    expect(selected).toEqual(['barrier'])

    await tab(participant, 'Board').click()
    await waitForBoard(participant)
    await barrierCard(participant).getByText(BARRIER).waitFor({ timeout: 3000 })
    await actionCard(participant).getByText(LATE).waitFor()

    // The barrier moves on in the register: both cards follow.
    setBarrierStatus(client.doc, barrierId, 'with-department', writer, Date.now())
    await barrierCard(facilitator)
      .getByTestId('barrier-card-status')
      .getByText('With department')
      .waitFor({ timeout: 2000 })
    await barrierCard(participant)
      .getByTestId('barrier-card-status')
      .getByText('With department')
      .waitFor({ timeout: 2000 })

    // A card whose barrier was removed stays, saying so.
    deleteBarrier(client.doc, barrierId, writer, Date.now())
    await barrierCard(participant).getByText('Removed barrier').waitFor({ timeout: 2000 })
    await barrierCard(facilitator).getByText('Removed barrier').waitFor({ timeout: 2000 })
    expect(await barrierCard(facilitator).getAttribute('data-removed')).toBe('true')
  })

  it('skips a barrier card some peer wrote badly, and keeps syncing the rest', async () => {
    const canvas = openCanvas(client.doc)
    const template = [...canvas.map.values()].find(
      (entry) => entry.val.typeName === 'shape' && entry.val.type === 'barrier',
    )!.val
    const props = template.props as Record<string, unknown>
    client.doc.transact(() =>
      canvas.set('shape:bad-card', { ...template, id: 'shape:bad-card', props: { ...props, barrierId: 42 } }),
    )
    client.doc.transact(() =>
      canvas.set('shape:good-card', { ...template, id: 'shape:good-card', x: (template.x as number) + 300 }),
    )
    await facilitator.waitForFunction(
      () =>
        (window as unknown as { __commonpotEditor: { getCurrentPageShapes(): { id: string }[] } }).__commonpotEditor
          .getCurrentPageShapes()
          .some((s) => s.id === 'shape:good-card'),
      null,
      { timeout: 5000 },
    )
    expect(await shapeIds(facilitator)).not.toContain('shape:bad-card')
    expect(await barrierCard(facilitator).count()).toBe(2)
  })

  it('lets an observer read every action and decision and change nothing', async () => {
    const observer = await newPage()
    errors.push(watchPage(observer).errors)
    await join(observer, observerLink, 'Olu Observer', 'HM Treasury')
    await openActions(observer)
    await observer.getByRole('group', { name: 'Show', exact: true }).getByRole('button', { name: /All/ }).click()
    await actionRow(observer, LATE).getByText('Done').waitFor()
    // The barrier is gone, so the link says so.
    await actionRow(observer, FOLLOW_UP).locator('.link-chip', { hasText: '(removed)' }).waitFor()
    await observer.locator('article[data-decision-id]').getByText(DECISION, { exact: true }).waitFor()
    expect(await observer.getByRole('button', { name: 'Add an action' }).count()).toBe(0)
    expect(await observer.getByRole('button', { name: 'Record a decision' }).count()).toBe(0)
    expect(
      await observer
        .locator('.actions-view input, .actions-view select:not([aria-label="Sort by"]), .actions-view textarea')
        .count(),
    ).toBe(0)
    expect(await observer.locator('article[data-decision-id] button').count()).toBe(0)

    // The CSV export holds the action log.
    const { name, text: csv } = await downloadFromMenu(observer, 'Actions and decisions (CSV)')
    expect(name).toMatch(/-actions-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(csv).toContain(FOLLOW_UP)
    expect(csv).toContain(DECISION)

    for (const list of errors) expect(list).toEqual([])
  })
})
