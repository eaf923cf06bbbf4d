import { describe, expect, it } from 'vitest'
import { shouldReconnect, waitingMessage } from '../../client/sync/reconnectPolicy.ts'

describe('reconnect policy', () => {
  it('gives up on final refusals and retries on passing ones', () => {
    for (const code of [4400, 4401, 4403, 4404, 4408, 4429]) expect(shouldReconnect({ code })).toBe(false)
    for (const code of [1000, 1001, 1006, 1011, 1013]) expect(shouldReconnect({ code })).toBe(true)
  })

  it('tells people why they wait, from the reason of a 1013 close', () => {
    expect(waitingMessage({ code: 1013, reason: 'this workshop is full' })).toMatch(/full/)
    expect(waitingMessage({ code: 1013, reason: 'too many connections from this address' })).toMatch(/this network/)
    expect(waitingMessage({ code: 1013, reason: 'sending too fast' })).toMatch(/slow down/)
    expect(waitingMessage({ code: 1013, reason: 'too many refused changes' })).toMatch(/reload the page/)
    expect(waitingMessage({ code: 1013, reason: 'no message received in time' })).toMatch(/too slow to start/)
    expect(waitingMessage({ code: 1013, reason: 'the server is busy; retrying' })).toMatch(/busy/)
    expect(waitingMessage({ code: 1006, reason: '' })).toBeNull()
    expect(waitingMessage({ code: 4403, reason: 'this workshop is full' })).toBeNull()
  })
})
