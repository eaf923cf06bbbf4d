/**
 * The board as people take it away and work on it, in real browsers against the built app:
 * cards placed from the pot, barriers and actions land in free space and never on one another,
 * "Arrange cards" lays them in titled columns for everyone in one undoable step, and the board's
 * picture (PNG and SVG, live and of a snapshot) shows each card with its data, for a participant
 * and an observer alike.
 */
import fs from 'node:fs'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addAction } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, setBarrierStatus } from '../../shared/barriers.ts'
import type { Actor } from '../../shared/ledger.ts'
import { readPngText } from '../../shared/pngText.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, type TestClient } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

const writer: Actor = { userId: 'node-writer', name: 'Kim Kent', organisation: 'Swindon Borough Council' }
const TITLE = 'Swindon: the board after day one'
const PARTNER = 'Department for Work and Pensions (DWP)'
const STREAM = 'Work Programme'
const BARRIER = 'ESF money cannot be pooled at source'
const ACTION = 'DH will hold a workshop with the 16 areas'
/** Accents the picture must show: an agreed pot line, an escalated barrier, an open action. */
const AGREED = [0x3b, 0x82, 0xf6] as const
const ESCALATED = [0xd9, 0x77, 0x06] as const
const OPEN = [0x25, 0x63, 0xeb] as const

interface ShapeBox {
  id: string
  type: string
  x: number
  y: number
  w: number
  h: number
}

type TestEditor = {
  getCurrentPageShapes(): { id: string; type: string }[]
  getShapePageBounds(shape: { id: string }): { x: number; y: number; w: number; h: number }
  getViewportPageBounds(): { toJson(): { x: number; y: number; w: number; h: number } }
  getCurrentPageBounds(): { toJson(): { x: number; y: number; w: number; h: number } }
  undo(): void
}

async function waitForEditor(page: Page): Promise<void> {
  await page.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
  await page.waitForFunction(() => Boolean((window as unknown as { __commonpotEditor?: unknown }).__commonpotEditor))
}

/** Every shape on the page with its page bounds, read through the editor the board exposes for tests. */
function shapeBoxes(page: Page): Promise<ShapeBox[]> {
  return page.evaluate(() => {
    const editor = (window as unknown as { __commonpotEditor: TestEditor }).__commonpotEditor
    return editor.getCurrentPageShapes().map((shape) => {
      const b = editor.getShapePageBounds(shape)
      return { id: shape.id, type: shape.type, x: b.x, y: b.y, w: b.w, h: b.h }
    })
  })
}

const overlaps = (a: ShapeBox, b: ShapeBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

function expectNoOverlaps(boxes: ShapeBox[]): void {
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1)) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false)
}

const cardsOnly = (boxes: ShapeBox[]) => boxes.filter((b) => ['pot-line', 'barrier', 'action'].includes(b.type))
const byType = (boxes: ShapeBox[], type: string) => boxes.find((b) => b.type === type) as ShapeBox

async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()])
  return { name: file.suggestedFilename(), bytes: fs.readFileSync((await file.path())!) }
}

/** Colour statistics of the PNG as the browser decodes it: how many pixels are near each colour, and how many are dark (ink). */
async function pngPixels(
  page: Page,
  png: Buffer,
  colours: Record<string, readonly [number, number, number]>,
  region?: { x: number; y: number; w: number; h: number },
): Promise<{ width: number; height: number; near: Record<string, number>; ink: number }> {
  return page.evaluate(
    async ({ base64, colours, region }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
      const canvas = document.createElement('canvas')
      canvas.width = bitmap.width
      canvas.height = bitmap.height
      const context = canvas.getContext('2d')!
      context.drawImage(bitmap, 0, 0)
      const r = region ?? { x: 0, y: 0, w: bitmap.width, h: bitmap.height }
      const data = context.getImageData(r.x, r.y, r.w, r.h).data
      const near: Record<string, number> = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]))
      let ink = 0
      for (let i = 0; i < data.length; i += 4) {
        const [red, green, blue] = [data[i]!, data[i + 1]!, data[i + 2]!]
        if (red + green + blue < 3 * 90) ink++
        for (const [name, [cr, cg, cb]] of Object.entries(colours))
          if (Math.abs(red - cr) <= 12 && Math.abs(green - cg) <= 12 && Math.abs(blue - cb) <= 12) near[name]!++
      }
      return { width: bitmap.width, height: bitmap.height, near, ink }
    },
    { base64: png.toString('base64'), colours, region },
  )
}

