/**
 * Signed sign-off receipts in real browsers against the built app (issue #18, point 2): Swindon's
 * facilitator and DWP, each on a link bound to their organisation, agree a clause; both see its
 * signed receipt under the clause and DWP checks the signature against the key the server
 * publishes; the facilitator marks the protocol agreed as a whole and both see it; the printed
 * agreement lists the receipts with the key and where it is published.
 *
 * With SCREENSHOTS_DIR set, the receipt, the mark and the printed receipts are also captured at
 * 1440×900, 1024×768 and 768×1024 for a person to look at.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { inviteResponseSchema } from '../../shared/api.ts'
import { signingKeyResponseSchema } from '../../shared/receipts.ts'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

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

const clause = (page: Page): Locator => page.getByRole('article', { name: /Pooling/ })

describe('sign-off receipts in the browser', () => {
  it('shows each agreed clause’s signed receipt, checks it against the published key, and prints it', async () => {
    const room = await createRoom(workshop.server, 'Swindon: pooled budget protocol')
    const bound = async (role: string, organisation: string, name: string) => {
      const response = await fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/invites`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ role, organisation, name, expiresInHours: 1 }),
      })
      return inviteResponseSchema.parse(await response.json()).link
    }
    const key = signingKeyResponseSchema.parse(await (await fetch(`${workshop.server.origin}/api/signing-key`)).json())

    const fiona = await newPage()
    const dana = await newPage()
    const errors = [watchPage(fiona).errors, watchPage(dana).errors]
    for (const [page, link] of [
      [fiona, await bound('facilitator', 'Swindon Borough Council', 'Fiona')],
      [dana, await bound('participant', 'DWP', 'Dana Smith')],
    ] as const) {
      await page.goto(link)
      await page.getByRole('button', { name: 'Join workshop' }).click()
      await page.locator('[data-status="live"]').waitFor()
      await viewTab(page, 'Protocol').click()
    }

    await fiona.getByLabel('New clause').fill('Pooling')
    await fiona.getByRole('button', { name: 'Add clause' }).click()
    await clause(fiona).getByRole('button', { name: 'Propose for agreement' }).click()
    // Not every clause agreed: the mark is offered but says why it cannot be made yet.
    const mark = fiona.getByRole('button', { name: 'Mark the protocol agreed' })
    expect(await mark.isDisabled()).toBe(true)
    await fiona.getByText('1 of 1 clause is not agreed yet: every clause must be agreed first.').waitFor()
    expect(await dana.getByRole('button', { name: 'Mark the protocol agreed' }).count()).toBe(0)

    await clause(dana).getByLabel('Position of DWP on Pooling').selectOption('agree')
    await clause(dana).getByRole('button', { name: 'State position' }).click()
    await clause(fiona).getByLabel('Position of Swindon Borough Council on Pooling').selectOption('agree')
    await clause(fiona).getByRole('button', { name: 'State position' }).click()

    for (const page of [fiona, dana]) await clause(page).getByTestId('clause-receipt').waitFor()
    const receipt = clause(dana).getByTestId('clause-receipt')
    await receipt.locator('summary').click()
    await receipt.getByText(key.keyId).waitFor()
    await receipt.getByRole('button', { name: 'Check signature' }).click()
    await receipt
      .getByRole('status')
      .getByText(`Signature valid: signed by this server’s key ${key.keyId}, and the wording is as signed.`)
      .waitFor()
    await capture(dana, 'receipt-clause', receipt)

    await mark.click()
    for (const page of [fiona, dana])
      await page.getByTestId('protocol-agreement').getByText('Protocol agreed as a whole').waitFor()
    await dana.getByTestId('protocol-agreement').getByText('Signed receipt for the whole protocol').waitFor()
    // No clause can be added to a protocol agreed as a whole.
    expect(await fiona.getByLabel('New clause').count()).toBe(0)
    await capture(fiona, 'receipt-protocol', fiona.getByTestId('protocol-agreement'))

    await dana.goto(`${workshop.server.origin}/r/${room.roomId}/print`)
    const printed = dana.getByRole('region', { name: 'Sign-off receipts' })
    await printed.getByRole('heading', { name: 'Clause agreed: “Pooling”' }).waitFor()
    await printed.getByRole('heading', { name: 'Protocol agreed as a whole (1 clause)' }).waitFor()
    const keyLine = (await printed.getByTestId('print-signing-key').textContent())?.replace(/\s+/g, ' ')
    expect(keyLine).toContain(`key ${key.keyId} (public key ${key.publicKey})`)
    expect(keyLine).toContain(`published at ${workshop.server.origin}/api/signing-key`)
    expect((await printed.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Positions: DWP: Agree (by link, Dana Smith); Swindon Borough Council: Agree (by link, Fiona).',
    )
    await capture(dana, 'receipt-print', printed)
    expect(errors.flat()).toEqual([])
  }, 60_000)
})
