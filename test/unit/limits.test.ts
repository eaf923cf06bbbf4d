import { describe, expect, it } from 'vitest'
import { readConfig } from '../../server/config.ts'
import { ConnectionRate, ConnectionSlots, TokenBucket } from '../../server/sync/limits.ts'

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0
  return { now: () => t, advance: (ms) => (t += ms) }
}

describe('token bucket', () => {
  it('allows a burst up to its capacity, then only the sustained rate', () => {
    const clock = fakeClock()
    const bucket = new TokenBucket(10, 5, clock.now)
    for (let i = 0; i < 5; i++) expect(bucket.take(1)).toBe(true)
    expect(bucket.take(1)).toBe(false)
    clock.advance(100) // 10 per second: one token back
    expect(bucket.take(1)).toBe(true)
    expect(bucket.take(1)).toBe(false)
  })

  it('never refills beyond its capacity however long it idles', () => {
    const clock = fakeClock()
    const bucket = new TokenBucket(1000, 3, clock.now)
    clock.advance(60_000)
    expect(bucket.take(3)).toBe(true)
    expect(bucket.take(1)).toBe(false)
  })

  it('refuses a take larger than what is there without spending anything', () => {
    const clock = fakeClock()
    const bucket = new TokenBucket(1, 10, clock.now)
    expect(bucket.take(11)).toBe(false)
    expect(bucket.take(10)).toBe(true)
  })
})

describe('connection rate', () => {
  const limits = { messagesPerSecond: 100, messageBurst: 3, bytesPerSecond: 1000, byteBurst: 2000 }

  it('names the limit a message broke (count first, then bytes) and charges a refused message nothing', () => {
    const clock = fakeClock()
    const rate = new ConnectionRate(limits, clock.now)
    expect(rate.admit(1500)).toBe('ok')
    expect(rate.admit(1500)).toBe('byte_rate')
    expect(rate.admit(10)).toBe('ok')
    expect(rate.admit(10)).toBe('ok')
    expect(rate.admit(10)).toBe('message_rate')
    clock.advance(1000)
    expect(rate.admit(900)).toBe('ok')
  })

  it("says how long until a message would pass: 0 now, else the slower bucket's refill", () => {
    const clock = fakeClock()
    const rate = new ConnectionRate(limits, clock.now)
    expect(rate.waitMs(10)).toBe(0)
    expect(rate.admit(1800)).toBe('ok')
    // 200 bytes left, 1000 per second: 800 more take 800 ms.
    expect(rate.waitMs(1000)).toBeCloseTo(800)
    rate.admit(10)
    rate.admit(10)
    // No messages left (3 burst, 100 per second): 10 ms for the next.
    expect(rate.waitMs(1)).toBeCloseTo(10)
    // A message larger than the bucket waits for a full bucket, never for ever.
    expect(Number.isFinite(rate.waitMs(10_000))).toBe(true)
  })
})

describe('connection slots', () => {
  it('caps connections per address and per room, and gives a slot back exactly once', () => {
    const slots = new ConnectionSlots({ perIp: 2, perRoom: 3 })
    const a = slots.take('10.0.0.1', 'room-a')
    const b = slots.take('10.0.0.1', 'room-b')
    expect(a.ok && b.ok).toBe(true)
    expect(slots.take('10.0.0.1', 'room-c')).toEqual({ ok: false, limit: 'connections_per_ip' })
    if (a.ok) {
      a.release()
      a.release() // a second release must not free someone else's slot
    }
    expect(slots.countForIp('10.0.0.1')).toBe(1)
    expect(slots.take('10.0.0.1', 'room-c').ok).toBe(true)

    expect(slots.take('10.0.0.2', 'room-a').ok).toBe(true)
    expect(slots.take('10.0.0.3', 'room-a').ok).toBe(true)
    expect(slots.take('10.0.0.4', 'room-a').ok).toBe(true)
    expect(slots.take('10.0.0.5', 'room-a')).toEqual({ ok: false, limit: 'connections_per_room' })
  })
})

describe('limit configuration', () => {
  it('has defaults and reads every limit from the environment', () => {
    const defaults = readConfig({})
    expect(defaults.rate.messagesPerSecond).toBe(200)
    expect(defaults.maxConnectionsPerIp).toBe(500)
    expect(defaults.trustProxy).toBe(false)
    const set = readConfig({
      RATE_MESSAGES_PER_SECOND: '5',
      RATE_MESSAGE_BURST: '6',
      RATE_BYTES_PER_SECOND: '4096',
      RATE_BYTE_BURST: '8388608',
      MAX_CONNECTIONS_PER_IP: '7',
      MAX_CONNECTIONS_PER_ROOM: '8',
      MAX_AWARENESS_BYTES: '2048',
      HANDSHAKE_TIMEOUT_MS: '500',
      MAX_LOADED_ROOMS: '9',
      TRUST_PROXY: 'true',
    })
    expect(set.rate).toEqual({ messagesPerSecond: 5, messageBurst: 6, bytesPerSecond: 4096, byteBurst: 8388608 })
    expect([
      set.maxConnectionsPerIp,
      set.maxConnectionsPerRoom,
      set.maxAwarenessBytes,
      set.handshakeTimeoutMs,
      set.maxLoadedRooms,
    ]).toEqual([7, 8, 2048, 500, 9])
    expect(set.trustProxy).toBe(true)
  })

  it('refuses a byte burst smaller than the largest allowed message', () => {
    expect(() => readConfig({ MAX_MESSAGE_BYTES: '65536', RATE_BYTE_BURST: '4096' })).toThrow(/RATE_BYTE_BURST/)
  })
})
