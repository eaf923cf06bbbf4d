/**
 * The printed workshop and the protocol printed for signature, read as a reader would in a real
 * browser against the built app (issue #19, points 1 and 2): clause bodies formatted from their
 * structure (bold in <strong>, lists as lists, never `**`), the date in London time, attendees
 * with their organisations, the agenda, decisions with who agreed them, a signature block per
 * organisation, and a PDF with "Page n of N" on every page and no heading left at the foot of one.
 * The compare view shows a clause's changed wording formatted too.
 *
 * With SCREENSHOTS_DIR set, the pages are also captured at 1440×900, 1024×768 and 768×1024, and
 * the PDF is saved there, for a person to look at.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CreateRoomResponse } from '../../shared/api.ts'
import { addAgendaItem } from '../../shared/agenda.ts'
import { addAction, addDecision } from '../../shared/actions.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { addClause, clauseBody, proposeClause, statePosition } from '../../shared/protocol.ts'
import { setTakingPart } from '../../shared/workshopSettings.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, type TestClient, testDevice, waitFor } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))
const SCREENSHOTS = process.env.SCREENSHOTS_DIR
const SIZES = [
  [1440, 900],
  [1024, 768],
  [768, 1024],
] as const

async function capture(page: Page, name: string, target?: Locator): Promise<void> {
  if (!SCREENSHOTS) return
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await target?.scrollIntoViewIfNeeded()
    await page.waitForTimeout(150)
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`) })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

const SWINDON = 'Swindon Borough Council'
const DWP = 'Department for Work and Pensions (DWP)'
const KENT = 'Kent County Council'
const fiona = { userId: 'f', name: 'Fiona Facilitator', organisation: SWINDON }

function element(name: string, children: (Y.XmlElement | Y.XmlText)[], attributes: Record<string, string> = {}) {
  const node = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value)
  node.insert(0, children)
  return node
}

/** Replaces a clause's body with what the editor would store: a paragraph with bold words, and a list. */
function writeFormattedBody(doc: Y.Doc, clauseId: string, boldWords: string, items: string[]): void {
  const body = clauseBody(doc, clauseId)!
  doc.transact(() => {
    body.delete(0, body.length)
    const lead = new Y.XmlText()
    body.insert(0, [
      element('paragraph', [lead]),
      element(
        'bulletList',
        items.map((item) => element('listItem', [element('paragraph', [new Y.XmlText(item)])])),
      ),
    ])
    lead.applyDelta([
      { insert: 'Each partner makes a ' },
      { insert: boldWords, attributes: { bold: true } },
      { insert: ' and will ' },
      { insert: 'report quarterly', attributes: { italic: true } },
      { insert: '. See ' },
      { insert: 'the guidance', attributes: { link: { href: 'https://www.gov.uk/community-budgets' } } },
      { insert: '.' },
    ])
  })
}

