/**
 * A live workshop in two (and three) real browser contexts against the built app: create, invite,
 * join, draw together, reload, observe.
 */
import { currentFinancialYear } from '../../shared/financialYears.ts'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCanvas } from '../../shared/schema.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { connect } from '../helpers/syncClient.ts'
import { startServer, tempDir, type ServerProcess } from '../helpers/serverProcess.ts'
import { downloadFromMenu } from '../helpers/workshopBrowser.ts'

let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined)
  await browser?.close()
  await server?.stop()
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  contexts.push(context)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin })
  const page = await context.newPage()
  // A step that hangs fails on its own, naming what it waited for, well inside the test's timeout.
  page.setDefaultTimeout(10_000)
  return page
}

/** Shapes on the current page, read through the editor the board exposes for tests. */
function shapeCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (
        window as unknown as { __commonpotEditor?: { getCurrentPageShapes(): unknown[] } }
      ).__commonpotEditor?.getCurrentPageShapes().length ?? -1,
  )
}

async function waitForBoard(page: Page): Promise<void> {
  await page.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
  await page.waitForFunction(
    () => Boolean((window as unknown as { __commonpotEditor?: unknown }).__commonpotEditor),
    null,
    { timeout: 20_000 },
  )
}

async function drawRectangle(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const canvas = page.locator('.tl-canvas')
  // Focus the canvas on an empty spot (the top-left corner holds tldraw's menu).
  await canvas.click({ position: { x: 150, y: 500 } })
  await page.keyboard.press('r')
  const box = (await canvas.boundingBox())!
  await page.mouse.move(box.x + from.x, box.y + from.y)
  await page.mouse.down()
  await page.mouse.move(box.x + (from.x + to.x) / 2, box.y + (from.y + to.y) / 2, { steps: 5 })
  await page.mouse.move(box.x + to.x, box.y + to.y, { steps: 5 })
  await page.mouse.up()
}

async function join(page: Page, link: string, name: string, organisation: string): Promise<void> {
  await page.goto(link)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your organisation').fill(organisation)
  await page.getByRole('button', { name: 'Join workshop' }).click()
}

