/**
 * Pictures of the board, the parts that need no canvas: how large a PNG is drawn, and how an SVG
 * carries the same description a PNG carries in its text chunk (shared/pngText.ts).
 */

/** Longest side of the image: sharp enough to zoom into, and within what every browser can draw. */
export const MAX_PNG_SIDE = 8192
/** Space around the shapes, in page units. */
export const PICTURE_PADDING = 32

/** Twice the screen size keeps text sharp when the image is zoomed or printed; a big board gets less. */
export function pngPixelRatio(bounds: { w: number; h: number }): number {
  return Math.min(2, MAX_PNG_SIDE / Math.max(bounds.w + 2 * PICTURE_PADDING, bounds.h + 2 * PICTURE_PADDING, 1))
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch)

/**
 * The SVG document with a `<title>` and `<desc>` right inside its root element: what the image
 * shows and which exact state (room, snapshot, SHA-256, time), read by screen readers and by
 * anyone who opens the file as text.
 */
export function svgWithDescription(svg: string, title: string, description: string): string {
  const open = svg.indexOf('<svg')
  const end = open === -1 ? -1 : svg.indexOf('>', open)
  if (end === -1) throw new Error('Not an SVG image.')
  const selfClosing = svg[end - 1] === '/'
  const head = `<title>${escapeXml(title)}</title><desc>${escapeXml(description)}</desc>`
  if (selfClosing) return `${svg.slice(0, end - 1)}>${head}</svg>${svg.slice(end + 1)}`
  return `${svg.slice(0, end + 1)}${head}${svg.slice(end + 1)}`
}
