/**
 * The pot as a spreadsheet, in two browsers: arrow keys, Enter/F2, Escape and Tab move and edit
 * cells as in Excel; the other person sees which cell each has selected; a 5 × 4 block pasted from
 * a spreadsheet with one bad cell changes nothing and names the cell, and once mended goes in as
 * one change (one undo); a block copies out as TSV; hidden columns stay hidden on this device.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addAction } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { watchPage } from '../helpers/browser.ts'
import { realisticRoom, type RealisticRoom } from '../helpers/realisticRoom.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
let room: RealisticRoom | null = null
let observerRoom: RealisticRoom | null = null
workshop.onCleanup(() => {
  room?.writer.destroy()
  observerRoom?.writer.destroy()
})

/** The accessible name of the focused element (the grid's active cell). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null
    return el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? ''
  })
const amounts = (page: Page) =>
  page
    .locator('.pot-table tbody input[data-field="amount"]')
    .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value))
const statuses = (page: Page) =>
  page
    .locator('.pot-table tbody select[data-field="status"]')
    .evaluateAll((els) => els.map((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''))

/** A paste from a spreadsheet into the focused cell, as the browser delivers it. */
const paste = (page: Page, text: string) =>
  page.evaluate((text) => {
    const data = new DataTransfer()
    data.setData('text/plain', text)
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }))
  }, text)
/** What a copy (Ctrl+C) of the selection puts on the clipboard. */
const copy = (page: Page) =>
  page.evaluate(() => {
    const data = new DataTransfer()
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }),
    )
    return data.getData('text/plain')
  })

