/**
 * tldraw options every board of the app shares. tldraw stops creating shapes on a page at 4,000;
 * a day of a large workshop (stickies, cards placed from the pot, barriers and actions, arrows)
 * is sized at 5,000 shapes, so the live board and the boards of snapshots allow twice that.
 */
import type { TldrawOptions } from '@tldraw/tldraw'

export const BOARD_OPTIONS: Partial<TldrawOptions> = { maxShapesPerPage: 10_000 }
