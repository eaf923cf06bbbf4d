import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readPngText, withPngText } from '../../shared/pngText.ts'

/** A real 1×1 PNG, built from chunks with zlib's CRC so the test does not trust our own. */
function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length)
    return out
  }
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  const idat = zlib.deflateSync(Buffer.from([0, 255, 0, 0]))
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  )
}

describe('PNG text chunks', () => {
  const hash = 'd57db5840d26d1afe8763f7a9bf54497adfc9721d5083e36b0290398f5898577'

  it('adds a tEXt chunk after the header that reads back, with a CRC zlib agrees with', () => {
    const png = withPngText(tinyPng(), 'Comment', `Snapshot “End of day one”, SHA-256 ${hash}`)
    expect(readPngText(png)).toEqual({ Comment: `Snapshot ?End of day one?, SHA-256 ${hash}` })
    const length = Buffer.from(png).readUInt32BE(33)
    expect(Buffer.from(png.subarray(37, 41)).toString('latin1')).toBe('tEXt')
    expect(Buffer.from(png).readUInt32BE(41 + length)).toBe(zlib.crc32(Buffer.from(png.subarray(37, 41 + length))))
    // The image itself is untouched: the same chunks follow, and zlib still inflates the pixels.
    expect(Buffer.from(png.subarray(45 + length)).equals(Buffer.from(tinyPng().subarray(33)))).toBe(true)
  })

  it('ignores a text chunk whose CRC does not match', () => {
    const png = withPngText(tinyPng(), 'Comment', 'checked')
    png[45] = png[45]! ^ 1
    expect(readPngText(png)).toEqual({})
  })

  it('refuses what is not a PNG, and a keyword PNG does not allow', () => {
    expect(() => withPngText(new Uint8Array([1, 2, 3]), 'Comment', 'x')).toThrow('Not a PNG image.')
    expect(() => withPngText(tinyPng(), '', 'x')).toThrow('1 to 79 printable characters')
  })
})

describe('board PNG size', () => {
  it('draws at twice the size, but never wider or taller than 8,192 px', async () => {
    const { MAX_PNG_SIDE, pngPixelRatio } = await import('../../client/board/boardPicture.ts')
    expect(pngPixelRatio({ w: 460, h: 160 })).toBe(2)
    const big = { w: 13_000, h: 5_000 }
    const ratio = pngPixelRatio(big)
    expect(Math.round((big.w + 64) * ratio)).toBe(MAX_PNG_SIDE)
    expect(pngPixelRatio({ w: 0, h: 0 })).toBe(2)
  })
})
