/**
 * The board in the record of a workshop: a snapshot's board read-only as it was, both boards side
 * by side when comparing, the board as a PNG, and the whole workshop as a printable page (PDF).
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import type { SnapshotList } from '../../shared/api.ts'
import { readPngText } from '../../shared/pngText.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, type TestClient } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }

type EditorWindow = {
  __commonpotEditor: {
    createShape(shape: object): void
    updateShape(shape: object): void
    deleteShape(id: string): void
    getCurrentPageShapes(): { id: string }[]
  }
}

/** Draws through the live board's editor, as a person's pointer would: the edits go through tldraw into the document. */
async function editBoard(page: Page, edit: (editor: EditorWindow['__commonpotEditor']) => void): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as Partial<EditorWindow>).__commonpotEditor), null, {
    timeout: 20_000,
  })
  await page.evaluate(`(${edit.toString()})(window.__commonpotEditor)`)
}

const shapesIn = (page: Page, region: string) =>
  page.getByRole('region', { name: region, exact: true }).locator('.tl-shape')

describe('the board in snapshots', () => {
  it('shows the snapshot board read-only, both boards when comparing, and exports a PNG and a printable page', async () => {
    const room = await createRoom(workshop.server, 'Swindon: end of day one')
    const writer = connect(workshop.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    addPotLine(
      writer.doc,
      {
        ...DEFAULT_LINE,
        partner: 'Department for Work and Pensions (DWP)',
        stream: 'Work Programme',
        amount: 60_000_000,
      },
      dwp,
      1,
    )

    const page = await workshop.newPage({ defaultTimeout: 15_000 })
    const watch = watchPage(page)
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Swindon Borough Council',
      { waitLive: true },
    )
    await viewTab(page, 'Board').click()
    await editBoard(page, (editor) => {
      editor.createShape({ id: 'shape:kept', type: 'geo', x: 100, y: 100, props: { w: 200, h: 120, geo: 'rectangle' } })
      editor.createShape({
        id: 'shape:dropped',
        type: 'geo',
        x: 400,
        y: 100,
        props: { w: 160, h: 160, geo: 'ellipse' },
      })
    })

    // tldraw's own limit (4,000 shapes a page) is below a big workshop's board.
    expect(
      await page.evaluate(
        () =>
          (window as unknown as { __commonpotEditor: { options: { maxShapesPerPage: number } } }).__commonpotEditor
            .options.maxShapesPerPage,
      ),
    ).toBe(10_000)
    await viewTab(page, 'Snapshots').click()
    await page.getByLabel('Snapshot name').fill('End of day one')
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    const row = page.locator('tr[data-snapshot-id]', { hasText: 'End of day one' })
    await row.waitFor({ timeout: 5000 })

    // The board moves on: one shape moved, one deleted, one added.
    await viewTab(page, 'Board').click()
    await editBoard(page, (editor) => {
      editor.updateShape({ id: 'shape:kept', type: 'geo', x: 150 })
      editor.deleteShape('shape:dropped')
      editor.createShape({
        id: 'shape:added',
        type: 'geo',
        x: 100,
        y: 400,
        props: { w: 240, h: 100, geo: 'rectangle' },
      })
    })

    // Compare: both boards side by side, what changed counted on each side.
    await viewTab(page, 'Snapshots').click()
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    const pair = page.getByRole('region', { name: 'Boards side by side' })
    await pair.getByText('End of day one · 1 removed, 1 changed').waitFor({ timeout: 10_000 })
    await pair.getByText('now · 1 added, 1 changed').waitFor()
    await expect.poll(() => shapesIn(page, 'Board: End of day one').count(), { timeout: 15_000 }).toBe(2)
    await expect.poll(() => shapesIn(page, 'Board: now').count(), { timeout: 15_000 }).toBe(2)
    expect(
      await shapesIn(page, 'Board: End of day one').evaluateAll((shapes) =>
        shapes.map((s) => s.getAttribute('data-shape-id')).sort(),
      ),
    ).toEqual(['shape:dropped', 'shape:kept'])
    expect(
      await shapesIn(page, 'Board: now').evaluateAll((shapes) =>
        shapes.map((s) => s.getAttribute('data-shape-id')).sort(),
      ),
    ).toEqual(['shape:added', 'shape:kept'])

    // Open the snapshot: its board as it was, and nothing on it can be drawn or moved.
    await row.getByRole('link', { name: 'Open' }).click()
    await page.waitForURL(/\/snapshots\//)
    await page.getByText('Snapshot — End of day one').waitFor({ timeout: 10_000 })
    await page.locator('nav[aria-label="Snapshot views"]').getByRole('button', { name: 'Board', exact: true }).click()
    const snapshotBoard = 'Board of the snapshot End of day one'
    await expect.poll(() => shapesIn(page, snapshotBoard).count(), { timeout: 15_000 }).toBe(2)
    await page.getByText('2 shapes on the board, as they were.').waitFor()
    const canvas = page.getByRole('region', { name: snapshotBoard }).locator('.tl-canvas')
    const box = (await canvas.boundingBox())!
    // Focus the canvas away from tldraw's menus, then try to draw a rectangle and delete everything.
    await page.mouse.click(box.x + box.width - 60, box.y + box.height / 2)
    await page.keyboard.press('r')
    await page.mouse.move(box.x + 40, box.y + 40)
    await page.mouse.down()
    await page.mouse.move(box.x + 200, box.y + 200, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Delete')
    expect(await shapesIn(page, snapshotBoard).count()).toBe(2)

    // The board as a PNG: a real image of both shapes.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download picture (PNG)' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(
      /^Swindon end of day one-snapshot End of day one board-\d{4}-\d\d-\d\d\.png$/,
    )
    const png = fs.readFileSync((await download.path())!)
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    // IHDR: width and height, big-endian, at bytes 16 and 20. The two shapes span 460 × 160 page
    // units; with 32 of margin each side, at twice the size.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([(460 + 64) * 2, (160 + 64) * 2])
    const snapshots = (await (
      await fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/snapshots?token=${room.tokens.observer}`)
    ).json()) as SnapshotList
    const sha256 = snapshots.snapshots.find((s) => s.name === 'End of day one')!.sha256
    // The image says which exact state it shows.
    expect(readPngText(png).Comment).toMatch(
      new RegExp(
        `^Commonpot snapshot "End of day one" of "Swindon: end of day one" \\(room ${room.roomId}\\), taken .+, SHA-256 ${sha256}$`,
      ),
    )

    // The printable page: everything, with the SHA-256, laid out for paper.
    await page.getByRole('link', { name: 'Printable page' }).click()
    await page.waitForURL(/\/print$/)
    await page.getByTestId('print-pot-total').getByText('£600,000').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('print-sha256').textContent()).toBe(sha256)
    await page.getByText('Snapshot — End of day one').waitFor()
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false)
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.emulateMedia({ media: 'screen' })
    expect(watch.errors).toEqual([])
  }, 90_000)

  it('prints the live workshop as it is now', async () => {
    const room = await createRoom(workshop.server, 'Swindon: live print')
    const writer = connect(workshop.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    addPotLine(
      writer.doc,
      { ...DEFAULT_LINE, partner: 'Swindon Borough Council', stream: 'Troubled Families', amount: 25_000_000 },
      dwp,
      1,
    )
    const page = await workshop.newPage()
    await joinWorkshop(
      page,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.participant}`,
      'Pat Participant',
      'Swindon Borough Council',
      { waitLive: true },
    )
    await viewTab(page, 'Snapshots').click()
    // The printable page opens beside the live workshop, which stays connected.
    const [print] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Printable page' }).click(),
    ])
    expect(print.url()).toBe(`${workshop.server.origin}/r/${room.roomId}/print`)
    await print.getByRole('heading', { name: 'Swindon: live print', level: 1 }).waitFor({ timeout: 10_000 })
    await print.getByText('The workshop as it stood when printed').waitFor()
    expect(await print.getByTestId('print-pot-total').textContent()).toContain('£250,000')
    const pot = print.getByRole('region', { name: 'Virtual pot' })
    await pot.getByRole('cell', { name: 'Troubled Families' }).waitFor()
    expect(await print.getByTestId('print-sha256').count()).toBe(0)
    expect(await page.locator('[data-status="live"]').count()).toBe(1)
    // The tab it opened offers to close, rather than a second copy of the workshop.
    await Promise.all([print.waitForEvent('close'), print.getByRole('button', { name: 'Close this tab' }).click()])
  })
})
