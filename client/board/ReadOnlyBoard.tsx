/**
 * A board to look at, not to work on: a saved snapshot's canvas, or one side of a comparison.
 * It binds the same store as the live board to a document nobody edits here, read-only, framed
 * on its content, with a local awareness so that no presence of the reader reaches anyone.
 */
import { useCallback, useEffect, useMemo, useState, type JSX } from 'react'
import type * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { Tldraw, type Editor, type TLShapeId } from '@tldraw/tldraw'
import '@tldraw/tldraw/tldraw.css'
import type { PresenceUser } from '../../shared/presence.ts'
import { BOARD_OPTIONS } from './boardOptions.ts'
import { BOARD_COMPONENTS } from './lazyShapes.tsx'
import { BoardDocContext } from './cardDoc.ts'
import { licenseKeyFromEnv, tldrawAssetUrls } from './tldrawAssets.ts'
import { boardShapeUtils, useYjsTldrawStore } from './useYjsTldrawStore.ts'

const READER: PresenceUser = {
  id: 'board-reader',
  name: 'Reader',
  organisation: 'Reader',
  colour: '#5f6b7a',
  role: 'observer',
}

export interface ReadOnlyBoardProps {
  doc: Y.Doc
  /** Names the board for assistive technology and tests ("Board of the snapshot …"). */
  label: string
  /** Shapes to outline, e.g. what changed between two states. */
  highlight?: readonly string[]
  /** Hides tldraw's menus and toolbars: for small boards side by side. Pan and zoom still work. */
  bare?: boolean
  onEditor?: (editor: Editor | null) => void
}

export default function ReadOnlyBoard({
  doc,
  label,
  highlight,
  bare = false,
  onEditor,
}: ReadOnlyBoardProps): JSX.Element {
  const awareness = useMemo(() => new Awareness(doc), [doc])
  useEffect(() => () => awareness.destroy(), [awareness])
  const store = useYjsTldrawStore({ doc, awareness, online: true, synced: true, readOnly: true, user: READER })
  const [editor, setEditor] = useState<Editor | null>(null)

  const handleMount = useCallback((mounted: Editor) => {
    // Frame what was there, but never blow a few shapes up past their real size.
    const bounds = mounted.getCurrentPageBounds()
    if (bounds) mounted.zoomToBounds(bounds, { targetZoom: 1, inset: 48 })
    setEditor(mounted)
    return () => setEditor((current) => (current === mounted ? null : current))
  }, [])
  useEffect(() => onEditor?.(editor), [editor, onEditor])

  const highlightKey = highlight?.join(' ') ?? ''
  useEffect(() => {
    if (!editor) return
    const present = (highlightKey ? highlightKey.split(' ') : []).filter((id) =>
      editor.getShape(id as TLShapeId),
    ) as TLShapeId[]
    editor.setHintingShapes(present)
  }, [editor, highlightKey])

  return (
    <div
      className="board read-only-board"
      role="region"
      aria-label={label}
      data-testid="read-only-board"
      data-state={store.status === 'synced-remote' ? 'ready' : 'loading'}
    >
      {store.status === 'synced-remote' ? (
        <BoardDocContext.Provider value={doc}>
          <Tldraw
            store={store.store}
            shapeUtils={boardShapeUtils}
            assetUrls={tldrawAssetUrls}
            options={BOARD_OPTIONS}
            components={BOARD_COMPONENTS}
            licenseKey={licenseKeyFromEnv()}
            onMount={handleMount}
            hideUi={bare}
          />
        </BoardDocContext.Provider>
      ) : (
        <p className="board-loading" role="status">
          Loading the board…
        </p>
      )}
    </div>
  )
}
