/**
 * Which cell of a grid a person has selected, published in awareness so the others see it (as
 * Sheets shows a collaborator's cell). Peers' states are untrusted: read with this schema.
 */
import { z } from 'zod'

export const GRID_CURSOR_FIELD = 'gridCell'

export const gridCursorSchema = z.object({
  /** The grid: only the pot has one so far. */
  grid: z.literal('pot'),
  row: z.string().min(1).max(64),
  field: z.string().min(1).max(40),
})
export type GridCursor = z.infer<typeof gridCursorSchema>
