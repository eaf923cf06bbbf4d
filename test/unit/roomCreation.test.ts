import { describe, expect, it } from 'vitest'
import { OrganiserKeys } from '../../server/auth/organiserKeys.ts'
import { readConfig } from '../../server/config.ts'
import { AddressWindow, addressKey } from '../../server/http/roomCreation.ts'

const HOUR = 3600_000

describe('AddressWindow', () => {
  it('allows N takes in any hour, then says when the oldest leaves the window', () => {
    let now = 0
    const window = new AddressWindow(3, HOUR, 100, () => now)
    expect(window.take('10.0.0.1')).toEqual({ ok: true })
    now = 10 * 60_000
    expect(window.take('10.0.0.1')).toEqual({ ok: true })
    expect(window.take('10.0.0.1')).toEqual({ ok: true })
    expect(window.take('10.0.0.1')).toEqual({ ok: false, retryAfterMs: 50 * 60_000 })
    // Another address has its own allowance.
    expect(window.take('10.0.0.2')).toEqual({ ok: true })
    // A refusal takes nothing: once the first take is an hour old, exactly one more is allowed.
    now = HOUR
    expect(window.take('10.0.0.1')).toEqual({ ok: true })
    expect(window.take('10.0.0.1')).toEqual({ ok: false, retryAfterMs: 10 * 60_000 })
  })

  it('forgets addresses idle for the window, and never remembers more than its cap', () => {
    let now = 0
    const window = new AddressWindow(1, HOUR, 3, () => now)
    for (const address of ['a', 'b', 'c']) window.take(address)
    expect(window.size).toBe(3)
    now = 1
    window.take('d') // over the cap: the least recent ('a') goes
    expect(window.size).toBe(3)
    expect(window.take('a')).toEqual({ ok: true }) // and now 'b' goes
    expect(window.take('c')).toEqual({ ok: false, retryAfterMs: HOUR - 1 })
    now = HOUR + 2
    window.take('e')
    expect(window.size).toBe(1)
  })
})

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5')
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5')
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:abcd:ef01:2345:6789')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    // Anything else is counted as itself.
    expect(addressKey('unknown')).toBe('unknown')
    expect(addressKey('1::2::3')).toBe('1::2::3')
  })
})

describe('OrganiserKeys', () => {
  const keys = new OrganiserKeys(['first-organiser-key-1234', 'second-organiser-key-5678'])

  it('accepts any configured key as a Bearer credential', () => {
    expect(keys.check('Bearer first-organiser-key-1234')).toBe('ok')
    expect(keys.check('bearer   second-organiser-key-5678 ')).toBe('ok')
  })

  it('tells a missing key from a wrong one', () => {
    expect(keys.check(undefined)).toBe('missing')
    expect(keys.check('Basic Zmlyc3Q=')).toBe('missing')
    expect(keys.check('first-organiser-key-1234')).toBe('missing')
    expect(keys.check('Bearer first-organiser-key-123')).toBe('wrong')
    expect(keys.check('Bearer first-organiser-key-12345')).toBe('wrong')
    expect(keys.check('Bearer FIRST-ORGANISER-KEY-1234')).toBe('wrong')
  })
})

describe('room creation configuration', () => {
  it('is open by default, with 30 workshops per address per hour', () => {
    const config = readConfig({})
    expect(config.roomCreation).toBe('open')
    expect(config.organiserKeys).toEqual([])
    expect(config.roomsPerHourPerAddress).toBe(30)
  })

  it('reads key mode and a comma-separated list of keys', () => {
    const config = readConfig({
      ROOM_CREATION: 'key',
      ORGANISER_KEYS: ' first-organiser-key-1234, ,second-organiser-key-5678,',
      ROOMS_PER_HOUR_PER_ADDRESS: '5',
    })
    expect(config.roomCreation).toBe('key')
    expect(config.organiserKeys).toEqual(['first-organiser-key-1234', 'second-organiser-key-5678'])
    expect(config.roomsPerHourPerAddress).toBe(5)
  })

  it('refuses key mode without a key, short keys, keys a browser cannot send, and unknown modes', () => {
    expect(() => readConfig({ ROOM_CREATION: 'key' })).toThrow(/ROOM_CREATION=key needs at least one organiser key/)
    expect(() => readConfig({ ROOM_CREATION: 'key', ORGANISER_KEYS: 'short-key' })).toThrow(
      /ORGANISER_KEYS: key 1 is shorter than 16 characters/,
    )
    expect(() => readConfig({ ROOM_CREATION: 'key', ORGANISER_KEYS: 'a long key with spaces' })).toThrow(
      /ORGANISER_KEYS: key 1 holds a space/,
    )
    expect(() => readConfig({ ROOM_CREATION: 'closed' })).toThrow(/ROOM_CREATION: must be open or key/)
    expect(() => readConfig({ ROOMS_PER_HOUR_PER_ADDRESS: '0' })).toThrow(/ROOMS_PER_HOUR_PER_ADDRESS/)
  })

  it('never quotes a key in its messages', () => {
    for (const key of ['tooshortsecret', 'long enough but spaced']) {
      let message = ''
      try {
        readConfig({ ORGANISER_KEYS: key })
      } catch (error) {
        message = String(error)
      }
      expect(message).toMatch(/ORGANISER_KEYS/)
      expect(message).not.toContain(key)
    }
  })
})
