/**
 * Text chunks in PNG files (tEXt, ISO-8859-1 keyword and text): how an exported board image
 * carries the SHA-256 of the state it shows, so a reader can check it against the server.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

let crcTable: Uint32Array | null = null
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function latin1(text: string): Uint8Array {
  // tEXt is Latin-1; anything outside it becomes '?' rather than corrupting the chunk.
  return Uint8Array.from(text, (ch) => (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f))
}

function isPng(png: Uint8Array): boolean {
  return png.length >= 33 && SIGNATURE.every((b, i) => png[i] === b)
}

/** The PNG with a tEXt chunk `keyword`: `text` right after its header chunk. */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array<ArrayBuffer> {
  if (!isPng(png)) throw new Error('Not a PNG image.')
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error('A PNG text keyword is 1 to 79 printable characters.')
  const data = new Uint8Array([...latin1(keyword), 0, ...latin1(text)])
  const chunk = new Uint8Array(12 + data.length)
  const view = new DataView(chunk.buffer)
  view.setUint32(0, data.length)
  chunk.set(latin1('tEXt'), 4)
  chunk.set(data, 8)
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)))
  // Signature (8) + IHDR (4 length + 4 type + 13 data + 4 CRC) = 33 bytes precede the new chunk.
  const out = new Uint8Array(png.length + chunk.length)
  out.set(png.subarray(0, 33))
  out.set(chunk, 33)
  out.set(png.subarray(33), 33 + chunk.length)
  return out
}

/** Every tEXt chunk of a PNG whose CRC checks out, keyword → text. */
export function readPngText(png: Uint8Array): Record<string, string> {
  if (!isPng(png)) throw new Error('Not a PNG image.')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const found: Record<string, string> = {}
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const end = at + 12 + length
    if (end > png.length) break
    if (type === 'tEXt' && view.getUint32(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length))) {
      const data = png.subarray(at + 8, at + 8 + length)
      const zero = data.indexOf(0)
      if (zero > 0)
        found[String.fromCharCode(...data.subarray(0, zero))] = String.fromCharCode(...data.subarray(zero + 1))
    }
    at = end
  }
  return found
}