/** A room with two people who joined in browsers, three organisations taking part, an agenda, clauses, a decision and an action. */
async function preparedRoom(title: string): Promise<{ room: CreateRoomResponse; writer: TestClient; pooling: string }> {
  const room = await createRoom(workshop.server, title)
  const people = [
    [await workshop.newPage(), room.links.facilitator, 'Fiona Facilitator', SWINDON],
    [await workshop.newPage(), room.links.participant, 'Dana Smith', DWP],
  ] as const
  for (const [page, link, name, organisation] of people)
    await joinWorkshop(page, link, name, organisation, { waitLive: true })
  for (const [page] of people) await page.context().close()

  const device = testDevice(`print-${title}`)
  const writer = connect(workshop.server, room.roomId, room.tokens.facilitator, { userSecret: device.secret })
  clients.push(writer)
  await writer.firstSync
  const actor = { ...fiona, userId: device.userId }
  const doc = writer.doc
  const now = Date.now()
  for (const organisation of [SWINDON, DWP, KENT]) setTakingPart(doc, organisation, 'area', actor, now + 1)
  addAgendaItem(doc, { title: 'Welcome and purpose', minutes: 15 })
  addAgendaItem(doc, { title: 'The virtual pot', minutes: 60 })
  addAgendaItem(doc, { title: 'Agreeing the protocol', minutes: 45 })
  addPotLine(doc, { ...DEFAULT_LINE, partner: DWP, stream: 'Work Programme', amount: 60_000_000 }, actor, now + 2)
  const pooling = addClause(doc, 'Pooling', ['placeholder'], actor, now + 3)
  writeFormattedBody(doc, pooling, 'Bold commitment', ['first point', 'second point'])
  proposeClause(doc, pooling, actor, now + 4)
  statePosition(doc, pooling, SWINDON, 'agree', '', actor, now + 5, 'on-behalf')
  statePosition(doc, pooling, DWP, 'disagree', 'Needs ministerial sign-off first', actor, now + 6, 'on-behalf')
  for (const [i, name] of ['Governance', 'Evaluation', 'Exit'].entries())
    addClause(
      doc,
      name,
      [`The partners agree how ${name.toLowerCase()} works, in full, and in writing.`],
      actor,
      now + 7 + i,
    )
  addDecision(doc, { what: 'Pool the Troubled Families money from April 2012' }, [SWINDON, DWP], actor, now + 10)
  addAction(
    doc,
    {
      what: 'Draft the legal agreement',
      ownerOrganisation: SWINDON,
      ownerPerson: 'Fiona',
      dueDate: '2012-03-31',
      status: 'open',
    },
    actor,
    now + 11,
  )
  // The server has everything when the export says so.
  await waitFor(() => writer.provider.synced, 5000, 'sync')
  await expect
    .poll(
      async () => {
        const response = await fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/export?format=json`, {
          headers: { Authorization: `Bearer ${room.tokens.observer}` },
        })
        const data = (await response.json()) as { actions: unknown[]; protocol: { clauses: { positions: object }[] } }
        return data.actions.length === 2 && Object.keys(data.protocol.clauses[0]?.positions ?? {}).length === 2
      },
      { timeout: 10_000 },
    )
    .toBe(true)
  return { room, writer, pooling }
}

/** The PDF's text, page by page (pdftotext keeps each page's lines in reading order). */
function pdfPages(pdf: Buffer): string[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonpot-print-'))
  try {
    const file = path.join(dir, 'print.pdf')
    fs.writeFileSync(file, pdf)
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    return text
      .split('\f')
      .slice(0, -1)
      .map((page) =>
        page
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const fontWeight = (locator: Locator) => locator.evaluate((el) => Number(getComputedStyle(el).fontWeight))

describe('the printed workshop', () => {
  it('prints clause bodies formatted, the London date, attendees, the agenda and decisions with who agreed them', async () => {
    const { room } = await preparedRoom('Swindon: pooled budget agreement')
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 10_000 })
    const watch = watchPage(page)
    await joinWorkshop(page, room.links.observer, 'Olu Observer', KENT, { waitLive: true })
    await page.goto(`${workshop.server.origin}/r/${room.roomId}/print`)
    const protocol = page.getByRole('region', { name: 'Protocol', exact: true })
    const pooling = protocol.locator('.print-clause', { hasText: 'Pooling' })
    await pooling.waitFor()

    // The body as formatted: bold in <strong>, drawn bold; italic in <em>; the list as a list; a safe link.
    const text = (await page.locator('main').textContent()) ?? ''
    expect(text).not.toContain('**')
    expect(text).not.toMatch(/(^|\s)- first point/)
    const bold = pooling.locator('strong', { hasText: 'Bold commitment' })
    expect(await bold.count()).toBe(1)
    expect(await fontWeight(bold)).toBeGreaterThanOrEqual(600)
    expect(await pooling.locator('em').textContent()).toBe('report quarterly')
    expect(await pooling.locator('.rich-text ul > li').allTextContents()).toEqual(['first point', 'second point'])
    const link = pooling.getByRole('link', { name: 'the guidance' })
    expect(await link.getAttribute('href')).toBe('https://www.gov.uk/community-budgets')
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow')
    // Each current position with its reason and how it was stated.
    expect(await pooling.getByRole('list', { name: 'Positions on clause 1' }).locator('li').allTextContents()).toEqual([
      `${DWP}: Disagree (Needs ministerial sign-off first), on behalf, recorded by Fiona Facilitator, facilitator`,
      `${SWINDON}: Agree, on behalf, recorded by Fiona Facilitator, facilitator`,
    ])

    // When, in London time, and which state.
    expect(await page.getByTestId('print-date').textContent()).toMatch(
      /^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} (GMT|BST) \(Europe\/London\)$/,
    )
    await page.getByText('The workshop as it stood when printed').waitFor()

    // Attendees with their organisations and roles, by organisation (an observer writes nothing, not even their name).
    const attendees = page.getByRole('table', { name: 'Attendees' }).locator('tbody tr')
    expect(
      await attendees.evaluateAll((rows) =>
        rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)),
      ),
    ).toEqual([
      ['Dana Smith', DWP, 'Participant'],
      // Observers attend too (the server records them: server/rooms/observerAttendance.ts).
      ['Olu Observer', 'Kent County Council', 'Observer'],
      ['Fiona Facilitator', SWINDON, 'Facilitator'],
    ])
    // The agenda in order, with timeboxes.
    expect(await page.getByRole('list', { name: 'Agenda items' }).locator('li').allTextContents()).toEqual([
      'Welcome and purpose (15 min)',
      'The virtual pot (1 h)',
      'Agreeing the protocol (45 min)',
    ])
    // Decisions under their own heading, with who agreed them; actions under theirs.
    const actions = page.getByRole('region', { name: 'Actions and decisions' })
    await actions.getByRole('heading', { name: 'Decisions', level: 3 }).waitFor()
    await actions.getByRole('heading', { name: 'Actions', level: 3 }).waitFor()
    const decision = actions.getByRole('table', { name: 'Decisions' }).locator('tbody tr').first()
    expect(await decision.locator('td').nth(0).textContent()).toBe('Pool the Troubled Families money from April 2012')
    expect(await decision.locator('td').nth(1).textContent()).toBe(`${DWP}, ${SWINDON}`)
    await capture(page, 'print-workshop-top')
    await capture(page, 'print-workshop', protocol)

    // On paper: "Page n of N" on every page, the title running at the top, and the Protocol heading
    // kept with its first clause even when it would fall at the foot of a page.
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false)
    const pdf = await page.pdf({ preferCSSPageSize: true })
    if (SCREENSHOTS) fs.writeFileSync(path.join(SCREENSHOTS, 'print-workshop.pdf'), pdf)
    const plain = pdfPages(pdf)
    expect(plain.length).toBeGreaterThanOrEqual(2)
    plain.forEach((lines, i) => {
      expect(lines.join('\n')).toContain(`Page ${i + 1} of ${plain.length}`)
      expect(lines.join('\n')).toContain('Swindon: pooled budget agreement')
    })
    const stranded = await pushHeadingToPageFoot(page, 'Protocol')
    // Some of those spacers leave room on page 1 for the heading: it must still go over.
    expect(stranded.filter(({ pages }) => pages[0]!.includes('Protocol')).length).toBe(0)
    for (const { spacer, pages } of stranded) {
      const headingPage = pages.findIndex((lines) => lines.includes('Protocol'))
      expect(headingPage, `spacer ${spacer}px`).toBeGreaterThanOrEqual(0)
      const body = pages[headingPage]!.filter((line) => !/^Page \d+ of \d+$/.test(line))
      expect(body.at(-1), `spacer ${spacer}px`).not.toBe('Protocol')
      expect(
        pages[headingPage]!.some((line) => line.startsWith('1. Pooling')),
        `spacer ${spacer}px: the heading's page holds the first clause`,
      ).toBe(true)
    }
    await page.emulateMedia({ media: 'screen' })
    expect(watch.errors).toEqual([])
  }, 120_000)

  it('prints the protocol alone for signature, with a signature block per organisation, from the Snapshots tab', async () => {
    const { room } = await preparedRoom('Kent: protocol to sign')
    const roomId = room.roomId
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 10_000 })
    const watch = watchPage(page)
    await joinWorkshop(page, room.links.facilitator, 'Fiona Facilitator', SWINDON, { waitLive: true })
    await viewTab(page, 'Snapshots').click()
    const [print] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Protocol for signature' }).click(),
    ])
    expect(print.url()).toBe(`${workshop.server.origin}/r/${roomId}/print/protocol`)
    await print.getByText('Protocol, for signature').waitFor()
    const pooling = print.locator('.print-clause', { hasText: 'Pooling' })
    expect(await fontWeight(pooling.locator('strong', { hasText: 'Bold commitment' }))).toBeGreaterThanOrEqual(600)
    expect((await print.locator('main').textContent()) ?? '').not.toContain('**')
    expect(await print.locator('.print-clause h3').allTextContents()).toEqual([
      '1. Pooling (Proposed)',
      '2. Governance (Draft)',
      '3. Evaluation (Draft)',
      '4. Exit (Draft)',
    ])
    await print.getByRole('region', { name: 'Sign-off receipts' }).waitFor()
    // The rest of the workshop is not on this page.
    expect(await print.getByRole('region', { name: 'Virtual pot' }).count()).toBe(0)
    const signatures = print.getByRole('region', { name: 'Signatures' })
    for (const organisation of [SWINDON, DWP, KENT]) {
      const block = signatures.getByRole('region', { name: `Signature for ${organisation}` })
      await block.getByRole('heading', { name: organisation }).waitFor()
      expect(await block.locator('dt').allTextContents()).toEqual(['Name', 'Role', 'Signature', 'Date'])
    }
    expect(await signatures.getByRole('region').count()).toBe(3)
    await capture(print, 'print-protocol', signatures)

    await print.emulateMedia({ media: 'print' })
    const pages = pdfPages(await print.pdf({ preferCSSPageSize: true }))
    pages.forEach((lines, i) => expect(lines.join('\n')).toContain(`Page ${i + 1} of ${pages.length}`))
    expect(pages.flat().join('\n')).toContain('Kent: protocol to sign — protocol for signature')
    if (SCREENSHOTS)
      fs.writeFileSync(path.join(SCREENSHOTS, 'print-protocol.pdf'), await print.pdf({ preferCSSPageSize: true }))
    await print.emulateMedia({ media: 'screen' })

    // The page switches to the whole workshop and back in its own tab, which still offers to close.
    await print.getByRole('link', { name: 'The whole workshop' }).click()
    await print.getByRole('region', { name: 'Virtual pot' }).waitFor()
    expect(print.url()).toBe(`${workshop.server.origin}/r/${roomId}/print`)
    await print.getByRole('button', { name: 'Close this tab' }).waitFor()
    expect(watch.errors).toEqual([])
  }, 120_000)

  it('shows a clause’s changed wording formatted in the compare view, additions and removals marked', async () => {
    const { room, writer, pooling } = await preparedRoom('Essex: wording compared')
    const page = await workshop.newPage({ width: 1440, height: 900, defaultTimeout: 10_000 })
    const watch = watchPage(page)
    await joinWorkshop(page, room.links.facilitator, 'Fiona Facilitator', SWINDON, { waitLive: true })
    await viewTab(page, 'Snapshots').click()
    await page.getByLabel('Snapshot name').fill('Before the rewording')
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    await page.locator('tr[data-snapshot-id]', { hasText: 'Before the rewording' }).waitFor()

    // The clause is reopened for drafting and reworded: new bold words, a list item added.
    const doc = writer.doc
    doc.transact(() => doc.getMap<Y.Map<unknown>>('protocol').get(pooling)!.set('status', 'draft'))
    writeFormattedBody(doc, pooling, 'Binding commitment', ['first point', 'second point', 'third point'])
    // Compared with "now", the page's own live document: it must have the rewording first.
    await viewTab(page, 'Protocol').click()
    await page
      .getByRole('article', { name: /Pooling/ })
      .getByText('Binding commitment')
      .waitFor()
    await viewTab(page, 'Snapshots').click()
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    const clauseText = page.getByRole('region', { name: 'Clause text' })
    const changed = clauseText.locator('.diff-clause', { hasText: 'Pooling' })
    await changed.waitFor()
    expect((await clauseText.textContent()) ?? '').not.toContain('**')
    const removed = changed.locator('del strong', { hasText: 'Bold' })
    const added = changed.locator('ins strong', { hasText: 'Binding' })
    expect(await fontWeight(removed)).toBeGreaterThanOrEqual(600)
    expect(await fontWeight(added)).toBeGreaterThanOrEqual(600)
    expect(await changed.locator('strong', { hasText: 'commitment' }).count()).toBe(1)
    expect(await changed.locator('.rich-text ul > li').allTextContents()).toEqual([
      'first point',
      'second point',
      'third point',
    ])
    expect(await changed.locator('ul > li ins').allTextContents()).toEqual(['third point'])
    // Counted as a reader counts words: no "**" or list marker among them.
    await page.getByText('Clause “Pooling”: text changed (3 words added, 1 word removed).').waitFor()
    await capture(page, 'compare-clause-text', changed)
    expect(watch.errors).toEqual([])
  }, 120_000)
})

