/**
 * The outcomes and success measures, a section added through the section registry alone, end to
 * end in two browsers: a participant adds an outcome that the facilitator sees live; the
 * facilitator locks the section, snapshots it, moves the outcome on, compares, exports, prints and
 * restores it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { watchPage } from '../helpers/browser.ts'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()

async function openAs(link: string, name: string, organisation: string): Promise<Page> {
  const page = await workshop.newPage()
  await joinWorkshop(page, link, name, organisation, { waitLive: true })
  return page
}

const OUTCOME = 'Fewer school exclusions among families in the programme'

describe('outcomes and success measures', () => {
  it('syncs, locks, snapshots, compares, exports, prints and restores an outcome', async () => {
    const room = await createRoom(workshop.server, 'Westshire: outcomes')
    const base = `${workshop.server.origin}/r/${room.roomId}`
    const facilitator = await openAs(
      `${base}?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Westshire Council',
    )
    const participant = await openAs(
      `${base}?token=${room.tokens.participant}`,
      'Dana Okoro',
      'Department for Education (DfE)',
    )
    const watch = watchPage(participant)

    // The participant adds an outcome; the facilitator sees it live.
    await viewTab(participant, 'Outcomes').click()
    await participant.getByRole('button', { name: 'Add outcome' }).click()
    await participant.getByLabel('Outcome for families').fill(OUTCOME)
    await participant.getByLabel('How success is measured').fill('Fixed-term exclusions per term')
    await participant.getByLabel('Baseline').fill('14 per term')
    await participant.getByLabel('Target').fill('5 per term by March 2014')
    await participant.getByLabel('Owning organisation').fill('Department for Education (DfE)')
    await participant.getByRole('form', { name: 'Add an outcome' }).getByRole('button', { name: 'Add outcome' }).click()
    await viewTab(facilitator, 'Outcomes').click()
    const row = facilitator.locator('tr[data-outcome-id]', { hasText: OUTCOME })
    await row.waitFor({ timeout: 5000 })
    expect(await row.getAttribute('data-status')).toBe('proposed')
    expect(await row.textContent()).toContain('5 per term by March 2014')

    // Locked: the participant can no longer add or change outcomes, and is told who locked them.
    await facilitator.getByRole('button', { name: 'Workshop', exact: true }).click()
    await facilitator.getByLabel('Lock the outcomes framework').click()
    await participant.getByTestId('lock-outcomes').getByText('locked by Fiona Facilitator').waitFor({ timeout: 5000 })
    await participant.getByRole('button', { name: 'Add outcome' }).waitFor({ state: 'detached', timeout: 5000 })
    expect(await participant.getByLabel(/^Status of /).count()).toBe(0)
    await facilitator.getByRole('button', { name: 'Workshop', exact: true }).click()

    // Snapshot, then the facilitator (who may edit a locked section) agrees the outcome.
    await viewTab(facilitator, 'Snapshots').click()
    await facilitator.getByLabel('Snapshot name').fill('Outcomes proposed')
    await facilitator.getByRole('button', { name: 'Take snapshot' }).click()
    const snapshot = facilitator
      .locator('tr[data-snapshot-id]')
      .filter({ has: facilitator.getByRole('cell', { name: 'Outcomes proposed', exact: true }) })
    await snapshot.waitFor({ timeout: 5000 })
    await viewTab(facilitator, 'Outcomes').click()
    await facilitator.getByLabel(/^Status of Fewer school exclusions/).selectOption('agreed')
    await participant
      .locator('tr[data-outcome-id][data-status="agreed"]', { hasText: OUTCOME })
      .waitFor({ timeout: 5000 })

    // Compare the snapshot with now: the change in words.
    await viewTab(facilitator, 'Snapshots').click()
    await facilitator.getByRole('button', { name: 'Compare', exact: true }).click()
    await facilitator.getByText(`Outcome “${OUTCOME}”: Proposed → Agreed.`).waitFor({ timeout: 5000 })

    // The exports carry it as a reader sees it.
    const get = (query: string) =>
      fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/export?${query}&token=${room.tokens.observer}`)
    const csv = await (await get('format=csv&part=outcomes')).text()
    const [header, line] = csv.trim().split('\r\n')
    expect(header!.split(',').slice(0, 6)).toEqual(['Outcome', 'Measure', 'Baseline', 'Target', 'Owner', 'Status'])
    expect(line).toContain(`${OUTCOME},Fixed-term exclusions per term,14 per term,5 per term by March 2014,`)
    expect(line).toContain(',Agreed,')
    const markdown = await (await get('format=md')).text()
    expect(markdown).toContain('## Outcomes and success measures')
    expect(markdown).toMatch(
      new RegExp(
        `\\| ${OUTCOME} \\| Fixed-term exclusions per term \\| 14 per term \\| 5 per term by March 2014 \\| Department for Education \\(DfE\\) \\| Agreed \\|`,
      ),
    )

    // The printed agreement has the section, with the outcome as agreed.
    // It opens with the invite this browser already holds, as "Print" in the workshop does.
    const print = await facilitator.context().newPage()
    await print.goto(`${base}/print`)
    const printed = print.getByRole('region', { name: 'Outcomes and success measures' })
    await printed.getByRole('cell', { name: OUTCOME }).waitFor({ timeout: 10_000 })
    expect(
      await printed
        .getByRole('row', { name: new RegExp(OUTCOME) })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('Agreed')

    // Restoring the snapshot brings the outcome back to Proposed for everyone.
    await snapshot.getByRole('button', { name: 'Restore Outcomes proposed' }).click()
    await snapshot.getByRole('button', { name: 'Restore for everyone' }).click()
    await participant
      .locator('tr[data-outcome-id][data-status="proposed"]', { hasText: OUTCOME })
      .waitFor({ timeout: 5000 })
    expect(watch.errors).toEqual([])
  })
})
