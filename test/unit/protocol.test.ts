import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import {
  decodeMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeUpdate,
  ProtocolError,
} from '../../server/sync/protocol.ts'

describe('y-websocket frame decoding', () => {
  it('round-trips the frames the server sends', () => {
    expect(decodeMessage(encodeSyncStep1(Uint8Array.from([1, 2])))).toEqual({
      kind: 'sync-step1',
      stateVector: Uint8Array.from([1, 2]),
    })
    expect(decodeMessage(encodeUpdate(Uint8Array.from([0, 0])))).toEqual({
      kind: 'update',
      update: Uint8Array.from([0, 0]),
    })
    expect(decodeMessage(encodeAwareness(Uint8Array.from([5])))).toEqual({
      kind: 'awareness',
      update: Uint8Array.from([5]),
    })
    expect(decodeMessage(Uint8Array.from([3]))).toEqual({ kind: 'query-awareness' })
  })

  it.each([
    ['an empty frame', []],
    ['an unknown type', [7]],
    ['an unknown sync step', [0, 9, 0]],
    ['a truncated payload', [0, 2, 10, 1]],
    ['trailing bytes', [0, 0, 1, 0, 99]],
    ['a varint that never ends', [0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
  ])('refuses %s with a ProtocolError', (_name, bytes) => {
    expect(() => decodeMessage(Uint8Array.from(bytes))).toThrow(ProtocolError)
  })

  it('reads a step 2 from the real encoder', () => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, Uint8Array.from([0, 0]))
    expect(decodeMessage(encoding.toUint8Array(e))).toEqual({ kind: 'sync-step2', update: Uint8Array.from([0, 0]) })
  })
})
