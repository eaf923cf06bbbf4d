/**
 * The board's part in following: it reports this person's camera (at most ten times a second,
 * for awareness) and, while following someone, moves to their camera as it changes.
 */
import { useEffect } from 'react'
import { react, type Editor } from '@tldraw/tldraw'
import type { ViewState } from '../../shared/follow.ts'

export type BoardCamera = NonNullable<ViewState['camera']>

const REPORT_EVERY_MS = 100

export function useCameraFollow(
  editor: Editor | null,
  follow: BoardCamera | null | undefined,
  onCameraChange: ((camera: BoardCamera) => void) | undefined,
): void {
  useEffect(() => {
    if (!editor || !onCameraChange) return
    let timer: ReturnType<typeof setTimeout> | null = null
    let latest: BoardCamera | null = null
    const flush = () => {
      timer = null
      if (latest) onCameraChange(latest)
    }
    const stop = react('report board camera', () => {
      const { x, y, z } = editor.getCamera()
      latest = { x, y, z }
      timer ??= setTimeout(flush, REPORT_EVERY_MS)
    })
    return () => {
      stop()
      if (timer) clearTimeout(timer)
    }
  }, [editor, onCameraChange])

  // biome-ignore lint/correctness/useExhaustiveDependencies: moves the camera when the followed numbers change, not with each new follow object (one arrives with every awareness update)
  useEffect(() => {
    if (!editor || !follow) return
    const { x, y, z } = editor.getCamera()
    if (x !== follow.x || y !== follow.y || z !== follow.z) editor.setCamera(follow, { immediate: true })
  }, [editor, follow?.x, follow?.y, follow?.z])
}
