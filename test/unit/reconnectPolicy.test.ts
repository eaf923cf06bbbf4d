import { describe, expect, it } from 'vitest'
import { shouldReconnect, waitingMessage } from '../../client/sync/reconnectPolicy.ts'

describe('reconnect policy', () => {
  it('gives up on final refusals and retries on passing ones', () => {
    for (const code of [4400, 4401, 4403, 4404]) expect(shouldReconnect({ code })).toBe(false)
    // 4408: the socket said nothing in time (a frozen tab): nothing is wrong with the link.
    for (const code of [1000, 1001, 1006, 1011, 1013, 4408, 4429]) expect(shouldReconnect({ code })).toBe(true)
  })

  it('tells people why they wait', () => {
    expect(waitingMessage({ code: 4429, reason: 'this workshop is full' })).toMatch(/full/)
    expect(waitingMessage({ code: 4429, reason: 'sending too fast' })).toMatch(/slow down/)
    expect(waitingMessage({ code: 1013, reason: 'the server is busy; retrying' })).toMatch(/busy/)
    expect(waitingMessage({ code: 4408, reason: 'no message within 10 s' })).toMatch(/too slow to start/)
    expect(waitingMessage({ code: 1006, reason: '' })).toBeNull()
  })
})
