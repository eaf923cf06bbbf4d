/**
 * What the other views ask the board to place as a live card. Kept free of tldraw so the shell can
 * name it without pulling the board's chunk into the first screen.
 */

/** The kinds of workshop item that can sit on the board as a live card. */
export const BOARD_ITEM_KINDS = ['pot-line', 'barrier', 'action'] as const
export type BoardItemKind = (typeof BOARD_ITEM_KINDS)[number]

/** An item waiting to be placed on the board; the board clears it (through `onPlaced`) once placed. */
export interface BoardPlacement {
  kind: BoardItemKind
  /** The item's id in its section of the workshop document. */
  id: string
}
