/**
 * The workshop's whiteboard: a tldraw canvas whose document lives in the workshop's Y.Doc.
 * Loaded lazily by the shell, so tldraw and its stylesheet stay out of the first screen.
 */
import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import {
  Box,
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
import { findFreeSpot, type Rect } from '../../shared/boardLayout.ts'
import { readMeta } from '../../shared/schema.ts'
import '@tldraw/tldraw/tldraw.css'
import type { PresenceUser } from '../../shared/presence.ts'
import { ACTION_CARD_SIZE, ACTION_SHAPE_TYPE } from './ActionCardShape.tsx'
import { arrangeCards } from './arrange.ts'
import { BARRIER_CARD_SIZE, BARRIER_SHAPE_TYPE } from './BarrierCardShape.tsx'
import { BoardPictureButtons } from './BoardPictureButtons.tsx'
import { BOARD_OPTIONS } from './boardOptions.ts'
import { BOARD_COMPONENTS } from './lazyShapes.tsx'
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
  /** Named in the board's pictures, so that a picture says which workshop it shows. */
  roomId: string
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

const CARD_SIZES = { 'pot-line': POT_LINE_CARD_SIZE, barrier: BARRIER_CARD_SIZE, action: ACTION_CARD_SIZE } as const

/** The card shape for an item with its top-left at `at`: its type, size and the props that bind it to the item. */
function cardFor(item: BoardPlacement, id: TLShapeId, at: { x: number; y: number }): TLShapePartial {
  switch (item.kind) {
    case 'pot-line':
      return { id, ...at, type: POT_LINE_SHAPE_TYPE, props: { lineId: item.id, ...POT_LINE_CARD_SIZE } }
    case 'barrier':
      return { id, ...at, type: BARRIER_SHAPE_TYPE, props: { barrierId: item.id, ...BARRIER_CARD_SIZE } }
    case 'action':
      return { id, ...at, type: ACTION_SHAPE_TYPE, props: { actionId: item.id, ...ACTION_CARD_SIZE } }
  }
}

const rectOf = (box: { x: number; y: number; w: number; h: number }): Rect => ({
  x: box.x,
  y: box.y,
  w: box.w,
  h: box.h,
})

/**
 * Where a new card goes: the free spot nearest the middle of what this person is looking at,
 * clear of every shape on the page (shared/boardLayout.ts), so it never hides another card.
 */
function freeSpotFor(editor: Editor, item: BoardPlacement): { x: number; y: number } {
  const obstacles = editor.getCurrentPageShapes().flatMap((shape) => {
    const bounds = editor.getShapePageBounds(shape)
    return bounds ? [rectOf(bounds)] : []
  })
  const size = CARD_SIZES[item.kind]
  // tldraw's menus and toolbar float over the canvas edges: a card there would be half hidden.
  const zoom = editor.getZoomLevel()
  const whole = rectOf(editor.getViewportPageBounds())
  const clear = {
    x: whole.x + UI_INSETS.left / zoom,
    y: whole.y + UI_INSETS.top / zoom,
    w: whole.w - (UI_INSETS.left + UI_INSETS.right) / zoom,
    h: whole.h - (UI_INSETS.top + UI_INSETS.bottom) / zoom,
  }
  return findFreeSpot({ view: clear.w >= size.w && clear.h >= size.h ? clear : whole, obstacles, size })
}

/** Screen pixels along each edge of the canvas that tldraw's menus and toolbar cover. */
const UI_INSETS = { top: 56, right: 16, bottom: 72, left: 16 } as const

/**
 * Places the card for `item` (when there is one) in free space near the middle of what the person
 * is looking at, selected, then reports it placed; if the view has no room, the view moves to it. Observers never place: the button is not offered to them, and
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
      const at = freeSpotFor(editor, item)
      editor.run(() => {
        editor.setCurrentTool('select')
        editor.createShape(cardFor(item, id, at))
        editor.select(id)
      })
      const size = CARD_SIZES[item.kind]
      if (!Box.Contains(editor.getViewportPageBounds(), new Box(at.x, at.y, size.w, size.h)))
        editor.centerOnPoint({ x: at.x + size.w / 2, y: at.y + size.h / 2 }, { animation: { duration: 200 } })
    }
    latestOnPlaced.current?.()
  }, [editor, item, readOnly])
}

const boxStyle = { position: 'relative', width: '100%', height: '100%' } as const

/** Above the canvas: Arrange for those who may move cards, and the board's picture for everyone. */
function BoardBar({ editor, canArrange, roomId }: { editor: Editor; canArrange: boolean; roomId: string }) {
  const { doc } = useWorkshop()
  const [arranged, setArranged] = useState<string | null>(null)
  const arrange = () => {
    const count = arrangeCards(editor)
    setArranged(
      count === 0
        ? 'There are no cards to arrange: place pot lines, barriers or actions first.'
        : `Arranged ${count} card${count === 1 ? '' : 's'} in columns. Undo puts them back.`,
    )
  }
  const label = () => {
    const title = readMeta(doc).title
    const now = new Date()
    return {
      workshopTitle: title,
      when: now,
      title: `Board of ${title || 'the workshop'}`,
      description: `Commonpot board of "${title}" (room ${roomId}), live, drawn ${now.toISOString()}`,
    }
  }
  return (
    <div className="board-bar" role="toolbar" aria-label="Board">
      {canArrange && (
        <button type="button" className="button small" onClick={arrange}>
          Arrange cards
        </button>
      )}
      <BoardPictureButtons editor={editor} label={label} />
      <span className="hint" role="status">
        {arranged}
      </span>
    </div>
  )
}

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
    <div
      className="board board-with-bar"
      data-testid="board"
      data-state="ready"
      data-readonly={readOnly}
      style={boxStyle}
    >
      {editor && <BoardBar editor={editor} canArrange={!readOnly} roomId={props.roomId} />}
      <div className="board-canvas">
        <BoardDocContext.Provider value={doc}>
          <Tldraw
            store={storeWithStatus.store}
            shapeUtils={boardShapeUtils}
            user={currentUser}
            assetUrls={tldrawAssetUrls}
            options={BOARD_OPTIONS}
            components={BOARD_COMPONENTS}
            licenseKey={licenseKeyFromEnv()}
            onMount={handleMount}
          />
        </BoardDocContext.Provider>
      </div>
    </div>
  )
}
