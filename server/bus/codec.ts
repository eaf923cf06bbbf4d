/**
 * Bus message encoding: binary, so that Yjs updates travel as they are. Every message starts with
 * a version byte, a kind byte and the sender's 16-byte instance id, so that an instance can drop
 * its own messages (Redis pub/sub delivers them to the publisher too) without decoding the rest.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { z } from 'zod'
import { ROLES } from '../../shared/roles.ts'
import type { KeyRotation } from './bus.ts'

const VERSION = 1
export const INSTANCE_ID_BYTES = 16
const KIND_ROOM_FRAMES = 1
const KIND_KEY_ROTATION = 2
/**
 * A kind of its own, not a field of KIND_KEY_ROTATION: an instance from before organisation keys
 * would read such a message as a rotation of the whole role, and take the organisation's key id
 * for the role's. An unknown kind it drops instead.
 */
const KIND_ORGANISATION_KEY_ROTATION = 3

export type BusMessage = { kind: 'frames'; frames: Uint8Array[] } | { kind: 'key-rotation'; rotation: KeyRotation }

const keyRotationSchema = z.object({
  roomId: z.string().min(1).max(200),
  role: z.enum(ROLES),
  kid: z.string().min(1).max(200),
})
const organisationKeyRotationSchema = keyRotationSchema.extend({ organisation: z.string().min(1).max(200) })

function header(encoder: encoding.Encoder, kind: number, instanceId: Uint8Array): void {
  encoding.writeUint8(encoder, VERSION)
  encoding.writeUint8(encoder, kind)
  encoding.writeUint8Array(encoder, instanceId)
}

export function encodeFrames(instanceId: Uint8Array, frames: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  header(encoder, KIND_ROOM_FRAMES, instanceId)
  encoding.writeVarUint(encoder, frames.length)
  for (const frame of frames) encoding.writeVarUint8Array(encoder, frame)
  return encoding.toUint8Array(encoder)
}

export function encodeKeyRotation(instanceId: Uint8Array, rotation: KeyRotation): Uint8Array {
  const encoder = encoding.createEncoder()
  header(encoder, rotation.organisation === undefined ? KIND_KEY_ROTATION : KIND_ORGANISATION_KEY_ROTATION, instanceId)
  encoding.writeVarString(encoder, JSON.stringify(rotation))
  return encoding.toUint8Array(encoder)
}

/** Whether the message was sent by `instanceId` (checked before decoding the body). */
export function isFrom(message: Uint8Array, instanceId: Uint8Array): boolean {
  if (message.byteLength < 2 + INSTANCE_ID_BYTES) return false
  for (let i = 0; i < INSTANCE_ID_BYTES; i++) if (message[2 + i] !== instanceId[i]) return false
  return true
}

/** Decodes a message from another instance; throws on anything malformed or of another version. */
export function decodeBusMessage(message: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(message)
  const version = decoding.readUint8(decoder)
  if (version !== VERSION) throw new Error(`bus message version ${version}, expected ${VERSION}`)
  const kind = decoding.readUint8(decoder)
  decoding.readUint8Array(decoder, INSTANCE_ID_BYTES)
  let decoded: BusMessage
  if (kind === KIND_ROOM_FRAMES) {
    const count = decoding.readVarUint(decoder)
    const frames: Uint8Array[] = []
    for (let i = 0; i < count; i++) frames.push(decoding.readVarUint8Array(decoder))
    decoded = { kind: 'frames', frames }
  } else if (kind === KIND_KEY_ROTATION) {
    decoded = { kind: 'key-rotation', rotation: keyRotationSchema.parse(JSON.parse(decoding.readVarString(decoder))) }
  } else if (kind === KIND_ORGANISATION_KEY_ROTATION) {
    decoded = {
      kind: 'key-rotation',
      rotation: organisationKeyRotationSchema.parse(JSON.parse(decoding.readVarString(decoder))),
    }
  } else {
    throw new Error(`unknown bus message kind ${kind}`)
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in bus message')
  return decoded
}
