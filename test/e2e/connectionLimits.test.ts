/**
 * What a person sees when a server limit turns their connection away for now: a full workshop
 * says so and lets them in when a place frees up, instead of the final "not allowed" refusal.
 */
import { expect, it } from 'vitest'
import { createRoom } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser } from '../helpers/workshopBrowser.ts'

const workshop = useWorkshopBrowser({ env: { MAX_CONNECTIONS_PER_ROOM: '1' } })

it('a full workshop shows "waiting for a place" and connects once someone leaves', async () => {
  const room = await createRoom(workshop.server)
  const first = await workshop.newPage({ defaultTimeout: 10_000 })
  await joinWorkshop(first, room.links.participant, 'Priya', 'Swindon Borough Council', { waitLive: true })

  const second = await workshop.newPage({ defaultTimeout: 10_000 })
  await joinWorkshop(second, room.links.participant, 'Tom', 'DWP')
  const status = second.getByRole('status').filter({ hasText: /full/ })
  await status.waitFor()
  expect(await status.textContent()).toContain('This workshop is full. Waiting for a place')
  // Not the final refusal: nothing tells Tom he is not allowed in.
  expect(await second.getByText('You are not allowed into this workshop.').count()).toBe(0)

  await first.close()
  await second.locator('[data-status="live"]').waitFor({ timeout: 15_000 })
})
