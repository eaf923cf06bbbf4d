import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InboundGate } from '../../server/sync/inboundGate.ts'
import { ConnectionRate } from '../../server/sync/limits.ts'

const AWARENESS = 1

function frame(kind: number, n: number, size = 10): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes[0] = kind
  bytes[1] = n
  return bytes
}

function gateWith(
  limits = { messagesPerSecond: 100, messageBurst: 3, bytesPerSecond: 1_000_000, byteBurst: 1_000_000 },
) {
  const events: string[] = []
  const delivered: Uint8Array[] = []
  const gate = new InboundGate({
    rate: new ConnectionRate(limits, () => Date.now()),
    maxPendingFrames: 5,
    maxPendingBytes: 1000,
    supersedable: (f) => f[0] === AWARENESS,
    deliver: (f) => delivered.push(f),
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    throttled: (verdict) => events.push(`throttled ${verdict}`),
    overflow: () => events.push('overflow'),
  })
  return { gate, events, delivered, numbers: () => delivered.map((f) => `${f[0]}:${f[1]}`) }
}

describe('inbound gate (backpressure)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('passes frames within budget at once, then pauses the socket and passes the rest in order as the budget refills', () => {
    const { gate, events, numbers } = gateWith()
    for (let i = 0; i < 5; i++) gate.offer(frame(0, i))
    expect(numbers()).toEqual(['0:0', '0:1', '0:2'])
    expect(events).toEqual(['pause', 'throttled message_rate'])
    expect(gate.holding).toBe(true)
    vi.advanceTimersByTime(10)
    expect(numbers()).toEqual(['0:0', '0:1', '0:2', '0:3'])
    vi.advanceTimersByTime(10)
    expect(numbers()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4'])
    expect(events.at(-1)).toBe('resume')
    expect(gate.holding).toBe(false)
    // Refilled: the next frame passes straight through again.
    vi.advanceTimersByTime(1000)
    gate.offer(frame(0, 9))
    expect(numbers().at(-1)).toBe('0:9')
  })

  it('keeps only the latest presence frame while paused and passes it after the edits', () => {
    const { gate, numbers } = gateWith()
    for (let i = 0; i < 3; i++) gate.offer(frame(0, i))
    gate.offer(frame(AWARENESS, 1))
    gate.offer(frame(0, 3))
    gate.offer(frame(AWARENESS, 2))
    gate.offer(frame(AWARENESS, 3))
    vi.advanceTimersByTime(100)
    expect(numbers()).toEqual(['0:0', '0:1', '0:2', '0:3', '1:3'])
  })

  it('calls overflow and delivers nothing more when a paused sender outgrows the queue', () => {
    const { gate, events, numbers } = gateWith()
    for (let i = 0; i < 3 + 6; i++) gate.offer(frame(0, i))
    expect(events).toContain('overflow')
    vi.advanceTimersByTime(1000)
    expect(numbers()).toEqual(['0:0', '0:1', '0:2'])
    gate.offer(frame(0, 20))
    expect(numbers()).toHaveLength(3)
  })

  it('bounds the queue by bytes too', () => {
    const { gate, events } = gateWith()
    for (let i = 0; i < 3; i++) gate.offer(frame(0, i))
    gate.offer(frame(0, 3, 600))
    expect(events).not.toContain('overflow')
    gate.offer(frame(0, 4, 600))
    expect(events).toContain('overflow')
  })

  it('throttles on bytes as on messages', () => {
    const { gate, events, numbers } = gateWith({
      messagesPerSecond: 1000,
      messageBurst: 1000,
      bytesPerSecond: 100,
      byteBurst: 100,
    })
    gate.offer(frame(0, 0, 60))
    gate.offer(frame(0, 1, 60))
    expect(events).toEqual(['pause', 'throttled byte_rate'])
    expect(numbers()).toEqual(['0:0'])
    vi.advanceTimersByTime(200)
    expect(numbers()).toEqual(['0:0', '0:1'])
  })

  it('stops for good when the connection closes', () => {
    const { gate, numbers } = gateWith()
    for (let i = 0; i < 5; i++) gate.offer(frame(0, i))
    gate.stop()
    vi.advanceTimersByTime(1000)
    gate.offer(frame(0, 9))
    expect(numbers()).toEqual(['0:0', '0:1', '0:2'])
  })
})