describe('a live workshop', () => {
  let facilitator: Page
  let participant: Page
  let participantLink = ''
  let observerLink = ''
  let roomId = ''

  it('lets a facilitator create a workshop and land in it with invite links ready', async () => {
    facilitator = await newPage()
    const watch = watchPage(facilitator)
    await facilitator.goto(`${server.origin}/`)
    // Bad input is refused with a message, and nothing is created.
    await facilitator.getByRole('button', { name: 'Create workshop' }).click()
    await facilitator.getByText('The title must not be empty').waitFor()
    await facilitator.getByText('Enter your name').waitFor()
    expect(facilitator.url()).toBe(`${server.origin}/`)

    await facilitator.getByLabel('Workshop title').fill('Swindon: agreeing the virtual pot')
    // Each message goes as soon as its field is right; the others stay until theirs is.
    expect(await facilitator.getByText('The title must not be empty').count()).toBe(0)
    expect(await facilitator.getByText('Enter your name').count()).toBe(1)
    await facilitator.getByLabel('Your name').fill('Fiona Facilitator')
    expect(await facilitator.getByText('Enter your name').count()).toBe(0)
    await facilitator.getByLabel('Your organisation').fill('Swindon Borough Council')
    await facilitator.getByRole('button', { name: 'Create workshop' }).click()
    await facilitator.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    roomId = new URL(facilitator.url()).pathname.split('/')[2]!
    await facilitator.getByRole('heading', { name: 'Swindon: agreeing the virtual pot' }).waitFor()

    participantLink = await facilitator.getByLabel('Participants link').inputValue()
    observerLink = await facilitator.getByLabel('Observers link').inputValue()
    expect(participantLink).toContain(`/r/${roomId}?token=`)
    expect(observerLink).toContain(`/r/${roomId}?token=`)
    await facilitator.locator('[data-status="live"]').waitFor()
    await waitForBoard(facilitator)
    expect(watch.offsiteRequests).toEqual([])
  })

  it('lets a participant join through the link and both see each other', async () => {
    participant = await newPage()
    const watch = watchPage(participant)
    await join(participant, participantLink, 'Pat Participant', 'Department for Work and Pensions (DWP)')
    await participant.getByRole('heading', { name: 'Swindon: agreeing the virtual pot' }).waitFor()
    // The token leaves the address bar once read.
    expect(participant.url()).not.toContain('token=')
    await participant.locator('.presence-item[data-name="Fiona Facilitator"]').waitFor({ timeout: 5000 })
    await facilitator.locator('.presence-item[data-name="Pat Participant"]').waitFor({ timeout: 5000 })
    await waitForBoard(participant)
    expect(watch.offsiteRequests).toEqual([])
    expect(watch.errors).toEqual([])
  })

  it('shows a rectangle drawn by one to the other within 2 s, with named cursors', async () => {
    expect(await shapeCount(participant)).toBe(0)
    await drawRectangle(facilitator, { x: 300, y: 200 }, { x: 500, y: 350 })
    expect(await shapeCount(facilitator)).toBe(1)
    const drawnAt = Date.now()
    await participant.waitForFunction(
      () =>
        (window as unknown as { __commonpotEditor: { getCurrentPageShapes(): { type: string }[] } }).__commonpotEditor
          .getCurrentPageShapes()
          .some((s) => s.type === 'geo'),
      null,
      { timeout: 2000 },
    )
    expect(Date.now() - drawnAt).toBeLessThan(2000)
    await participant.locator('.tl-shape[data-shape-type="geo"]').waitFor()

    // The facilitator's cursor, with her name, shows on the participant's board.
    const box = (await facilitator.locator('.tl-canvas').boundingBox())!
    await facilitator.mouse.move(box.x + 700, box.y + 420, { steps: 4 })
    await participant.locator('.tl-collaborator__cursor').first().waitFor({ timeout: 5000 })
    await participant
      .locator('.tl-collaborators .tl-nametag', { hasText: 'Fiona Facilitator' })
      .first()
      .waitFor({ timeout: 5000 })
  })

  it('keeps the rectangle after a reload', async () => {
    await participant.reload()
    await waitForBoard(participant)
    await participant.waitForFunction(
      () =>
        (
          window as unknown as { __commonpotEditor: { getCurrentPageShapes(): unknown[] } }
        ).__commonpotEditor.getCurrentPageShapes().length === 1,
      null,
      { timeout: 5000 },
    )
  })

  it('does not let an observer draw', async () => {
    const observer = await newPage()
    await join(observer, observerLink, 'Olu Observer', 'HM Treasury')
    await waitForBoard(observer)
    await observer.waitForFunction(
      () =>
        (
          window as unknown as { __commonpotEditor: { getCurrentPageShapes(): unknown[] } }
        ).__commonpotEditor.getCurrentPageShapes().length === 1,
      null,
      { timeout: 5000 },
    )
    await drawRectangle(observer, { x: 600, y: 200 }, { x: 750, y: 300 })
    await observer.waitForTimeout(500)
    expect(await shapeCount(observer)).toBe(1)
    expect(await shapeCount(facilitator)).toBe(1)
    await facilitator.locator('.presence-item[data-name="Olu Observer"]').waitFor({ timeout: 5000 })
  })

  it('skips a remote record that fails validation and keeps syncing the rest', async () => {
    const client = connect(server, roomId, new URL(participantLink).searchParams.get('token')!)
    await client.firstSync
    const canvas = openCanvas(client.doc)
    const page = [...canvas.map.values()].find((entry) => entry.val.typeName === 'page')?.val
    expect(page).toBeDefined()
    const template = [...canvas.map.values()].find((entry) => entry.val.typeName === 'shape')!.val
    client.doc.transact(() => {
      canvas.set('shape:broken', { ...template, id: 'shape:broken', x: 'not a number' })
    })
    client.doc.transact(() => {
      canvas.set('shape:good', { ...template, id: 'shape:good', x: (template.x as number) + 300 })
    })
    await facilitator.waitForFunction(
      () =>
        (window as unknown as { __commonpotEditor: { getCurrentPageShapes(): { id: string }[] } }).__commonpotEditor
          .getCurrentPageShapes()
          .some((s) => s.id === 'shape:good'),
      null,
      { timeout: 5000 },
    )
    expect(await shapeCount(facilitator)).toBe(2)
    client.destroy()
  })

  it('negotiates the pot live: A adds a contribution, B sees the total, agrees it, and A sees who did', async () => {
    await facilitator.getByRole('button', { name: 'Pot' }).click()
    await participant.getByRole('button', { name: 'Pot' }).click()
    await facilitator.getByText('No contributions yet.').waitFor()

    // A bad amount is refused with a message, and nothing is added.
    await facilitator.getByLabel('Partner').fill('Department for Work and Pensions (DWP)')
    await facilitator.getByLabel('Funding stream').fill('Work Programme')
    await facilitator.getByLabel('Amount').fill('lots')
    await facilitator.getByRole('button', { name: 'Add contribution' }).click()
    await facilitator.getByText('Not an amount: "lots"').waitFor()

    // The years start at the financial year we are in; one that is not a year is refused at its field.
    const thisYear = currentFinancialYear(new Date())
    expect(await facilitator.getByLabel('Financial years', { exact: true }).inputValue()).toBe(thisYear)
    await facilitator.getByLabel('Amount').fill('£1.2m')
    await facilitator.getByLabel('Financial years', { exact: true }).fill('soon')
    await facilitator.getByRole('button', { name: 'Add contribution' }).click()
    await facilitator.locator('#add-years-error').getByText('Write a financial year as 2026-27').waitFor()
    expect(await facilitator.getByText('No contributions yet.').count()).toBe(1)
    await facilitator.getByLabel('Financial years', { exact: true }).fill(thisYear.replace('-', '/'))
    expect(await facilitator.locator('#add-years-error').count()).toBe(0)
    await facilitator.getByRole('button', { name: 'Add contribution' }).click()
    await facilitator.getByTestId('pot-total').getByText('£1,200,000').waitFor()
    await participant.getByTestId('pot-total').getByText('£1,200,000').waitFor({ timeout: 2000 })
    const yearsOf = (page: Page) =>
      page.getByLabel('Financial years of Department for Work and Pensions (DWP) · Work Programme')
    expect(await yearsOf(participant).inputValue()).toBe(thisYear)

    await participant
      .getByLabel('Status of Department for Work and Pensions (DWP) · Work Programme')
      .selectOption('agreed')
    await facilitator.getByTestId('pot-status-agreed').getByText('£1.2m').waitFor({ timeout: 2000 })
    expect(
      await facilitator.getByLabel('Status of Department for Work and Pensions (DWP) · Work Programme').inputValue(),
    ).toBe('agreed')
    // The facilitator sees who changed it; the participant is not told about their own change.
    await facilitator.locator('td.remote-change').getByText('Changed by Pat Participant').waitFor({ timeout: 2000 })
    expect(await participant.getByText(/Changed by/).count()).toBe(0)
    const history = facilitator.getByRole('region', { name: 'History of the pot' })
    await history.getByText('Pat Participant').waitFor({ timeout: 2000 })
    await history.getByText(/status from Proposed to Agreed/).waitFor()

    // Changed in the row: a wrong span is refused there and then, a right one is written in standard form.
    await yearsOf(participant).fill('2027-29')
    await yearsOf(participant).press('Enter')
    await participant.getByText('A financial year runs from April to March of the next year: write 2027-28').waitFor()
    await yearsOf(participant).fill('2027/28 to 2028/29')
    await yearsOf(participant).press('Enter')
    await expect.poll(() => yearsOf(facilitator).inputValue(), { timeout: 2000 }).toBe('2027-28 to 2028-29')
    expect(await participant.getByText(/A financial year runs from April/).count()).toBe(0)

    // An amount that cannot be read stays in its cell with the reason, until it is fixed.
    const amountOf = participant.getByLabel('Amount for Department for Work and Pensions (DWP) · Work Programme')
    await amountOf.fill('lots')
    await amountOf.press('Enter')
    await participant.getByText('Not an amount: "lots"').waitFor()
    expect(await amountOf.inputValue()).toBe('lots')
    expect(await facilitator.getByTestId('pot-total').textContent()).toContain('£1,200,000')
    await amountOf.fill('£1.2m')
    expect(await participant.getByText('Not an amount: "lots"').count()).toBe(0)
    await amountOf.press('Escape')

    // The facilitator sets the target; the gap shows for both.
    await facilitator.getByLabel('Target pot size').fill('3m')
    await facilitator.getByLabel('Target pot size').press('Enter')
    await participant.getByTestId('pot-gap').getByText('£1.8m to go (40%)').waitFor({ timeout: 2000 })
    expect(await participant.getByLabel('Target pot size').isDisabled()).toBe(true)

    // Arranging is personal: grouping and filtering on one screen leaves the other alone.
    await participant
      .getByRole('group', { name: 'Arrange the contributions' })
      .getByLabel('Group by')
      .selectOption('status')
    await participant
      .getByRole('rowgroup', { name: /Agreed · £1,200,000 · 1 line/ })
      .or(participant.getByText('Agreed · £1,200,000 · 1 line'))
      .first()
      .waitFor()
    await participant.getByLabel('Show status').selectOption('committed')
    await participant.getByText('Showing 0 of 1').waitFor()
    await participant.getByRole('button', { name: 'Clear filters' }).click()
    await participant.getByLabel(/^Status of Department for Work/).waitFor()
    expect(await facilitator.getByText('Showing 0 of 1').count()).toBe(0)

    // Removing is undoable by the person who removed, for everyone.
    await facilitator
      .getByRole('button', { name: 'Remove Department for Work and Pensions (DWP) · Work Programme' })
      .click()
    await participant.getByText('No contributions yet.').waitFor({ timeout: 2000 })
    await facilitator.getByRole('status').getByRole('button', { name: 'Undo' }).click()
    await participant.getByTestId('pot-total').getByText('£1,200,000').waitFor({ timeout: 2000 })
    expect(await participant.getByLabel(/^Status of Department for Work/).inputValue()).toBe('agreed')
    await participant
      .getByRole('region', { name: 'History of the pot' })
      .getByText(/restored Department for Work/)
      .waitFor()

    // CSV import: a wrong row blocks the import; a corrected file imports every row.
    const chooser = participant.getByLabel('Import CSV…')
    await chooser.setInputFiles({
      name: 'pot.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('partner,amount\nPolice,250k\nHome Office,lots\n'),
    })
    const preview = participant.getByRole('region', { name: 'Import preview' })
    await preview.getByText('1 of 2 rows have problems').waitFor()
    expect(await preview.getByRole('button', { name: 'Import 2 lines' }).isDisabled()).toBe(true)
    await chooser.setInputFiles({
      name: 'pot.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('partner,amount\nPolice,250k\nHome Office,100k\n'),
    })
    await preview.getByRole('button', { name: 'Import 2 lines' }).click()
    await facilitator.getByTestId('pot-total').getByText('£1,550,000').waitFor({ timeout: 2000 })

    // A long pot renders a page of rows at a time; totals always cover every line.
    const loader = connect(server, roomId, new URL(participantLink).searchParams.get('token')!)
    await loader.firstSync
    const bulk = { userId: 'loader', name: 'Loader', organisation: 'Kent County Council' }
    loader.doc.transact(() => {
      for (let i = 0; i < 250; i++)
        addPotLine(
          loader.doc,
          { ...DEFAULT_LINE, partner: 'Kent County Council', stream: `Stream ${i}`, amount: 100 },
          bulk,
          Date.now() + i,
        )
    })
    await facilitator.getByTestId('pot-total').getByText('£1,550,250').waitFor({ timeout: 5000 })
    loader.destroy()
    expect(await facilitator.locator('tr[data-line-id]').count()).toBe(100)
    // The last row also shows the next page by itself once it scrolls into view (the click scrolls
    // it there), so the page may come before the click lands: either way 200 rows are shown.
    await facilitator
      .getByRole('button', { name: 'Show 100 more of 153' })
      .click({ timeout: 3000 })
      .catch(() => undefined)
    await facilitator.locator('tr[data-line-id]').nth(199).waitFor({ state: 'attached' })
  })
})