describe('the pot grid', () => {
  it('moves, edits, pastes and copies as a spreadsheet does, with others’ cells shown', async () => {
    room = await realisticRoom(workshop.server)
    const open = async (token: string, name: string, organisation: string): Promise<Page> => {
      const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
      await joinWorkshop(page, `${workshop.server.origin}/r/${room!.roomId}/pot?token=${token}`, name, organisation, {
        waitLive: true,
      })
      await page.locator('.pot-table tbody input[data-field="amount"]').first().waitFor()
      return page
    }
    const fiona = await open(room.tokens.facilitator, 'Fiona Facilitator', 'Swindon Borough Council')
    const pat = await open(room.tokens.participant, 'Pat Participant', 'Department of Health (DH)')
    const errors = [watchPage(fiona).errors, watchPage(pat).errors]
    const before = await amounts(pat)
    expect(before.slice(0, 5)).toEqual(['£1,800,000', '£950,000', '£120,000', '£1,250,000', '£2,400,000'])

    // Arrow keys move the active cell; the grid is one Tab stop.
    const first = fiona.getByLabel('Partner of Department for Work and Pensions (DWP) · Work Programme')
    await first.click()
    await fiona.keyboard.press('ArrowRight')
    expect(await focused(fiona)).toBe('Funding stream of Department for Work and Pensions (DWP) · Work Programme')
    await fiona.keyboard.press('ArrowRight')
    await fiona.keyboard.press('ArrowDown')
    expect(await focused(fiona)).toMatch(/^Amount for Department for Work and Pensions \(DWP\) · /)
    expect(await fiona.locator('.pot-table [data-cell][tabindex="0"]').count()).toBe(1)

    // Pat sees which cell Fiona has selected, ringed and named.
    const ring = pat.locator('.pot-table td.peer-cursor', { hasText: 'Fiona Facilitator' })
    // (It follows her moves: it may first show a cell she passed through on the way.)
    const fionaAt = await focused(fiona)
    await expect
      .poll(
        async () =>
          (await ring.count()) === 1
            ? ring.locator('input').evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent)
            : null,
        { timeout: 5000 },
      )
      .toBe(fionaAt)

    // Typing replaces the value; Enter commits and moves down, as in Excel.
    await fiona.keyboard.type('1m')
    await fiona.keyboard.press('Enter')
    await expect.poll(() => amounts(pat).then((a) => a[1]), { timeout: 3000 }).toBe('£1,000,000')
    expect(await focused(fiona)).toMatch(/^Amount for Jobcentre Plus/)
    // F2 edits what is there (the caret at its end); Escape puts it back and keeps the cell.
    await fiona.keyboard.press('F2')
    await fiona.keyboard.type('999')
    expect(await fiona.getByLabel(/^Amount for Jobcentre Plus/).inputValue()).toBe('£120,000999')
    await fiona.keyboard.press('Escape')
    expect(await fiona.getByLabel(/^Amount for Jobcentre Plus/).inputValue()).toBe('£120,000')
    expect(await focused(fiona)).toMatch(/^Amount for Jobcentre Plus/)
    // A select moves with the arrows instead of changing its value.
    await fiona.keyboard.press('ArrowRight')
    expect(await focused(fiona)).toMatch(/^Kind of Jobcentre Plus/)
    await fiona.keyboard.press('ArrowDown')
    expect(await focused(fiona)).toMatch(/^Kind of Department for Education/)
    // Jobcentre Plus's kind is still Cash: the arrow moved rather than picking the next option.
    expect(await fiona.getByLabel(/^Kind of Jobcentre Plus/).inputValue()).toBe('cash')
    // Tab goes along the row.
    await fiona.keyboard.press('Tab')
    expect(await focused(fiona)).toMatch(/^Mode of Department for Education/)

    // A 5 × 4 block from Excel over Amount, Kind, Mode and Status, one cell wrong: nothing changes.
    const block = (fourth: string) =>
      [
        ['£2m', 'Cash', 'Pooled', 'Offered'],
        ['800k', 'Cash', 'Aligned', 'Agreed'],
        ['150000', 'Cash', 'Pooled', 'Committed'],
        [fourth, 'Cash', 'Pooled', 'Offered'],
        ['£2,500,000.00', 'Cash', 'Aligned', 'Proposed'],
      ]
        .map((row) => row.join('\t'))
        .join('\r\n') + '\r\n'
    await fiona.getByLabel('Amount for Department for Work and Pensions (DWP) · Work Programme').click()
    await paste(fiona, block('lots'))
    const alert = fiona.getByRole('alert').filter({ hasText: 'Nothing was pasted' })
    await alert.waitFor({ timeout: 3000 })
    expect(await alert.textContent()).toContain('Row 4 of the block (Department for Education (DfE)')
    expect(await alert.textContent()).toContain('Amount:')
    expect(await fiona.locator('td.paste-refused input[data-field="amount"]').count()).toBe(1)
    await fiona.waitForTimeout(300)
    expect((await amounts(pat)).slice(0, 5)).toEqual([
      '£1,800,000',
      '£1,000,000',
      '£120,000',
      '£1,250,000',
      '£2,400,000',
    ])

    // Mended, the block goes in whole, for everyone.
    await paste(fiona, block('£1.3m'))
    await expect
      .poll(() => amounts(pat).then((a) => a.slice(0, 5)), { timeout: 3000 })
      .toEqual(['£2,000,000', '£800,000', '£150,000', '£1,300,000', '£2,500,000'])
    expect((await statuses(pat)).slice(0, 5)).toEqual(['Offered', 'Agreed', 'Committed', 'Offered', 'Proposed'])
    expect(await alert.count()).toBe(0)
    expect(await fiona.getByText('Pasted 5 rows × 4 columns: 5 lines changed.').count()).toBe(1)
    // Pat sees who changed them.
    expect(await pat.locator('td.remote-change .changed-by', { hasText: 'Fiona Facilitator' }).count()).toBeGreaterThan(
      0,
    )
    // One paste is one undo step.
    await fiona.keyboard.press('Control+z')
    await expect
      .poll(() => amounts(pat).then((a) => a.slice(0, 5)), { timeout: 3000 })
      .toEqual(['£1,800,000', '£1,000,000', '£120,000', '£1,250,000', '£2,400,000'])

    // Shift+arrows select a block; copying it gives tab-separated text a spreadsheet reads.
    await fiona.getByLabel('Amount for Department for Work and Pensions (DWP) · Work Programme').click()
    await fiona.keyboard.press('Shift+ArrowDown')
    await fiona.keyboard.press('Shift+ArrowRight')
    expect(await fiona.locator('.pot-table [data-selected="true"]').count()).toBe(4)
    expect(await copy(fiona)).toBe('£1,800,000\tCash\r\n£1,000,000\tCash')

    // Rows pasted below the last line are added as new lines.
    const count = (await amounts(pat)).length
    await fiona.getByText('Paste rows copied from a spreadsheet here').click()
    await paste(fiona, 'Home Office\tTroubled Families top-up\t£75k\r\n')
    await expect.poll(() => amounts(pat).then((a) => a.length), { timeout: 3000 }).toBe(count + 1)
    expect(await pat.getByLabel('Amount for Home Office · Troubled Families top-up').inputValue()).toBe('£75,000')

    // A hidden column stays hidden on this device, after a reload.
    await fiona.getByRole('button', { name: 'Columns' }).click()
    await fiona.getByRole('checkbox', { name: 'Funding stream' }).uncheck()
    await fiona.keyboard.press('Escape')
    expect(await fiona.getByRole('grid').getByRole('columnheader', { name: 'Funding stream' }).count()).toBe(0)
    await fiona.reload()
    await fiona.getByRole('grid').getByRole('columnheader', { name: 'Partner' }).waitFor()
    expect(await fiona.getByRole('grid').getByRole('columnheader', { name: 'Funding stream' }).count()).toBe(0)
    expect(await fiona.getByRole('button', { name: 'Columns (1 hidden)' }).count()).toBe(1)
    // The header stays in view when the grid scrolls (in a grid made short enough to scroll).
    const scroller = fiona.locator('.pot-grid-scroll')
    await scroller.evaluate((el) => {
      el.style.maxHeight = '220px'
      el.scrollTop = 160
    })
    const box = (await scroller.boundingBox())!
    const header = (await fiona.getByRole('grid').getByRole('columnheader', { name: 'Partner' }).boundingBox())!
    expect(Math.abs(header.y - box.y)).toBeLessThan(3)
    const firstRow = (await fiona.locator('.pot-table tbody tr').first().boundingBox())!
    expect(firstRow.y).toBeLessThan(box.y)

    for (const page of [fiona, pat]) expect(await page.getByText(/was not saved/).count()).toBe(0)
    expect(errors.flat()).toEqual([])
  }, 90_000)

  it('gives the action and barrier lists the same keys: arrows between rows and fields, Enter to edit', async () => {
    room ??= await realisticRoom(workshop.server)
    const now = Date.now()
    addAction(
      room.writer.doc,
      {
        what: 'Agree the ESF match with DWP',
        ownerOrganisation: 'Swindon Borough Council',
        ownerPerson: '',
        dueDate: '2099-06-30',
        status: 'open',
      },
      room.actor,
      now,
    )
    addBarrier(
      room.writer.doc,
      {
        ...DEFAULT_BARRIER,
        title: 'Troubled Families data cannot be shared',
        raisedBy: 'Police',
        department: 'Home Office',
      },
      room.actor,
      now,
    )
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}/actions?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Swindon Borough Council',
      { waitLive: true },
    )
    const errors = watchPage(page).errors
    await page.getByLabel('Description of Map ESF families provision').click()
    await page.keyboard.press('ArrowRight')
    expect(await focused(page)).toBe('Owning organisation of Map ESF families provision')
    await page.keyboard.press('ArrowDown')
    expect(await focused(page)).toBe('Owning organisation of Agree the ESF match with DWP')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.type('Dee Walker')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByLabel('Owner (person) of Agree the ESF match with DWP').inputValue())
      .toBe('Dee Walker')
    await page.keyboard.press('ArrowUp')
    expect(await focused(page)).toBe('Owner (person) of Map ESF families provision')
    // Escape while editing puts the value back and keeps the cell.
    await page.keyboard.press('F2')
    await page.keyboard.type(' Jr')
    await page.keyboard.press('Escape')
    expect(await page.getByLabel('Owner (person) of Map ESF families provision').inputValue()).toBe('Dee Walker')
    expect(await focused(page)).toBe('Owner (person) of Map ESF families provision')

    await viewTab(page, 'Barriers').click()
    await page.getByRole('button', { name: 'ESF cannot be pooled at source', exact: true }).focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      'Troubled Families data cannot be shared',
    )
    await page.keyboard.press('ArrowRight')
    expect(await focused(page)).toBe('Status of Troubled Families data cannot be shared')
    expect(await page.locator('.barrier-table [data-cell][tabindex="0"]').count()).toBe(1)
    expect(errors).toEqual([])
  }, 60_000)

  it('lets an observer move through the grid and copy from it, changing nothing', async () => {
    // A room of its own: the first test's edits must not decide what this one copies.
    const room = (observerRoom = await realisticRoom(workshop.server))
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}/pot?token=${room.tokens.observer}`,
      'Olu Observer',
      'HM Treasury',
      { waitLive: true },
    )
    const errors = watchPage(page).errors
    const amount = page.getByLabel('Amount for Department for Work and Pensions (DWP) · Work Programme')
    await amount.click()
    expect(await amount.isEditable()).toBe(false)
    await page.keyboard.type('9')
    expect(await amount.inputValue()).toBe('£1,800,000')
    await page.keyboard.press('ArrowRight')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cash')
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('Shift+ArrowDown')
    expect(await copy(page)).toBe('£1,800,000\tCash\r\n£950,000\tCash')
    await paste(page, '£1\tCash')
    await page.getByRole('alert').filter({ hasText: 'You can read the pot but not change it.' }).waitFor()
    expect(await amount.inputValue()).toBe('£1,800,000')
    expect(errors).toEqual([])
  }, 60_000)
})
