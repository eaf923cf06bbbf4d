/**
 * Property-based fuzzing of the sync frame decoder. Whatever bytes arrive, decodeMessage either
 * answers a well-formed message made of the frame's own bytes, or throws ProtocolError, which the
 * connection turns into a 4400 close (server/sync/connection.ts). Nothing else may escape it, and
 * it must never read outside the frame: ws hands over frames that are views into larger pooled
 * buffers.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
  type IncomingMessage,
} from '../../server/sync/protocol.ts'
import {
  fuzzParameters,
  hostileFrameArb,
  mutatedFrameArb,
  randomFrameArb,
  validFrameArb,
} from '../helpers/fuzzFrames.ts'

/**
 * Decoding a few hundred bytes takes microseconds; a whole second means a hang. The bound is that
 * loose because a machine busy with other work can pause any single call for 100 ms or more.
 */
const MAX_DECODE_MS = 1000

type Outcome = { ok: true; message: IncomingMessage } | { ok: false; error: unknown }

function decode(frame: Uint8Array): Outcome {
  const started = performance.now()
  let outcome: Outcome
  try {
    outcome = { ok: true, message: decodeMessage(frame) }
  } catch (error) {
    outcome = { ok: false, error }
  }
  expect(performance.now() - started).toBeLessThan(MAX_DECODE_MS)
  return outcome
}

/** The payload of a message, if it has one. */
function payloadOf(message: IncomingMessage): Uint8Array | null {
  switch (message.kind) {
    case 'sync-step1':
      return message.stateVector
    case 'sync-step2':
    case 'update':
    case 'awareness':
      return message.update
    default:
      return null
  }
}

/** The message re-encoded the way the server encodes it (null: the server never sends this kind). */
function reencode(message: IncomingMessage): Uint8Array | null {
  switch (message.kind) {
    case 'sync-step1':
      return encodeSyncStep1(message.stateVector)
    case 'sync-step2':
      return encodeSyncStep2(message.update)
    case 'update':
      return encodeUpdate(message.update)
    case 'awareness':
      return encodeAwareness(message.update)
    case 'query-awareness':
      return Uint8Array.of(3)
    case 'auth':
      return null
  }
}

/** The decoder's contract for one frame, whatever its bytes. */
function expectDecodedOrRefused(frame: Uint8Array): Outcome {
  const outcome = decode(frame)
  if (!outcome.ok) {
    expect(outcome.error).toBeInstanceOf(ProtocolError)
    return outcome
  }
  const { message } = outcome
  expect(['sync-step1', 'sync-step2', 'update', 'awareness', 'query-awareness', 'auth']).toContain(message.kind)
  const payload = payloadOf(message)
  if (payload) {
    // A view of the frame's own bytes that ends where the frame ends: nothing read from
    // neighbouring memory, and no trailing bytes smuggled past the decoder.
    expect(payload).toBeInstanceOf(Uint8Array)
    expect(payload.buffer).toBe(frame.buffer)
    expect(payload.byteOffset).toBeGreaterThanOrEqual(frame.byteOffset)
    expect(payload.byteOffset + payload.byteLength).toBe(frame.byteOffset + frame.byteLength)
  }
  // What the server would relay for it decodes to the same message.
  const again = reencode(message)
  if (again) expect(decodeMessage(again)).toEqual(message)
  return outcome
}

/** `frame` copied into the middle of a larger buffer full of other bytes, as ws's pooled Buffers are. */
function inPool(frame: Uint8Array, before: Uint8Array, after: Uint8Array): Uint8Array {
  const pool = new Uint8Array(before.length + frame.length + after.length)
  pool.set(before)
  pool.set(frame, before.length)
  pool.set(after, before.length + frame.length)
  return pool.subarray(before.length, before.length + frame.length)
}

/** Cases each property runs, for the test's report. */
const RUNS = { random: 3000, valid: 400, mutated: 1500, hostile: 1500, pooled: 1000 }

describe('decodeMessage under fuzzing', () => {
  it(`decodes or refuses ${RUNS.random} frames of random bytes, and never throws anything but ProtocolError`, () => {
    fc.assert(
      fc.property(randomFrameArb, (frame) => void expectDecodedOrRefused(frame)),
      fuzzParameters(RUNS.random, { cheap: true }),
    )
  })

  it(`decodes ${RUNS.valid} frames built as the y-websocket client builds them, each to its own kind`, () => {
    fc.assert(
      fc.property(validFrameArb, ({ kind, bytes }) => {
        const outcome = expectDecodedOrRefused(bytes)
        expect(outcome.ok).toBe(true)
        if (!outcome.ok) return
        expect(outcome.message.kind).toBe(kind)
        // Frames from a real encoder are canonical: re-encoding gives back the very bytes.
        const again = reencode(outcome.message)
        if (again) expect(again).toEqual(bytes)
      }),
      fuzzParameters(RUNS.valid, { cheap: true }),
    )
  })

  it(`decodes or refuses ${RUNS.mutated} client frames truncated, bit-flipped, with bytes inserted or huge lengths, framed or not`, () => {
    const seen = { decoded: 0, refused: 0 }
    fc.assert(
      fc.property(mutatedFrameArb, (frame) => {
        seen[expectDecodedOrRefused(frame).ok ? 'decoded' : 'refused']++
      }),
      fuzzParameters(RUNS.mutated, { cheap: true }),
    )
    // The mutations reach both sides of the decoder, or the property tested little.
    expect(seen.decoded).toBeGreaterThan(RUNS.mutated / 20)
    expect(seen.refused).toBeGreaterThan(RUNS.mutated / 20)
  })

  it(`refuses or decodes ${RUNS.hostile} valid headers over lying payloads without reading past the frame`, () => {
    fc.assert(
      fc.property(hostileFrameArb, (frame) => void expectDecodedOrRefused(frame)),
      fuzzParameters(RUNS.hostile, { cheap: true }),
    )
  })

  it(`decodes ${RUNS.pooled} frames inside a larger buffer exactly as on their own`, () => {
    const frames = fc.oneof(
      randomFrameArb,
      mutatedFrameArb,
      hostileFrameArb,
      validFrameArb.map((f) => f.bytes),
    )
    fc.assert(
      fc.property(
        frames,
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        (frame, before, after) => {
          const alone = expectDecodedOrRefused(frame.slice())
          const pooled = expectDecodedOrRefused(inPool(frame, before, after))
          expect(pooled.ok).toBe(alone.ok)
          if (alone.ok && pooled.ok) expect(pooled.message).toEqual(alone.message)
        },
      ),
      fuzzParameters(RUNS.pooled, { cheap: true }),
    )
  })
})
