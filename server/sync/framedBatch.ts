/**
 * The messages a room sends in one flush, framed once as websocket frames in one buffer. Server
 * frames are unmasked, so the very same bytes are valid on every connection: each peer gets the
 * buffer (or, when it must not get some frames back, views of it around them) in a single write.
 */

/** One unfragmented binary frame header (FIN + opcode 2), no mask: RFC 6455 §5.2. */
function headerLength(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10
}

function writeHeader(target: Buffer, offset: number, payloadLength: number): number {
  target[offset] = 0x82
  if (payloadLength < 126) {
    target[offset + 1] = payloadLength
    return offset + 2
  }
  if (payloadLength < 65536) {
    target[offset + 1] = 126
    target.writeUInt16BE(payloadLength, offset + 2)
    return offset + 4
  }
  target[offset + 1] = 127
  target.writeUInt32BE(Math.floor(payloadLength / 2 ** 32), offset + 2)
  target.writeUInt32BE(payloadLength >>> 0, offset + 6)
  return offset + 10
}

export interface FramedBatch {
  /** Every message, framed, back to back. */
  readonly bytes: Buffer
  /** Where message i's frame starts in `bytes`; one extra entry for the end. */
  readonly offsets: readonly number[]
  /** The unframed messages, for a connection that cannot take raw frames. */
  readonly messages: readonly Uint8Array[]
}

export function frameBatch(messages: readonly Uint8Array[]): FramedBatch {
  let total = 0
  for (const message of messages) total += headerLength(message.byteLength) + message.byteLength
  const bytes = Buffer.allocUnsafe(total)
  const offsets: number[] = []
  let at = 0
  for (const message of messages) {
    offsets.push(at)
    at = writeHeader(bytes, at, message.byteLength)
    bytes.set(message, at)
    at += message.byteLength
  }
  offsets.push(at)
  return { bytes, offsets, messages }
}

/**
 * The chunks of `batch` for a peer that must not get the messages at `skip` (sorted indexes):
 * views into the one buffer, never copies.
 */
export function chunksWithout(batch: FramedBatch, skip: readonly number[] | undefined): Buffer[] {
  if (!skip || skip.length === 0) return [batch.bytes]
  const chunks: Buffer[] = []
  let from = 0
  for (const index of skip) {
    const start = batch.offsets[index]!
    if (start > from) chunks.push(batch.bytes.subarray(from, start))
    from = batch.offsets[index + 1]!
  }
  if (from < batch.bytes.length) chunks.push(batch.bytes.subarray(from))
  return chunks
}