describe('losing the connection', () => {
  it('shows offline with unsaved changes, then saves them when the server is back', async () => {
    const dataDir = tempDir()
    let flaky = await startServer({ dataDir })
    const port = flaky.port
    try {
      const page = await newPage()
      await page.goto(`${flaky.origin}/`)
      await page.getByLabel('Workshop title').fill('Blackpool: pot review')
      await page.getByLabel('Your name').fill('Fiona Facilitator')
      await page.getByLabel('Your organisation').fill('Blackpool Council')
      await page.getByRole('button', { name: 'Create workshop' }).click()
      await page.waitForURL(/\/r\//)
      const roomId = new URL(page.url()).pathname.split('/')[2]!
      const observerToken = new URL(await page.getByLabel('Observers link').inputValue()).searchParams.get('token')!
      await waitForBoard(page)
      await page.locator('[data-status="live"]').waitFor()

      await flaky.stop('SIGTERM')
      await page.locator('[data-status="offline"]').waitFor({ timeout: 5000 })
      await drawRectangle(page, { x: 300, y: 200 }, { x: 450, y: 300 })
      await page.getByText(/\d+ changes? not yet saved/).waitFor({ timeout: 5000 })

      flaky = await startServer({ dataDir, env: { PORT: String(port) } })
      await page.locator('[data-status="live"]').waitFor({ timeout: 10_000 })
      await page.getByText(/not yet saved/).waitFor({ state: 'detached', timeout: 5000 })

      // The change reached the server: a new client sees the rectangle at its first sync.
      let shapesAtSync = -1
      const reader = connect(flaky, roomId, observerToken, {
        onFirstSync: (doc) =>
          (shapesAtSync = [...openCanvas(doc).map.values()].filter((e) => e.val.typeName === 'shape').length),
      })
      await reader.firstSync
      reader.destroy()
      expect(shapesAtSync).toBe(1)
    } finally {
      await flaky.stop()
    }
  })
})

describe('pot cards on the board', () => {
  const LINE = 'Department for Work and Pensions (DWP) · Work Programme'
  /** The card for the pot line on a page's board. */
  const card = (page: Page) => page.locator('.tl-shape[data-shape-type="pot-line"] .pot-card')

  it('places a contribution on the board as a card that follows the line for everyone', async () => {
    const facilitator = await newPage()
    const facilitatorWatch = watchPage(facilitator)
    await facilitator.goto(`${server.origin}/`)
    await facilitator.getByLabel('Workshop title').fill('Bradford: pot on the board')
    await facilitator.getByLabel('Your name').fill('Fiona Facilitator')
    await facilitator.getByLabel('Your organisation').fill('Bradford Council')
    await facilitator.getByRole('button', { name: 'Create workshop' }).click()
    await facilitator.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    const participantLink = await facilitator.getByLabel('Participants link').inputValue()
    await waitForBoard(facilitator)

    const participant = await newPage()
    const participantWatch = watchPage(participant)
    await join(participant, participantLink, 'Pat Participant', 'Department for Work and Pensions (DWP)')
    await waitForBoard(participant)

    // The facilitator adds a contribution and places it on the board.
    await facilitator.getByRole('button', { name: 'Pot' }).click()
    await facilitator.getByLabel('Partner').fill('Department for Work and Pensions (DWP)')
    await facilitator.getByLabel('Funding stream').fill('Work Programme')
    await facilitator.getByLabel('Amount').fill('£1.2m')
    await facilitator.getByRole('button', { name: 'Add contribution' }).click()
    await facilitator.getByTestId('pot-total').getByText('£1,200,000').waitFor()
    await facilitator.getByRole('button', { name: `Place on board: ${LINE}` }).click()

    // Back on the board, the card is there, selected, showing the line as it is.
    await waitForBoard(facilitator)
    await card(facilitator).getByText('£1,200,000').waitFor({ timeout: 5000 })
    await card(facilitator).getByText('Department for Work and Pensions (DWP)').waitFor()
    await card(facilitator).getByText('Proposed').waitFor()
    const selected = await facilitator.evaluate(() =>
      (window as unknown as { __commonpotEditor: { getSelectedShapes(): { type: string }[] } }).__commonpotEditor
        .getSelectedShapes()
        .map((s) => s.type),
    )
    expect(selected).toEqual(['pot-line'])
    expect(await card(facilitator).count()).toBe(1)
    // The participant, on the board, sees the same card.
    await card(participant).getByText('£1,200,000').waitFor({ timeout: 2000 })

    // The participant changes the amount in the Pot tab; the facilitator's card follows.
    await participant.getByRole('button', { name: 'Pot' }).click()
    const amount = participant.getByLabel(`Amount for ${LINE}`)
    await amount.fill('2m')
    const changedAt = Date.now()
    await amount.press('Enter')
    await card(facilitator).getByText('£2,000,000').waitFor({ timeout: 2000 })
    expect(Date.now() - changedAt).toBeLessThan(2000)

    // A removed line leaves its card in place, saying so.
    await participant.getByRole('button', { name: `Remove ${LINE}` }).click()
    await card(facilitator).getByText('Removed contribution').waitFor({ timeout: 2000 })
    expect(await card(facilitator).getAttribute('data-removed')).toBe('true')

    expect(facilitatorWatch.errors).toEqual([])
    expect(participantWatch.errors).toEqual([])
  })
})

describe('the protocol', () => {
  it('co-edits a clause live, blocks, agrees and then locks it for both', async () => {
    const facilitatorPage = await newPage()
    await facilitatorPage.goto(`${server.origin}/`)
    await facilitatorPage.getByLabel('Workshop title').fill('Kent: protocol')
    await facilitatorPage.getByLabel('Your name').fill('Fiona Facilitator')
    await facilitatorPage.getByLabel('Your organisation').fill('Kent County Council')
    await facilitatorPage.getByRole('button', { name: 'Create workshop' }).click()
    await facilitatorPage.waitForURL(/\/r\//)
    // DWP's positions count only through a link bound to DWP (issue #16): the facilitator makes one.
    const facilitatorToken = new URL(
      await facilitatorPage.getByLabel('Co-facilitators link').inputValue(),
    ).searchParams.get('token')!
    const workshopId = new URL(facilitatorPage.url()).pathname.split('/')[2]!
    const made = await fetch(`${server.origin}/api/rooms/${workshopId}/invites`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${facilitatorToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        role: 'participant',
        organisation: 'Department for Work and Pensions (DWP)',
        name: 'Pat Participant',
        expiresInHours: 24,
      }),
    })
    const { link } = (await made.json()) as { link: string }
    const participantPage = await newPage()
    await participantPage.goto(link)
    await participantPage.getByRole('button', { name: 'Join workshop' }).click()
    await participantPage.locator('[data-status="live"]').waitFor()

    await facilitatorPage.getByRole('button', { name: 'Protocol' }).click()
    await participantPage.getByRole('button', { name: 'Protocol' }).click()
    await facilitatorPage.getByRole('button', { name: 'Start from the pooled budget template' }).click()
    const purposeA = facilitatorPage.getByRole('article', { name: /Purpose/ })
    const purposeB = participantPage.getByRole('article', { name: /Purpose/ })
    await purposeB.getByText('turn around the lives of families').waitFor({ timeout: 3000 })

    // Both type into the same clause at the same time and end with the same text.
    const editorA = purposeA.locator('.clause-editor__content')
    const editorB = purposeB.locator('.clause-editor__content')
    await editorA.click()
    await facilitatorPage.keyboard.press('Control+End')
    await editorB.click()
    await participantPage.keyboard.press('Control+End')
    await Promise.all([
      facilitatorPage.keyboard.type(' Kent adds this.', { delay: 20 }),
      participantPage.keyboard.type(' DWP adds that.', { delay: 20 }),
    ])
    await participantPage.waitForFunction(
      () => {
        const text = document.querySelector('[data-clause-id] .clause-editor__content')?.textContent ?? ''
        return text.includes('Kent adds this.') && text.includes('DWP adds that.')
      },
      null,
      { timeout: 5000 },
    )
    await facilitatorPage.waitForFunction(
      () =>
        (document.querySelector('[data-clause-id] .clause-editor__content')?.textContent ?? '').includes(
          'DWP adds that.',
        ),
      null,
      { timeout: 5000 },
    )
    // Compare the text without the remote caret labels, which are drawn inside the editing area.
    const text = (page: Page) =>
      page.evaluate(() => {
        const content = document
          .querySelector('[data-clause-id] .clause-editor__content')!
          .cloneNode(true) as HTMLElement
        content.querySelectorAll('.clause-caret').forEach((caret) => caret.remove())
        return content.textContent
      })
    const [textA, textB] = await Promise.all([text(facilitatorPage), text(participantPage)])
    expect(textA).toBe(textB)
    expect(textA).toContain('Kent adds this.')
    // Each sees the other's caret with a name.
    await purposeA
      .getByText(/Pat Participant/)
      .first()
      .waitFor({ timeout: 5000 })
    await purposeB
      .getByText(/Fiona Facilitator/)
      .first()
      .waitFor({ timeout: 5000 })

    // Proposed; DWP blocks, so it cannot pass and everyone sees why.
    await purposeA.getByRole('button', { name: 'Propose for agreement' }).click()
    await purposeB.getByLabel(/^Position of Department for Work/).selectOption('block')
    // A block without a reason is refused at the reason, which takes the focus.
    await purposeB.getByRole('button', { name: 'State position' }).click()
    const reason = purposeB.getByLabel(/^Reason for the position/)
    await reason.and(purposeB.locator('[aria-invalid="true"]')).waitFor()
    const describedBy = (await reason.getAttribute('aria-describedby')) ?? ''
    expect(await purposeB.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toBe(
      'Say why you block, so that the clause can be changed to meet it.',
    )
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true)
    await reason.fill('ESF money cannot be pooled at source')
    expect(await reason.getAttribute('aria-invalid')).toBeNull()
    await purposeB.getByRole('button', { name: 'State position' }).click()
    await purposeA.getByRole('alert').getByText('ESF money cannot be pooled at source').waitFor({ timeout: 3000 })
    // The facilitator's general link speaks for Kent only when they choose to record it on its behalf.
    await purposeA.getByLabel('Whose position on Purpose').selectOption({ label: 'On behalf of Kent County Council' })
    await purposeA.getByLabel(/^Position of Kent/).selectOption('agree')
    await purposeA.getByRole('button', { name: 'State position' }).click()
    expect(await facilitatorPage.getByTestId('protocol-state').textContent()).toBe('0 of 9 clauses agreed')

    // DWP changes to agree: the clause is agreed and its text locked for both.
    await purposeB.getByLabel(/^Position of Department for Work/).selectOption('agree')
    // The block's reason does not follow the position into an agreement.
    expect(await purposeB.getByLabel(/^Reason for the position/).inputValue()).toBe('')
    await purposeB.getByRole('button', { name: 'Change position' }).click()
    await facilitatorPage.getByTestId('protocol-state').getByText('1 of 9 clauses agreed').waitFor({ timeout: 3000 })
    await participantPage.getByTestId('protocol-state').getByText('1 of 9 clauses agreed').waitFor({ timeout: 3000 })
    expect(await editorA.getAttribute('contenteditable')).toBe('false')
    expect(await editorB.getAttribute('contenteditable')).toBe('false')

    // The Markdown export carries the clause with both positions.
    const { text: markdown } = await downloadFromMenu(facilitatorPage, 'Minutes (Markdown)')
    expect(markdown).toContain('### 1. Purpose (Agreed)')
    expect(markdown).toContain(
      '- Department for Work and Pensions (DWP): **Agree**, stated through Department for Work and Pensions (DWP)’s link by Pat Participant',
    )
    expect(markdown).not.toContain('ESF money cannot be pooled at source')
    expect(markdown).toContain(
      '- Kent County Council: **Agree**, on behalf, recorded by Fiona Facilitator, facilitator',
    )
  })
})
