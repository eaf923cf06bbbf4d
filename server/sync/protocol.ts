/**
 * The y-websocket wire protocol, as the unmodified y-websocket client speaks it. Every frame is
 * binary: a varUint message type, then its payload.
 *
 *   0 sync       0 step 1 (state vector) · 1 step 2 (update) · 2 update
 *   1 awareness  an awareness update
 *   2 auth       0 permission denied + reason
 *   3 query awareness
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { inputErrorMessage } from '../log.ts'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

const AUTH_PERMISSION_DENIED = 0

export type IncomingMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'auth' }

export class ProtocolError extends Error {}

/**
 * Decodes one frame. Throws ProtocolError for anything the protocol does not allow: unknown
 * types, truncated payloads and trailing bytes (lib0 itself throws plain errors on truncation,
 * which are turned into ProtocolError here).
 */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
  let message: IncomingMessage
  const decoder = decoding.createDecoder(frame)
  try {
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (step === SYNC_STEP1) message = { kind: 'sync-step1', stateVector: payload }
        else if (step === SYNC_STEP2) message = { kind: 'sync-step2', update: payload }
        else if (step === SYNC_UPDATE) message = { kind: 'update', update: payload }
        else throw new ProtocolError(`unknown sync step ${step}`)
        break
      }
      case MESSAGE_AWARENESS:
        message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) }
        break
      case MESSAGE_QUERY_AWARENESS:
        message = { kind: 'query-awareness' }
        break
      case MESSAGE_AUTH:
        // Clients never need to send auth messages; read and ignore whatever follows.
        decoder.pos = frame.length
        message = { kind: 'auth' }
        break
      default:
        throw new ProtocolError(`unknown message type ${type}`)
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(`malformed frame: ${inputErrorMessage(error)}`)
  }
  if (decoder.pos !== frame.length) throw new ProtocolError(`${frame.length - decoder.pos} trailing bytes`)
  return message
}

function frameWith(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  if (sub !== null) encoding.writeVarUint(encoder, sub)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => frameWith(MESSAGE_SYNC, SYNC_STEP1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => frameWith(MESSAGE_SYNC, SYNC_STEP2, update)
export const encodeUpdate = (update: Uint8Array): Uint8Array => frameWith(MESSAGE_SYNC, SYNC_UPDATE, update)
export const encodeAwareness = (update: Uint8Array): Uint8Array => frameWith(MESSAGE_AWARENESS, null, update)

export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AUTH)
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}
