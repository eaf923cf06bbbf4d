/**
 * Fetches the board's code (tldraw, its stylesheet and fonts: the app's largest part) once, on
 * demand. The workshop's tables never wait for it: it comes when the Board view is shown, or
 * when the browser has nothing better to do after the first view is ready, so that switching to
 * the board later is instant.
 */
import type { ComponentType } from 'react'
import type { BoardProps } from './Board.tsx'

type BoardModule = { default: ComponentType<BoardProps> }

let pending: Promise<BoardModule> | null = null

/** One fetch however many ask; a failed one (offline, no kept copy) is tried again next time. */
export function loadBoard(): Promise<BoardModule> {
  pending ??= import('./Board.tsx').catch((error: unknown) => {
    pending = null
    throw error
  })
  return pending
}

/** How long an idle moment may be waited for before the board is fetched anyway. */
const IDLE_TIMEOUT_MS = 5_000
/** Where the browser cannot say when it is idle: a pause long enough for the first view to settle. */
const FALLBACK_DELAY_MS = 2_000

/** Fetches the board when the browser is idle; the returned function cancels a fetch not yet started. */
export function loadBoardWhenIdle(): () => void {
  const start = () => void loadBoard().catch(() => undefined)
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(start, { timeout: IDLE_TIMEOUT_MS })
    return () => window.cancelIdleCallback(handle)
  }
  const handle = setTimeout(start, FALLBACK_DELAY_MS)
  return () => clearTimeout(handle)
}
