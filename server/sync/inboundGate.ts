/**
 * Backpressure on one connection's incoming frames. A frame within the connection's rate budget
 * passes straight through. Past it, the gate stops reading the socket (TCP then pushes back on the
 * sender, whose edits wait in its own send buffer) and passes the frames it already holds as the
 * budget refills, in order, then reads again. Nothing a well-formed client sent is lost and it is
 * never closed for being fast: the standard y-websocket client treats a 44xx close as final, so
 * closing it stranded its unsent edits.
 *
 * Frames that only carry presence (awareness) are not queued while the gate is shut: each carries
 * the sender's whole state, so only the latest is kept and passed once the queue has drained.
 *
 * Only what the socket had already read when it was paused can arrive while shut (one read chunk),
 * so the queue stays small for any client. If it still outgrows its bounds, the sender is not
 * speaking the protocol as a client does, and `overflow` is called for the caller to close it.
 */
import type { ConnectionRate, RateVerdict } from './limits.ts'

export interface InboundGateOptions {
  rate: ConnectionRate
  /** Frames held while shut beyond which the sender is treated as abusive. */
  maxPendingFrames: number
  /** Bytes held while shut beyond which the sender is treated as abusive. */
  maxPendingBytes: number
  /** Whether a frame only carries presence, which a later one supersedes. */
  supersedable: (frame: Uint8Array) => boolean
  deliver: (frame: Uint8Array) => void
  /** Stop reading the socket. */
  pause: () => void
  /** Read the socket again. */
  resume: () => void
  /** The gate shut because a frame broke `verdict`; once per shutting. */
  throttled: (verdict: Exclude<RateVerdict, 'ok'>) => void
  overflow: () => void
}

export class InboundGate {
  private readonly pending: Uint8Array[] = []
  private pendingBytes = 0
  private latestPresence: Uint8Array | null = null
  private shut = false
  private stopped = false
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly options: InboundGateOptions) {}

  /** Whether the gate is holding frames back (for tests and diagnostics). */
  get holding(): boolean {
    return this.shut
  }

  offer(frame: Uint8Array): void {
    if (this.stopped) return
    const { rate, supersedable } = this.options
    if (!this.shut) {
      const verdict = rate.admit(frame.byteLength)
      if (verdict === 'ok') {
        this.options.deliver(frame)
        return
      }
      this.shut = true
      this.options.pause()
      this.options.throttled(verdict)
    }
    if (supersedable(frame)) {
      this.latestPresence = frame
    } else {
      this.pending.push(frame)
      this.pendingBytes += frame.byteLength
      if (this.pending.length > this.options.maxPendingFrames || this.pendingBytes > this.options.maxPendingBytes) {
        this.stop()
        this.options.overflow()
        return
      }
    }
    this.schedule()
  }

  /** Drops everything held and never delivers again (the connection closed). */
  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending.length = 0
    this.pendingBytes = 0
    this.latestPresence = null
  }

  private schedule(): void {
    if (this.timer || this.stopped) return
    const head = this.pending[0] ?? this.latestPresence
    const wait = head ? this.options.rate.waitMs(head.byteLength) : 0
    // Timers fire no sooner than 1 ms; asking for less only spins.
    this.timer = setTimeout(() => this.drain(), Math.max(1, Math.ceil(wait)))
  }

  private drain(): void {
    this.timer = null
    while (!this.stopped && this.pending.length > 0) {
      const head = this.pending[0]!
      if (this.options.rate.admit(head.byteLength) !== 'ok') {
        this.schedule()
        return
      }
      this.pending.shift()
      this.pendingBytes -= head.byteLength
      this.options.deliver(head)
    }
    if (this.stopped) return
    const presence = this.latestPresence
    if (presence) {
      if (this.options.rate.admit(presence.byteLength) !== 'ok') {
        this.schedule()
        return
      }
      this.latestPresence = null
      this.options.deliver(presence)
      if (this.stopped) return
    }
    this.shut = false
    this.options.resume()
  }
}