/**
 * Prints the page with `heading`'s section first (what comes before it hidden) behind a spacer
 * sized so that the heading, or the heading and the line after it, land at the foot of page 1,
 * across a range of sizes: wherever it lands, the print stylesheet must carry it to the page of
 * the clause it heads.
 */
async function pushHeadingToPageFoot(page: Page, heading: string): Promise<{ spacer: number; pages: string[][] }[]> {
  // A4 less the stylesheet's top and foot margins (18 mm, 16 mm), in CSS pixels.
  const contentHeight = ((297 - 34) * 96) / 25.4
  await page.evaluate((name) => {
    const h2 = [...document.querySelectorAll('section.print-section > h2')].find((h) => h.textContent === name)!
    const section = h2.parentElement!
    for (const before of [...section.parentElement!.children]) {
      if (before === section) break
      ;(before as HTMLElement).style.display = 'none'
    }
    const spacer = document.createElement('div')
    spacer.id = 'test-spacer'
    section.before(spacer)
  }, heading)
  const results: { spacer: number; pages: string[][] }[] = []
  for (let spacer = Math.round(contentHeight - 150); spacer <= contentHeight - 30; spacer += 10) {
    await page.evaluate((height) => {
      document.getElementById('test-spacer')!.style.height = `${height}px`
    }, spacer)
    results.push({ spacer, pages: pdfPages(await page.pdf({ preferCSSPageSize: true })) })
  }
  await page.reload()
  await page.getByRole('region', { name: heading, exact: true }).waitFor()
  return results
}
