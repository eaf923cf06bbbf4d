/**
 * Snapshots in the browser: the facilitator takes one, the pot changes afterwards, the snapshot
 * opens read-only with the pot as it was, and the compare view shows the changed amount with its
 * delta. The facilitator deletes one after confirming in a dialog, and everyone's list follows.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../shared/bytes.ts'
import { addPotLine, DEFAULT_LINE, readPotLines, updatePotLine } from '../../shared/pot.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

async function openAs(link: string, name: string, organisation: string): Promise<Page> {
  const page = await workshop.newPage()
  await joinWorkshop(page, link, name, organisation, { waitLive: true })
  return page
}

const tab = viewTab
const dwp = { userId: 'd', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }

describe('snapshots', () => {
  it('opens a snapshot read-only as it was, and compares it with now', async () => {
    const room = await createRoom(workshop.server, 'Kent: the record')
    const writer = connect(workshop.server, room.roomId, room.tokens.participant)
    clients.push(writer)
    await writer.firstSync
    const line = addPotLine(
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

    const facilitator = await openAs(
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Kent County Council',
    )
    const watch = watchPage(facilitator)
    await tab(facilitator, 'Snapshots').click()
    await facilitator.getByLabel('Snapshot name').fill('End of pot discussion')
    await facilitator.getByRole('button', { name: 'Take snapshot' }).click()
    const row = facilitator
      .locator('tr[data-snapshot-id]')
      .filter({ has: facilitator.getByRole('cell', { name: 'End of pot discussion', exact: true }) })
    await row.waitFor({ timeout: 5000 })

    // The pot moves on after the snapshot.
    updatePotLine(writer.doc, line, { amount: 75_000_000 }, dwp, 2)
    await waitFor(() => readPotLines(writer.doc)[0]!.amount === 75_000_000, 5000, 'local change')
    await tab(facilitator, 'Pot').click()
    await facilitator.getByTestId('pot-total').getByText('£750,000').waitFor({ timeout: 5000 })

    // Compare the snapshot with now: the changed amount with its delta.
    await tab(facilitator, 'Snapshots').click()
    await facilitator.getByRole('button', { name: 'Compare', exact: true }).click()
    await facilitator
      .getByText('Department for Work and Pensions (DWP) · Work Programme: £600,000 → £750,000 (+£150,000)')
      .waitFor({ timeout: 5000 })
    expect(await facilitator.getByTestId('pot-total-delta').textContent()).toBe('+£150,000')

    // Restore it for everyone: the pot is back to £600,000, and the state before is kept.
    await row.getByRole('button', { name: 'Restore End of pot discussion' }).click()
    await row.getByRole('button', { name: 'Restore for everyone' }).click()
    await facilitator.getByRole('status').getByText('Restored “End of pot discussion”').waitFor({ timeout: 5000 })
    await facilitator.locator('tr[data-snapshot-id]', { hasText: 'Before restoring “End of pot discussion”' }).waitFor()
    await waitFor(() => readPotLines(writer.doc)[0]!.amount === 60_000_000, 5000, 'restore reaches the other client')
    await tab(facilitator, 'Pot').click()
    await facilitator.getByTestId('pot-total').getByText('£600,000').waitFor({ timeout: 5000 })
    await tab(facilitator, 'Snapshots').click()

    // Open it: the pot total as it was, clearly marked, nothing editable.
    await row.getByRole('link', { name: 'Open' }).click()
    await facilitator.waitForURL(/\/snapshots\//)
    await facilitator.getByText('Snapshot — End of pot discussion').waitFor({ timeout: 10_000 })
    await facilitator.getByTestId('pot-total').getByText('£600,000').waitFor()
    expect(await facilitator.getByRole('button', { name: 'Add contribution' }).count()).toBe(0)
    // The line reads as text: no field of it can be edited (its cells can still be selected and copied).
    const snapshotLine = facilitator.locator(`tr[data-line-id="${line}"]`)
    await snapshotLine.waitFor()
    expect(
      await snapshotLine
        .locator(
          'input:not([disabled]):not([readonly]), textarea:not([disabled]):not([readonly]), select:not([disabled])',
        )
        .count(),
    ).toBe(0)
    await facilitator.getByRole('button', { name: 'Protocol' }).click()
    expect(await facilitator.locator('[contenteditable="true"]').count()).toBe(0)
    expect(watch.errors).toEqual([])
  })

  it('takes a snapshot when the room moves on from an agenda item', async () => {
    const room = await createRoom(workshop.server, 'Kent: agenda')
    const facilitator = await openAs(
      `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
      'Fiona Facilitator',
      'Kent County Council',
    )
    await facilitator.getByRole('button', { name: 'Workshop', exact: true }).click()
    for (const [title, minutes] of [
      ['Welcome and purpose', '10'],
      ['The virtual pot', '45'],
    ]) {
      await facilitator.getByLabel('New agenda item').fill(title!)
      await facilitator.getByLabel('Minutes', { exact: true }).fill(minutes!)
      await facilitator
        .getByRole('form', { name: 'Add an agenda item' })
        .getByRole('button', { name: 'Add', exact: true })
        .click()
      await facilitator.locator(`input[aria-label^="Title of agenda item"][value="${title}"]`).waitFor()
    }
    await facilitator.getByRole('button', { name: 'Start: Welcome and purpose' }).click()
    await facilitator.getByRole('button', { name: 'Next: The virtual pot' }).click()
    await tab(facilitator, 'Snapshots').click()
    await facilitator
      .locator('tr[data-snapshot-id]', { hasText: 'Agenda: “Welcome and purpose” ended' })
      .waitFor({ timeout: 5000 })
    const list = (await (
      await fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/snapshots?token=${room.tokens.observer}`)
    ).json()) as { snapshots: { name: string; kind: string }[] }
    expect(list.snapshots.map((s) => [s.name, s.kind])).toEqual([
      ['Agenda: “Welcome and purpose” ended', 'auto-agenda'],
    ])
  })

  it('deletes a snapshot after the facilitator confirms, and the list updates for everyone', async () => {
    const room = await createRoom(workshop.server, 'Kent: tidying the record')
    // Two people joining at once: each page's first load takes seconds on a small machine.
    const [facilitator, participant] = await Promise.all([
      openAs(
        `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.facilitator}`,
        'Fiona Facilitator',
        'Kent County Council',
      ),
      openAs(
        `${workshop.server.origin}/r/${room.roomId}?token=${room.tokens.participant}`,
        'Amira Khan',
        'Department for Work and Pensions (DWP)',
      ),
    ])
    const watch = watchPage(facilitator)
    await tab(facilitator, 'Snapshots').click()
    for (const name of ['Before the break', 'After the break']) {
      await facilitator.getByLabel('Snapshot name').fill(name)
      await facilitator.getByRole('button', { name: 'Take snapshot' }).click()
      await facilitator.getByRole('cell', { name, exact: true }).waitFor({ timeout: 5000 })
    }
    const usage = facilitator.getByTestId('snapshot-usage')
    await usage.getByText(/ of 200 MB used$/).waitFor()

    await tab(participant, 'Snapshots').click()
    const theirRow = participant.locator('tr[data-snapshot-id]', { hasText: 'Before the break' })
    await theirRow.waitFor({ timeout: 5000 })
    // Only the facilitator is offered the button.
    expect(await participant.getByRole('button', { name: /^Delete / }).count()).toBe(0)

    const row = facilitator.locator('tr[data-snapshot-id]', { hasText: 'Before the break' })
    await row.getByRole('button', { name: 'Delete Before the break' }).click()
    const dialog = facilitator.getByRole('dialog', { name: 'Delete “Before the break”?' })
    await dialog.waitFor()
    await dialog.getByText('removes it for everyone in this workshop').waitFor()
    // The safe answer has the focus, and Escape takes it.
    expect(await facilitator.evaluate(() => document.activeElement?.textContent)).toBe('Keep it')
    await facilitator.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await row.count()).toBe(1)
    expect(await facilitator.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Delete Before the break',
    )

    await row.getByRole('button', { name: 'Delete Before the break' }).click()
    await dialog.getByRole('button', { name: 'Delete snapshot' }).click()
    await dialog.waitFor({ state: 'detached' })
    await facilitator.getByRole('status').getByText('Deleted “Before the break”.').waitFor()
    await row.waitFor({ state: 'detached' })
    await facilitator.getByRole('cell', { name: 'After the break', exact: true }).waitFor()
    // The participant's list follows without a reload.
    await theirRow.waitFor({ state: 'detached', timeout: 5000 })
    await participant.getByRole('cell', { name: 'After the break', exact: true }).waitFor()
    const list = (await (
      await fetch(`${workshop.server.origin}/api/rooms/${room.roomId}/snapshots?token=${room.tokens.observer}`)
    ).json()) as { snapshots: { name: string; size: number }[]; usage: { bytes: number } }
    expect(list.snapshots.map((s) => s.name)).toEqual(['After the break'])
    // The usage shown is the server's after the deletion (whether the two snapshots shared their
    // bytes depends on whether the pages wrote anything in between).
    expect(list.usage.bytes).toBe(list.snapshots[0]!.size)
    expect(await usage.textContent()).toBe(`${formatBytes(list.usage.bytes)} of 200 MB used`)
    expect(watch.errors).toEqual([])
  }, 60_000)
})
