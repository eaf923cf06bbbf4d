import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { chunksWithout, frameBatch } from '../../server/sync/framedBatch.ts'

/** ws's frame parser, which @types/ws does not declare. */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer) => void): void
  on(event: 'error', listener: (error: Error) => void): void
  write(chunk: Buffer): void
}
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean; binaryType: string }) => FrameReceiver
}

/** Parses bytes with ws's own frame parser, as a client's websocket would. */
function parse(chunks: Buffer[]): Buffer[] {
  const received: Buffer[] = []
  const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' })
  receiver.on('message', (data: Buffer) => received.push(Buffer.from(data)))
  receiver.on('error', (error: Error) => {
    throw error
  })
  for (const chunk of chunks) receiver.write(chunk)
  return received
}

const message = (length: number, fill: number) => new Uint8Array(length).fill(fill)

describe('framed batches', () => {
  const messages = [message(5, 1), message(300, 2), message(70_000, 3), message(125, 4), message(126, 5)]

  it('frames messages of every length class so that a websocket reads them back intact', () => {
    const batch = frameBatch(messages)
    expect(parse([batch.bytes]).map((b) => new Uint8Array(b))).toEqual(messages)
    expect(batch.offsets).toHaveLength(messages.length + 1)
    expect(batch.offsets.at(-1)).toBe(batch.bytes.length)
  })

  it('leaves out a sender’s own messages without copying the buffer', () => {
    const batch = frameBatch(messages)
    const chunks = chunksWithout(batch, [0, 2])
    expect(chunks.every((c) => c.buffer === batch.bytes.buffer)).toBe(true)
    expect(parse(chunks).map((b) => new Uint8Array(b))).toEqual([messages[1], messages[3], messages[4]])
    expect(parse(chunksWithout(batch, [4])).length).toBe(4)
    expect(chunksWithout(batch, undefined)).toEqual([batch.bytes])
  })
})
