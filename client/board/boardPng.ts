/**
 * The board as a PNG: every shape on the current page, on the paper background, with a margin.
 * tldraw draws it from its own SVG export, so cards and text look as they do on screen.
 */
import type { Editor } from '@tldraw/tldraw'

export async function boardToPng(editor: Editor): Promise<Blob | null> {
  const ids = [...editor.getCurrentPageShapeIds()]
  if (ids.length === 0) return null
  // Twice the screen size keeps text sharp when the image is zoomed or printed.
  const { blob } = await editor.toImage(ids, { format: 'png', background: true, padding: 32, pixelRatio: 2 })
  return blob
}
