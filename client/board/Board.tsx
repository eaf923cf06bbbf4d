/**
 * The workshop's whiteboard: a tldraw canvas whose document lives in the workshop's Y.Doc.
 * Loaded lazily by the shell, so tldraw and its stylesheet stay out of the first screen.
 */
import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import {
  Tldraw,
  atom,
  computed,
  createShapeId,
  createTLCurrentUser,
  getUserPreferences,
  setUserPreferences,
  type Atom,
  type Editor,
  type TLCurrentUser,
  type TLUserPreferences,
} from '@tldraw/tldraw'
import '@tldraw/tldraw/tldraw.css'
import type { PresenceUser } from '../../shared/presence.ts'
import { POT_LINE_CARD_SIZE, POT_LINE_SHAPE_TYPE, PotCardDocContext } from './PotLineCardShape.tsx'
import { tldrawAssetUrls } from './tldrawAssets.ts'
import { boardShapeUtils, useYjsTldrawStore, type YjsTldrawStoreOptions } from './useYjsTldrawStore.ts'

declare global {
  interface Window {
    /** The mounted board's editor, for browser tests. */
    __commonpotEditor?: Editor | undefined
  }
}

/** What the shell gives the board: the room's document and awareness, and the connection state. */
export type BoardProps = YjsTldrawStoreOptions

type Identity = Pick<TLUserPreferences, 'id' | 'name' | 'color'>

function identityOf(user: PresenceUser): Identity {
  return { id: user.id, name: user.name, color: user.colour }
}

/**
 * tldraw's notion of "me". The id must be the app's user id: tldraw hides presence records whose
 * user id equals it, and compares it with followers and attribution. Name and colour come from the
 * workshop identity; the rest (theme, snapping, …) stays the person's own tldraw preference.
 */
function useBoardCurrentUser(user: PresenceUser): TLCurrentUser {
  const [state] = useState(() => {
    const identity: Atom<Identity> = atom('board identity', identityOf(user))
    const preferences: Atom<TLUserPreferences> = atom('board preferences', getUserPreferences())
    const currentUser = createTLCurrentUser({
      userPreferences: computed('board user preferences', () => ({ ...preferences.get(), ...identity.get() })),
      setUserPreferences: (next) => {
        // The workshop decides who someone is; renaming oneself in tldraw's menu is not kept.
        const { id: _id, name: _name, color: _color, ...settings } = next
        const merged: TLUserPreferences = { ...getUserPreferences(), ...settings }
        setUserPreferences(merged)
        preferences.set(merged)
      },
    })
    return { identity, currentUser }
  })

  useEffect(() => {
    const next = identityOf(user)
    const current = state.identity.get()
    if (current.id !== next.id || current.name !== next.name || current.color !== next.color) state.identity.set(next)
  }, [state, user])

  return state.currentUser
}

function licenseKeyFromEnv(): string | undefined {
  // tldraw also looks for this itself, but not reliably inside a pre-bundled dependency.
  const key: unknown = import.meta.env.VITE_TLDRAW_LICENSE_KEY
  return typeof key === 'string' && key !== '' ? key : undefined
}

/**
 * Places the card for `lineId` (when there is one) in the middle of what the person is looking at,
 * selected, then reports it placed. Observers never place: the button is not offered to them, and
 * nothing they create would be saved.
 */
function usePlaceLine(editor: Editor | null, lineId: string | null | undefined, readOnly: boolean, onPlaced: (() => void) | undefined): void {
  // The line last placed, so that an effect run twice (React's strict mode) places one card.
  const placed = useRef<string | null>(null)
  const latestOnPlaced = useRef(onPlaced)
  latestOnPlaced.current = onPlaced
  useEffect(() => {
    if (!lineId) {
      placed.current = null
      return
    }
    if (!editor || placed.current === lineId) return
    placed.current = lineId
    if (!readOnly && !editor.getIsReadonly()) {
      const id = createShapeId()
      const center = editor.getViewportPageBounds().center
      editor.run(() => {
        editor.setCurrentTool('select')
        editor.createShape({
          id,
          type: POT_LINE_SHAPE_TYPE,
          x: center.x - POT_LINE_CARD_SIZE.w / 2,
          y: center.y - POT_LINE_CARD_SIZE.h / 2,
          props: { lineId, w: POT_LINE_CARD_SIZE.w, h: POT_LINE_CARD_SIZE.h },
        })
        editor.select(id)
      })
    }
    latestOnPlaced.current?.()
  }, [editor, lineId, readOnly])
}

const boxStyle = { position: 'relative', width: '100%', height: '100%' } as const

export default function Board(props: BoardProps): JSX.Element {
  const storeWithStatus = useYjsTldrawStore(props)
  const currentUser = useBoardCurrentUser(props.user)

  const [editor, setEditor] = useState<Editor | null>(null)
  const handleMount = useCallback((editor: Editor) => {
    window.__commonpotEditor = editor
    setEditor(editor)
    return () => {
      if (window.__commonpotEditor === editor) window.__commonpotEditor = undefined
      setEditor((current) => (current === editor ? null : current))
    }
  }, [])
  usePlaceLine(storeWithStatus.status === 'synced-remote' ? editor : null, props.placeLineId, props.readOnly, props.onPlaced)

  if (storeWithStatus.status !== 'synced-remote') {
    return (
      <div className="board" data-testid="board" data-state="loading" style={boxStyle}>
        <p className="board-loading" role="status">
          Loading the board…
        </p>
      </div>
    )
  }

  return (
    <div className="board" data-testid="board" data-state="ready" data-readonly={props.readOnly} style={boxStyle}>
      <PotCardDocContext.Provider value={props.doc}>
        <Tldraw
          store={storeWithStatus.store}
          shapeUtils={boardShapeUtils}
          user={currentUser}
          assetUrls={tldrawAssetUrls}
          licenseKey={licenseKeyFromEnv()}
          onMount={handleMount}
        />
      </PotCardDocContext.Provider>
    </div>
  )
}
