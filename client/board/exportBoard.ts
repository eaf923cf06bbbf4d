/**
 * The board as a picture, PNG or SVG: every shape on the current page, on the paper background,
 * with a margin, in the light theme whatever the reader's. Both formats come from one SVG that
 * tldraw assembles; cards draw themselves into it from the workshop document (their `toSvg`),
 * and the PNG is that SVG rasterised, with the description added as a text chunk.
 */
import { getSvgAsImage, type Editor } from '@tldraw/tldraw'
import { withPngText } from '../../shared/pngText.ts'
import { PICTURE_PADDING, pngPixelRatio, svgWithDescription } from './boardPicture.ts'

export type PictureFormat = 'png' | 'svg'

export interface PictureLabel {
  /** What it is: "Board of Swindon: day one". */
  title: string
  /** Which exact state it shows: room, snapshot, SHA-256, time. */
  description: string
}

/** The picture of the board, or null when there is nothing on it. */
export async function boardPicture(editor: Editor, format: PictureFormat, label: PictureLabel): Promise<Blob | null> {
  const ids = [...editor.getCurrentPageShapeIds()]
  const bounds = editor.getCurrentPageBounds()
  if (ids.length === 0 || !bounds) return null
  const pixelRatio = format === 'png' ? pngPixelRatio(bounds) : undefined
  const result = await editor.getSvgString(ids, {
    background: true,
    padding: PICTURE_PADDING,
    darkMode: false,
    ...(pixelRatio === undefined ? {} : { pixelRatio }),
  })
  if (!result) return null
  if (format === 'svg') {
    return new Blob([svgWithDescription(result.svg, label.title, label.description)], { type: 'image/svg+xml' })
  }
  const png = await getSvgAsImage(result.svg, {
    type: 'png',
    width: result.width,
    height: result.height,
    pixelRatio: pixelRatio ?? 2,
  })
  if (!png) throw new Error('The browser could not draw the picture.')
  const signed = withPngText(new Uint8Array(await png.arrayBuffer()), 'Comment', label.description)
  return new Blob([signed], { type: 'image/png' })
}