/** The card texts a reader must find in a picture of this board, and nothing drawn as removed. */
function expectCardsDrawn(svg: string): void {
  for (const text of [
    PARTNER,
    STREAM,
    '£250,000',
    'Agreed',
    'BARRIER',
    'Escalated',
    'DWP',
    'ACTION',
    'Open',
    'Due 1 Dec 2099',
  ])
    expect(svg).toContain(text)
  // Titles may wrap over lines: every word of each is drawn, in order.
  const drawn = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ')
  expect(drawn.replace(/\s+/g, ' ')).toContain(BARRIER)
  expect(drawn.replace(/\s+/g, ' ')).toContain(ACTION)
  expect(svg).not.toMatch(/Removed/)
  // Each card is plain SVG, drawn from its item, that any program can open (no HTML inside).
  for (const title of [PARTNER, BARRIER, ACTION]) {
    const card = svg.match(new RegExp(`<g[^>]*data-card-title="${title.replace(/[()]/g, '\\$&')}"[\\s\\S]*?</g></g>`))
    expect(card, title).not.toBeNull()
    expect(card![0]).not.toContain('foreignObject')
  }
}

describe('the board: placing, arranging and its picture', () => {
  let roomId = ''
  let tokens: Record<'facilitator' | 'participant' | 'observer', string>
  let participant: Page
  let facilitator: Page
  const errors: string[][] = []

  it('places three cards in a row, each in free space in view; Arrange lays them in columns for everyone, undoably', async () => {
    const room = await createRoom(workshop.server, TITLE)
    roomId = room.roomId
    tokens = room.tokens
    const client = connect(workshop.server, roomId, tokens.facilitator)
    clients.push(client)
    await client.firstSync
    addPotLine(
      client.doc,
      { ...DEFAULT_LINE, partner: PARTNER, stream: STREAM, amount: 25_000_000, status: 'agreed' },
      writer,
      1,
    )
    const barrierId = addBarrier(client.doc, { ...DEFAULT_BARRIER, title: BARRIER, raisedBy: 'Swindon' }, writer, 2)
    setBarrierStatus(client.doc, barrierId, 'with-department', writer, 3)
    setBarrierStatus(client.doc, barrierId, 'escalated', writer, 4)
    addAction(
      client.doc,
      {
        what: ACTION,
        ownerOrganisation: 'Department of Health (DH)',
        ownerPerson: 'Owen Price',
        dueDate: '2099-12-01',
        status: 'open',
      },
      writer,
      5,
    )

    participant = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 15_000 })
    errors.push(watchPage(participant).errors)
    await joinWorkshop(
      participant,
      `${workshop.server.origin}/r/${roomId}?token=${tokens.participant}`,
      'Pat Participant',
      'Swindon Borough Council',
      { waitLive: true },
    )

    await viewTab(participant, 'Pot').click()
    await participant.getByRole('button', { name: `Place on board: ${PARTNER} · ${STREAM}` }).click()
    await waitForEditor(participant)
    await expect.poll(async () => cardsOnly(await shapeBoxes(participant)).length).toBe(1)
    await viewTab(participant, 'Barriers').click()
    await participant.getByRole('button', { name: BARRIER, exact: true }).click()
    await participant.locator('section.barrier-details').getByRole('button', { name: 'Place on board' }).click()
    await expect.poll(async () => cardsOnly(await shapeBoxes(participant)).length).toBe(2)
    await viewTab(participant, 'Actions').click()
    await participant.getByRole('button', { name: new RegExp(`^Place on board: .*${ACTION}`) }).click()
    await expect.poll(async () => cardsOnly(await shapeBoxes(participant)).length).toBe(3)

    // Three cards placed one after another: none covers another, and all are in view.
    const placed = await shapeBoxes(participant)
    expectNoOverlaps(placed)
    const view = await participant.evaluate(() =>
      (window as unknown as { __commonpotEditor: TestEditor }).__commonpotEditor.getViewportPageBounds().toJson(),
    )
    for (const box of placed) {
      expect(box.x >= view.x && box.y >= view.y).toBe(true)
      expect(box.x + box.w <= view.x + view.w && box.y + box.h <= view.y + view.h).toBe(true)
    }
    // Each card shows its own item, visible on screen.
    await participant.locator('.tl-shape[data-shape-type="barrier"]').getByText(BARRIER).waitFor()
    await participant.locator('.tl-shape[data-shape-type="action"]').getByText(ACTION).waitFor()
    await participant.locator('.tl-shape[data-shape-type="pot-line"]').getByText('£250,000').waitFor()

    // Someone else is watching the same board.
    facilitator = await workshop.newPage({ width: 1024, height: 768, defaultTimeout: 15_000 })
    errors.push(watchPage(facilitator).errors)
    await joinWorkshop(
      facilitator,
      `${workshop.server.origin}/r/${roomId}?token=${tokens.facilitator}`,
      'Fiona Facilitator',
      'Swindon Borough Council',
      { waitLive: true },
    )
    await waitForEditor(facilitator)
    await expect.poll(async () => cardsOnly(await shapeBoxes(facilitator)).length).toBe(3)

    // A participant may move cards, so a participant may arrange them.
    await participant.getByRole('button', { name: 'Arrange cards' }).click()
    await participant.getByText('Arranged 3 cards in columns.').waitFor()
    const arranged = await shapeBoxes(participant)
    expectNoOverlaps(arranged)
    const [pot, barrier, action] = ['pot-line', 'barrier', 'action'].map((type) => byType(arranged, type)) as [
      ShapeBox,
      ShapeBox,
      ShapeBox,
    ]
    // Columns left to right: Pot, Barriers, Actions, tops level.
    expect(pot.x + pot.w).toBeLessThan(barrier.x)
    expect(barrier.x + barrier.w).toBeLessThan(action.x)
    expect(new Set([pot.y, barrier.y, action.y]).size).toBe(1)
    // Each column titled above its card.
    const headings = await participant.evaluate(() => {
      const editor = (window as unknown as { __commonpotEditor: TestEditor }).__commonpotEditor
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'text')
        .map((s) => {
          const b = editor.getShapePageBounds(s)
          const el = document.querySelector(`[data-shape-id="${s.id}"]`)
          return { id: s.id, text: el?.textContent?.trim() ?? '', x: b.x, y: b.y, w: b.w, h: b.h }
        })
    })
    expect(headings.map((h) => h.text).sort()).toEqual(['Actions', 'Barriers', 'Pot'])
    for (const [title, card] of [
      ['Pot', pot],
      ['Barriers', barrier],
      ['Actions', action],
    ] as const) {
      const heading = headings.find((h) => h.text === title)!
      expect(Math.abs(heading.x - card.x)).toBeLessThan(1)
      expect(heading.y + heading.h).toBeLessThanOrEqual(card.y)
    }

    // The other person sees the same arrangement.
    const key = (boxes: ShapeBox[]) =>
      JSON.stringify(
        boxes
          .map((b) => [b.id, Math.round(b.x), Math.round(b.y)])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      )
    await expect.poll(async () => key(await shapeBoxes(facilitator)), { timeout: 10_000 }).toBe(key(arranged))

    // One undo takes the whole arrangement back, for everyone.
    await participant.evaluate(() => {
      ;(window as unknown as { __commonpotEditor: TestEditor }).__commonpotEditor.undo()
    })
    await expect.poll(async () => key(await shapeBoxes(participant))).toBe(key(placed))
    await expect.poll(async () => key(await shapeBoxes(facilitator)), { timeout: 10_000 }).toBe(key(placed))
    await participant.getByRole('button', { name: 'Arrange cards' }).click()
    await expect.poll(async () => key(await shapeBoxes(facilitator)), { timeout: 10_000 }).toBe(key(arranged))
  }, 120_000)

  it('gives a participant a picture of the live board, PNG and SVG, with every card drawn from its data', async () => {
    const png = await download(participant, participant.getByRole('button', { name: 'Download picture (PNG)' }))
    const svg = await download(participant, participant.getByRole('button', { name: 'Download picture (SVG)' }))
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
    expect(png.name).toBe(`Swindon the board after day one-board-${today}.png`)
    expect(svg.name).toBe(`Swindon the board after day one-board-${today}.svg`)

    const svgText = svg.bytes.toString('utf8')
    expectCardsDrawn(svgText)
    expect(svgText).toContain(`(room ${roomId}), live, drawn `)

    // The PNG: the page's shapes with 32 of margin, at twice the size, saying what it shows.
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const bounds = await participant.evaluate(() =>
      (window as unknown as { __commonpotEditor: TestEditor }).__commonpotEditor.getCurrentPageBounds().toJson(),
    )
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([
      Math.round((bounds.w + 64) * 2),
      Math.round((bounds.h + 64) * 2),
    ])
    expect(readPngText(png.bytes).Comment).toMatch(
      new RegExp(`^Commonpot board of "${TITLE}" \\(room ${roomId}\\), live, drawn \\d{4}-\\d\\d-\\d\\dT.+Z$`),
    )

    // Its pixels: each card in its colours, with text on it, where the board has it.
    const boxes = await shapeBoxes(participant)
    const inPng = (b: ShapeBox) => ({
      x: Math.round((b.x - bounds.x + 32) * 2),
      y: Math.round((b.y - bounds.y + 32) * 2),
      w: Math.round(b.w * 2),
      h: Math.round(b.h * 2),
    })
    const colours = { agreed: AGREED, escalated: ESCALATED, open: OPEN }
    const potPixels = await pngPixels(participant, png.bytes, colours, inPng(byType(boxes, 'pot-line')))
    const barrierPixels = await pngPixels(participant, png.bytes, colours, inPng(byType(boxes, 'barrier')))
    const actionPixels = await pngPixels(participant, png.bytes, colours, inPng(byType(boxes, 'action')))
    // The pot card's 6-unit edge down its 120 height (at twice the size) and the barrier's and
    // action's 5-unit bar across their 260 width, less the rounded corners.
    expect(potPixels.near.agreed).toBeGreaterThan(12 * 200)
    expect(barrierPixels.near.escalated).toBeGreaterThan(10 * 480)
    expect(actionPixels.near.open).toBeGreaterThan(10 * 480)
    // Words are drawn: a card drawn as "removed" or blank has almost no dark ink.
    for (const pixels of [potPixels, barrierPixels, actionPixels]) expect(pixels.ink).toBeGreaterThan(600)
  }, 60_000)

  it('gives an observer the picture of a snapshot, PNG and SVG, with the cards as they were', async () => {
    const taken = await fetch(`${workshop.server.origin}/api/rooms/${roomId}/snapshots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.facilitator}` },
      body: JSON.stringify({ name: 'After arranging' }),
    })
    expect(taken.status).toBe(201)
    const snapshot = (await taken.json()) as { id: string; sha256: string }

    const observer = await workshop.newPage({ width: 1280, height: 800, defaultTimeout: 15_000 })
    errors.push(watchPage(observer).errors)
    await joinWorkshop(
      observer,
      `${workshop.server.origin}/r/${roomId}?token=${tokens.observer}`,
      'Olu Observer',
      'Audit Office',
      { waitLive: true },
    )
    // An observer sees the live board and may take its picture too, but not arrange it.
    await waitForEditor(observer)
    expect(await observer.getByRole('button', { name: 'Arrange cards' }).count()).toBe(0)
    const live = await download(observer, observer.getByRole('button', { name: 'Download picture (SVG)' }))
    expectCardsDrawn(live.bytes.toString('utf8'))

    await observer.goto(`${workshop.server.origin}/r/${roomId}/snapshots/${snapshot.id}`)
    await observer.getByText('Snapshot — After arranging').waitFor()
    await observer
      .locator('nav[aria-label="Snapshot views"]')
      .getByRole('button', { name: 'Board', exact: true })
      .click()
    await observer.getByText('6 shapes on the board, as they were.').waitFor()
    const png = await download(observer, observer.getByRole('button', { name: 'Download picture (PNG)' }))
    const svg = await download(observer, observer.getByRole('button', { name: 'Download picture (SVG)' }))
    expect(png.name).toMatch(/^Swindon the board after day one-snapshot After arranging board-\d{4}-\d\d-\d\d\.png$/)
    expectCardsDrawn(svg.bytes.toString('utf8'))
    expect(svg.bytes.toString('utf8')).toContain(`SHA-256 ${snapshot.sha256}`)
    expect(readPngText(png.bytes).Comment).toMatch(
      new RegExp(
        `^Commonpot snapshot "After arranging" of "${TITLE}" \\(room ${roomId}\\), taken .+, SHA-256 ${snapshot.sha256}$`,
      ),
    )
    const pixels = await pngPixels(observer, png.bytes, { agreed: AGREED, escalated: ESCALATED, open: OPEN })
    expect(pixels.near.agreed).toBeGreaterThan(12 * 200)
    expect(pixels.near.escalated).toBeGreaterThan(10 * 480)
    expect(pixels.near.open).toBeGreaterThan(10 * 480)
    expect(pixels.ink).toBeGreaterThan(2000)
    expect(errors.flat()).toEqual([])
  }, 90_000)
})
