/**
 * The per-connection and per-server limits that keep one misbehaving client (or many) from
 * taking a room or the server down. Each limit is configured in config.ts and counted in
 * `commonpot_limits_triggered_total{limit="…"}` when it triggers (metrics.ts).
 */
import { limitsTriggered } from '../metrics.ts'

export type Clock = () => number

/**
 * A token bucket: `ratePerSecond` tokens flow in continuously up to `capacity`; taking more than
 * is there is refused and takes nothing. Refills lazily on each take, so an idle connection costs
 * nothing.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: Clock = performance.now.bind(performance),
  ) {
    this.tokens = capacity
    this.last = now()
  }

  /** `at`: the time to refill to, when the caller already read the clock for this message. */
  take(amount: number, at: number = this.now()): boolean {
    this.refill(at)
    if (amount > this.tokens) return false
    this.tokens -= amount
    return true
  }

  /**
   * How long until `amount` is there (0: now), taking nothing. An amount above the capacity is
   * treated as the capacity, so the answer is always finite.
   */
  waitMs(amount: number, at: number = this.now()): number {
    this.refill(at)
    const missing = Math.min(amount, this.capacity) - this.tokens
    return missing <= 0 ? 0 : (missing / this.ratePerSecond) * 1000
  }

  private refill(at: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((at - this.last) / 1000) * this.ratePerSecond)
    this.last = at
  }
}

export interface RateLimits {
  messagesPerSecond: number
  messageBurst: number
  bytesPerSecond: number
  byteBurst: number
}

export type RateVerdict = 'ok' | 'message_rate' | 'byte_rate'

/** Messages and bytes per second of one connection, each with its own bucket. */
export class ConnectionRate {
  private readonly messages: TokenBucket
  private readonly bytes: TokenBucket
  private readonly byteCapacity: number
  private readonly now: Clock

  constructor(limits: RateLimits, now: Clock = performance.now.bind(performance)) {
    this.now = now
    this.byteCapacity = limits.byteBurst
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now)
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now)
  }

  /**
   * Charges one message of `size` bytes when both buckets hold it; otherwise charges nothing and
   * answers which limit it broke (count first, then bytes).
   */
  admit(size: number): RateVerdict {
    // One clock read per message: this runs for every incoming frame.
    const at = this.now()
    if (this.messages.waitMs(1, at) > 0) return 'message_rate'
    if (this.bytes.waitMs(size, at) > 0) return 'byte_rate'
    this.messages.take(1, at)
    this.bytes.take(Math.min(size, this.byteCapacity), at)
    return 'ok'
  }

  /** How long until a message of `size` bytes would be admitted (0: now). */
  waitMs(size: number): number {
    const at = this.now()
    return Math.max(this.messages.waitMs(1, at), this.bytes.waitMs(size, at))
  }
}

export interface ConnectionCaps {
  perIp: number
  perRoom: number
}

export type Slot =
  | { ok: true; release: () => void }
  | { ok: false; limit: 'connections_per_ip' | 'connections_per_room' }

/**
 * Open websocket connections by client address and by room. A connection takes a slot when it is
 * admitted and gives it back when it closes, so the counts are exact whatever the close path.
 */
export class ConnectionSlots {
  private readonly byIp = new Map<string, number>()
  private readonly byRoom = new Map<string, number>()

  constructor(private readonly caps: ConnectionCaps) {}

  take(ip: string, roomId: string): Slot {
    const ipCount = this.byIp.get(ip) ?? 0
    if (ipCount >= this.caps.perIp) return { ok: false, limit: 'connections_per_ip' }
    const roomCount = this.byRoom.get(roomId) ?? 0
    if (roomCount >= this.caps.perRoom) return { ok: false, limit: 'connections_per_room' }
    this.byIp.set(ip, ipCount + 1)
    this.byRoom.set(roomId, roomCount + 1)
    let released = false
    return {
      ok: true,
      release: () => {
        if (released) return
        released = true
        decrement(this.byIp, ip)
        decrement(this.byRoom, roomId)
      },
    }
  }

  /** Open connections from one address (for tests and diagnostics). */
  countForIp(ip: string): number {
    return this.byIp.get(ip) ?? 0
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1
  if (n <= 0) map.delete(key)
  else map.set(key, n)
}

export type LimitName = keyof typeof limitsTriggered

export function countLimit(limit: LimitName): void {
  limitsTriggered[limit]++
}
