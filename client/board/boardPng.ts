/**
 * The board as a PNG: every shape on the current page, on the paper background, with a margin.
 * tldraw draws it from its own SVG export, so cards and text look as they do on screen.
 */
import type { Editor } from '@tldraw/tldraw'

/** Longest side of the image: sharp enough to zoom into, and within what every browser can draw. */
export const MAX_PNG_SIDE = 8192
const PADDING = 32

/** Twice the screen size keeps text sharp when the image is zoomed or printed; a big board gets less. */
export function pngPixelRatio(bounds: { w: number; h: number }): number {
  return Math.min(2, MAX_PNG_SIDE / Math.max(bounds.w + 2 * PADDING, bounds.h + 2 * PADDING, 1))
}

export async function boardToPng(editor: Editor): Promise<Blob | null> {
  const ids = [...editor.getCurrentPageShapeIds()]
  const bounds = editor.getCurrentPageBounds()
  if (ids.length === 0 || !bounds) return null
  const { blob } = await editor.toImage(ids, {
    format: 'png',
    background: true,
    padding: PADDING,
    pixelRatio: pngPixelRatio(bounds),
  })
  return blob
}
