/**
 * Invite links bound to an organisation, in real browsers against the built app (issue #16): the
 * facilitator makes a DWP link in the invite panel; whoever opens it joins as DWP (fixed, not
 * editable) with the name the link gives, and states DWP's position, which the facilitator sees as
 * stated through DWP's link; a general-link participant's position shows as self-declared and does
 * not block; the facilitator records the rest explicitly on behalf; revoking DWP's links
 * disconnects DWP alone.
 *
 * With SCREENSHOTS_DIR set, the invite panel and the positions are also captured at 1440×900,
 * 1024×768 and 768×1024 for a person to look at.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { downloadFromMenu, joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const newPage = (): Promise<Page> => workshop.newPage({ width: 1440, height: 900, defaultTimeout: 10_000 })
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

const purpose = (page: Page): Locator => page.getByRole('article', { name: /Purpose/ })
const positionOf = (page: Page, organisation: string): Locator =>
  purpose(page).locator('.position-list li', {
    has: page.locator('strong', { hasText: new RegExp(`^${organisation}$`) }),
  })

describe('a participant link bound to an organisation', () => {
  let fiona: Page
  let dana: Page
  let pat: Page
  const errors: string[][] = []

  it('is made in the invite panel and opens as that organisation, fixed, with the name it gives', async () => {
    const room = await createRoom(workshop.server, 'Kent: bound links')
    fiona = await newPage()
    errors.push(watchPage(fiona).errors)
    await joinWorkshop(
      fiona,
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
      'Fiona',
      'Kent County Council',
      { waitLive: true },
    )

    // Until organisations are listed, the panel says where to list them.
    const panel = fiona.getByRole('complementary', { name: 'Invite people' })
    await panel.getByTestId('no-organisations').waitFor()
    await panel.getByText('Anyone with this link can edit; what they state counts as self-declared.').waitFor()

    await fiona.getByRole('button', { name: 'Workshop', exact: true }).click()
    for (const organisation of ['DWP', 'Kent Police', 'Kent County Council']) {
      await fiona.getByLabel('Organisation taking part', { exact: true }).fill(organisation)
      await fiona
        .getByRole('form', { name: 'Add an organisation taking part' })
        .getByRole('button', { name: 'Add', exact: true })
        .click()
      await fiona.getByRole('button', { name: `Remove ${organisation}` }).waitFor()
    }
    await fiona.getByRole('button', { name: 'Invite', exact: true }).click()

    // A name over 80 characters is refused at the field, with focus on it.
    const form = panel.getByRole('form', { name: 'Make a link for an organisation' })
    await form.getByLabel('Organisation').selectOption('DWP')
    const name = form.getByLabel('Person’s name (optional)')
    await name.fill('D'.repeat(81))
    await form.getByRole('button', { name: 'Create organisation link' }).click()
    await form.getByRole('alert').getByText('The person’s name must be at most 80 characters.').waitFor()
    expect(await name.getAttribute('aria-invalid')).toBe('true')
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true)

    await name.fill('Dana Smith')
    await form.getByRole('button', { name: 'Create organisation link' }).click()
    const dwpLink = panel.getByLabel('DWP participant link', { exact: true })
    await dwpLink.waitFor()
    expect(await dwpLink.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await form.getByRole('alert').count()).toBe(0)
    await panel.getByText(/New DWP link created for Dana Smith/).waitFor()
    const link = await dwpLink.inputValue()
    expect(new URL(link).pathname).toBe(`/r/${room.roomId}`)
    await capture(
      fiona,
      'invite-panel-form',
      panel.getByRole('heading', { name: 'Participants: a link per organisation' }),
    )
    await capture(fiona, 'invite-panel-links', dwpLink)

    // Dana opens it: DWP is fixed, her name filled in.
    dana = await newPage()
    errors.push(watchPage(dana).errors)
    await dana.goto(link)
    const organisation = dana.getByLabel('Your organisation')
    expect(await organisation.inputValue()).toBe('DWP')
    expect(await organisation.isEditable()).toBe(false)
    expect(await dana.getByLabel('Your name').inputValue()).toBe('Dana Smith')
    await dana.getByText('Your invite link was made for DWP').waitFor()
    await capture(dana, 'join-bound')
    await dana.getByRole('button', { name: 'Join workshop' }).click()
    await dana.locator('[data-status="live"]').waitFor()

    // Pat joins through the general participant link, saying he is from Kent Police.
    const general = await panel.getByLabel('Participants link').inputValue()
    pat = await newPage()
    errors.push(watchPage(pat).errors)
    await pat.goto(general)
    await pat.getByText('This is a general invite link').waitFor()
    await pat.getByLabel('Your name').fill('Pat')
    await pat.getByLabel('Your organisation').fill('Kent Police')
    await pat.getByRole('button', { name: 'Join workshop' }).click()
    await pat.locator('[data-status="live"]').waitFor()
  })

  it('states DWP’s position, seen by the facilitator as stated through DWP’s link; a general link’s is self-declared', async () => {
    for (const page of [fiona, dana, pat]) await viewTab(page, 'Protocol').click()
    await fiona.getByRole('button', { name: 'Start from the pooled budget template' }).click()
    await purpose(fiona).getByRole('button', { name: 'Propose for agreement' }).click()

    // Dana can state DWP's position only: no choice of organisation.
    await purpose(dana).getByLabel('Position of DWP on Purpose').waitFor()
    expect(
      await purpose(dana)
        .getByLabel(/^Whose position/)
        .count(),
    ).toBe(0)
    await purpose(dana).locator('.position-org').getByText('your link').waitFor()
    await purpose(dana).getByLabel('Position of DWP on Purpose').selectOption('agree')
    await purpose(dana).getByLabel('Reason for the position on Purpose').fill('We can pool the Flexible Support Fund')
    await capture(dana, 'protocol-bound-participant', purpose(dana).locator('.position-form'))
    await purpose(dana).getByRole('button', { name: 'State position' }).click()

    const dwp = positionOf(fiona, 'DWP')
    await dwp.waitFor()
    expect(await dwp.getAttribute('data-basis')).toBe('link')
    expect((await dwp.textContent())?.replace(/\s+/g, ' ')).toBe(
      'DWP — Agree · “We can pool the Flexible Support Fund” (stated through DWP’s link by Dana Smith)',
    )
    const matrix = fiona.getByRole('region', { name: 'Sign-off' })
    const dwpColumn = await matrix.locator('thead th').allTextContents()
    const dwpCell = matrix
      .locator('tbody tr')
      .first()
      .locator('td')
      .nth(dwpColumn.indexOf('DWP') - 1)
    expect((await dwpCell.textContent())?.replace(/\s+/g, ' ')).toBe('Agree by link')

    // Pat's block is self-declared: shown as an objection, blocking nothing.
    await purpose(pat).locator('.position-org').getByText('self-declared').waitFor()
    await purpose(pat).getByLabel('Position of Kent Police on Purpose').selectOption('block')
    await purpose(pat).getByLabel('Reason for the position on Purpose').fill('We were not asked about data sharing')
    await purpose(pat).getByRole('button', { name: 'State position' }).click()
    const police = positionOf(fiona, 'Kent Police')
    await police.waitFor()
    expect(await police.getAttribute('data-basis')).toBe('self-declared')
    await police.getByText('(self-declared by Pat)').waitFor()
    await purpose(fiona).locator('.self-declared-note').getByText('We were not asked about data sharing').waitFor()
    expect(await purpose(fiona).getByText('Blocked, so it cannot pass').count()).toBe(0)
    await purpose(fiona).getByText('Waiting for Kent County Council, Kent Police.').waitFor()
    await capture(fiona, 'protocol-positions', purpose(fiona).locator('.positions'))
    await capture(fiona, 'signoff-matrix', matrix)

    // The facilitator records the others' positions explicitly on their behalf; the clause passes.
    const whose = purpose(fiona).getByLabel('Whose position on Purpose')
    expect(await whose.locator('option').allTextContents()).toEqual([
      'Kent County Council (self-declared)',
      'On behalf of DWP',
      'On behalf of Kent County Council',
      'On behalf of Kent Police',
    ])
    await whose.selectOption({ label: 'On behalf of Kent County Council' })
    await purpose(fiona).getByLabel('Position of Kent County Council on Purpose').selectOption('agree')
    await purpose(fiona).getByRole('button', { name: 'State position' }).click()
    await positionOf(fiona, 'Kent County Council').getByText('(on behalf, recorded by Fiona, facilitator)').waitFor()
    await whose.selectOption({ label: 'On behalf of Kent Police' })
    await purpose(fiona).getByLabel('Position of Kent Police on Purpose').selectOption('agree')
    await purpose(fiona).getByRole('button', { name: 'Change position' }).click()
    await fiona.getByTestId('protocol-state').getByText('1 of 9 clauses agreed').waitFor()
    await dana.getByTestId('protocol-state').getByText('1 of 9 clauses agreed').waitFor()

    const { text: markdown } = await downloadFromMenu(fiona, 'Minutes (Markdown)')
    expect(markdown).toContain(
      '- DWP: **Agree** (We can pool the Flexible Support Fund), stated through DWP’s link by Dana Smith',
    )
    expect(markdown).toContain('- Kent Police: **Agree**, on behalf, recorded by Fiona, facilitator')
  })

  it('is revoked for DWP alone from the invite panel, after a confirmation', async () => {
    const invite = fiona.getByRole('button', { name: 'Invite', exact: true })
    if ((await invite.getAttribute('aria-expanded')) !== 'true') await invite.click()
    const panel = fiona.getByRole('complementary', { name: 'Invite people' })
    const dwpItem = panel.locator('li[data-organisation="DWP"]')
    await dwpItem.getByRole('button', { name: 'Revoke DWP’s links' }).click()
    const confirm = dwpItem.getByRole('group', { name: /Revoke DWP’s participant links\?/ })
    await confirm.waitFor()
    // Cancel gives focus back to the button that asked.
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect(
      await dwpItem.getByRole('button', { name: 'Revoke DWP’s links' }).evaluate((el) => el === document.activeElement),
    ).toBe(true)
    await dwpItem.getByRole('button', { name: 'Revoke DWP’s links' }).click()
    await dwpItem.getByRole('button', { name: 'Revoke DWP’s links' }).click()
    await dana
      .getByRole('alert')
      .getByText('This invite link has been revoked. Ask the facilitator for a new one.')
      .waitFor()
    await dwpItem.getByText(/Every earlier DWP link has stopped working/).waitFor()
    // Pat, on the general link, is still in.
    await pat.locator('[data-status="live"]').waitFor()
    expect(await pat.getByRole('heading', { name: 'Disconnected from the workshop' }).count()).toBe(0)
    for (const list of errors) expect(list).toEqual([])
  })
})
