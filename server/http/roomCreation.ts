/**
 * Who may create a workshop, and how many: an organiser key when ROOM_CREATION=key, and at most
 * ROOMS_PER_HOUR_PER_ADDRESS workshops from one client address in any hour, in either mode.
 */
import type { MiddlewareHandler } from 'hono'
import { OrganiserKeys } from '../auth/organiserKeys.ts'
import type { Config } from '../config.ts'
import { log } from '../log.ts'
import { type Clock, countLimit } from '../sync/limits.ts'
import { clientAddress } from './clientAddress.ts'
import { ApiException } from './errors.ts'

const HOUR_MS = 3600_000

/**
 * 401 without one of ORGANISER_KEYS in `Authorization: Bearer` when ROOM_CREATION=key; nothing
 * in open mode, where a key sent anyway is not even read.
 */
export function organiserOnly(config: Pick<Config, 'roomCreation' | 'organiserKeys'>): MiddlewareHandler {
  const keys = new OrganiserKeys(config.organiserKeys)
  return async (c, next) => {
    if (config.roomCreation === 'key') {
      const check = keys.check(c.req.header('authorization'))
      if (check !== 'ok') {
        log('warn', 'rooms.organiser_key_refused', { reason: check })
        // Bearer, not Basic: a browser shows no password dialog of its own for it.
        const headers = { 'WWW-Authenticate': 'Bearer realm="commonpot"' }
        if (check === 'missing')
          throw new ApiException(
            401,
            'organiser_key_required',
            'Creating a workshop on this server needs an organiser key. Ask whoever runs Commonpot for your organisation for one.',
            headers,
          )
        throw new ApiException(
          401,
          'bad_organiser_key',
          'That organiser key is not one this server accepts. Check you copied all of it, or ask whoever runs Commonpot for the current key.',
          headers,
        )
      }
    }
    await next()
  }
}

export type WindowVerdict = { ok: true } | { ok: false; retryAfterMs: number }

/**
 * At most `limit` takes per address in any sliding window of `windowMs`. Memory stays bounded: an
 * address is forgotten once its last take is older than the window, and past `maxAddresses` the
 * one that took least recently is forgotten early (it may then take again sooner, which costs far
 * less than growing without bound).
 */
export class AddressWindow {
  /** Times of each address's takes within the window, oldest first; in the order of each address's last take. */
  private readonly takes = new Map<string, number[]>()

  constructor(
    private readonly limit: number,
    private readonly windowMs = HOUR_MS,
    private readonly maxAddresses = 100_000,
    private readonly now: Clock = performance.now.bind(performance),
  ) {}

  take(address: string): WindowVerdict {
    const t = this.now()
    const since = t - this.windowMs
    this.forgetIdleSince(since)
    const key = addressKey(address)
    const times = this.takes.get(key) ?? []
    while (times.length > 0 && (times[0] as number) <= since) times.shift()
    if (times.length >= this.limit) return { ok: false, retryAfterMs: (times[0] as number) - since }
    times.push(t)
    // Re-inserted so that the map stays in order of last take, which forgetIdleSince relies on.
    this.takes.delete(key)
    this.takes.set(key, times)
    if (this.takes.size > this.maxAddresses) {
      const oldest = this.takes.keys().next().value
      if (oldest !== undefined) this.takes.delete(oldest)
    }
    return { ok: true }
  }

  /** Addresses remembered (for tests). */
  get size(): number {
    return this.takes.size
  }

  private forgetIdleSince(since: number): void {
    for (const [key, times] of this.takes) {
      if ((times[times.length - 1] ?? since) > since) break
      this.takes.delete(key)
    }
  }
}

/**
 * The unit an address limit counts: an IPv4 address, or an IPv6 address's /64, since a single
 * IPv6 host is routinely handed a whole /64 and could otherwise take a fresh address per request.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (mapped?.[1]) return mapped[1]
  if (!address.includes(':')) return address
  const bare = address.split('%')[0] ?? address
  const halves = bare.split('::')
  if (halves.length > 2) return address
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : [])
  const head = groupsOf(halves[0])
  const tail = groupsOf(halves[1])
  const groups =
    halves.length === 2
      ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail]
      : head
  const prefix = groups.slice(0, 4)
  if (prefix.length < 4 || !prefix.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return address
  return `${prefix.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`
}

/**
 * 429 with Retry-After once the caller's address has created ROOMS_PER_HOUR_PER_ADDRESS
 * workshops in the last hour. Put after the body's validation: only a request that would create a
 * workshop uses up the allowance.
 */
export function roomsPerAddress(
  config: Pick<Config, 'roomsPerHourPerAddress' | 'trustProxy'>,
  window = new AddressWindow(config.roomsPerHourPerAddress),
): MiddlewareHandler {
  return async (c, next) => {
    const verdict = window.take(clientAddress(c, config.trustProxy))
    if (!verdict.ok) {
      countLimit('rooms_per_address')
      log('warn', 'http.limit', { limit: 'rooms_per_address' })
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))
      const minutes = Math.ceil(seconds / 60)
      const limit = config.roomsPerHourPerAddress
      throw new ApiException(
        429,
        'too_many_rooms',
        `This network has created ${limit} ${limit === 1 ? 'workshop' : 'workshops'} in the last hour, the most this server allows. You can create another in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`,
        { 'Retry-After': String(seconds) },
      )
    }
    await next()
  }
}
