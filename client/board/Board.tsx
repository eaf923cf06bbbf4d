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
  type TLShapeId,
  type TLShapePartial,
  type TLUserPreferences,
} from '@tldraw/tldraw'
import '@tldraw/tldraw/tldraw.css'
import type { PresenceUser } from '../../shared/presence.ts'
import { ACTION_CARD_SIZE, ACTION_SHAPE_TYPE } from './ActionCardShape.tsx'
import { BARRIER_CARD_SIZE, BARRIER_SHAPE_TYPE } from './BarrierCardShape.tsx'
import { BOARD_OPTIONS } from './boardOptions.ts'
import { BoardDocContext } from './cardDoc.ts'
import type { BoardPlacement } from './placement.ts'
import { POT_LINE_CARD_SIZE, POT_LINE_SHAPE_TYPE } from './PotLineCardShape.tsx'
import { licenseKeyFromEnv, tldrawAssetUrls } from './tldrawAssets.ts'
import { useCameraFollow, type BoardCamera } from './useCameraFollow.ts'
import { boardShapeUtils, useYjsTldrawStore, type YjsTldrawStoreOptions } from './useYjsTldrawStore.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'

declare global {
  interface Window {
    /** The mounted board's editor, for browser tests. */
    __commonpotEditor?: Editor | undefined
  }
}

/**
 * What the shell gives the board: the connection state, a card to place, and following. The
 * document, its awareness and who is drawing are the open workshop's.
 */
export type BoardProps = Pick<YjsTldrawStoreOptions, 'online' | 'synced' | 'place' | 'onPlaced'> & {
  /** The camera of the person this page follows; the board moves to it as it changes. */
  followCamera?: BoardCamera | null
  /** Told of this person's camera as it moves, for others who follow them. */
  onCameraChange?: (camera: BoardCamera) => void
}

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

/** The card shape for an item, centred on `center`: its type, size and the props that bind it to the item. */
function cardFor(item: BoardPlacement, id: TLShapeId, center: { x: number; y: number }): TLShapePartial {
  const at = (size: { w: number; h: number }) => ({ id, x: center.x - size.w / 2, y: center.y - size.h / 2 })
  switch (item.kind) {
    case 'pot-line':
      return { ...at(POT_LINE_CARD_SIZE), type: POT_LINE_SHAPE_TYPE, props: { lineId: item.id, ...POT_LINE_CARD_SIZE } }
    case 'barrier':
      return { ...at(BARRIER_CARD_SIZE), type: BARRIER_SHAPE_TYPE, props: { barrierId: item.id, ...BARRIER_CARD_SIZE } }
    case 'action':
      return { ...at(ACTION_CARD_SIZE), type: ACTION_SHAPE_TYPE, props: { actionId: item.id, ...ACTION_CARD_SIZE } }
  }
}

/**
 * Places the card for `item` (when there is one) in the middle of what the person is looking at,
 * selected, then reports it placed. Observers never place: the button is not offered to them, and
 * nothing they create would be saved.
 */
function usePlaceItem(
  editor: Editor | null,
  item: BoardPlacement | null | undefined,
  readOnly: boolean,
  onPlaced: (() => void) | undefined,
): void {
  // The item last placed, so that an effect run twice (React's strict mode) places one card.
  const placed = useRef<BoardPlacement | null>(null)
  const latestOnPlaced = useRef(onPlaced)
  latestOnPlaced.current = onPlaced
  useEffect(() => {
    if (!item) {
      placed.current = null
      return
    }
    if (!editor || placed.current === item) return
    placed.current = item
    if (!readOnly && !editor.getIsReadonly()) {
      const id = createShapeId()
      const card = cardFor(item, id, editor.getViewportPageBounds().center)
      editor.run(() => {
        editor.setCurrentTool('select')
        editor.createShape(card)
        editor.select(id)
      })
    }
    latestOnPlaced.current?.()
  }, [editor, item, readOnly])
}

const boxStyle = { position: 'relative', width: '100%', height: '100%' } as const

export default function Board(props: BoardProps): JSX.Element {
  const { doc, awareness, user, permissions } = useWorkshop()
  const readOnly = !permissions.canEdit
  const storeWithStatus = useYjsTldrawStore({ ...props, doc, awareness, user, readOnly })
  const currentUser = useBoardCurrentUser(user)

  const [editor, setEditor] = useState<Editor | null>(null)
  const handleMount = useCallback((editor: Editor) => {
    window.__commonpotEditor = editor
    setEditor(editor)
    return () => {
      if (window.__commonpotEditor === editor) window.__commonpotEditor = undefined
      setEditor((current) => (current === editor ? null : current))
    }
  }, [])
  usePlaceItem(storeWithStatus.status === 'synced-remote' ? editor : null, props.place, readOnly, props.onPlaced)
  useCameraFollow(storeWithStatus.status === 'synced-remote' ? editor : null, props.followCamera, props.onCameraChange)

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
    <div className="board" data-testid="board" data-state="ready" data-readonly={readOnly} style={boxStyle}>
      <BoardDocContext.Provider value={doc}>
        <Tldraw
          store={storeWithStatus.store}
          shapeUtils={boardShapeUtils}
          user={currentUser}
          assetUrls={tldrawAssetUrls}
          options={BOARD_OPTIONS}
          licenseKey={licenseKeyFromEnv()}
          onMount={handleMount}
        />
      </BoardDocContext.Provider>
    </div>
  )
}
