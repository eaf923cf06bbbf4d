/**
 * Remote carets for clause editors, on the room's single shared awareness.
 *
 * Why not `@tiptap/extension-collaboration-caret`: it (1) overwrites the awareness field `user`
 * with `{ name, color }`, clobbering the workshop's own `user` field `{ id, name, organisation,
 * colour, role }` that the presence list reads, and (2) has no option to choose the awareness
 * field, and (3) its latest release pins `@tiptap/core` 3.31.3, older than the 3.34 that tldraw
 * already installs. It is a thin wrapper around y-tiptap's `yCursorPlugin`, which we use directly.
 *
 * How several editors share one awareness: every editor publishes to the standard `cursor` field,
 * but only while it has focus (yCursorPlugin writes the caret on focus/selection change and
 * never from an unfocused view). Each editor renders only the remote carets whose relative
 * positions resolve inside its own Y.XmlFragment, so a caret shows in exactly one clause.
 * (yCursorPlugin's `cursorStateField` argument cannot give per-fragment fields: it only renames
 * the field it writes, while it reads `cursor` regardless.) The wrapper below adds two guards:
 * an editor clears `cursor` only if the value there is the one it wrote itself (so an editor
 * unmounting, which clears unconditionally, cannot erase a caret another editor on the page is
 * publishing), and it presents each peer's user as `{ name, color, organisation }` read from
 * the field `caretUser` (published by ClauseEditor) or else the workshop's `user` field,
 * without mutating awareness state.
 */
import { Extension } from '@tiptap/core'
import { yCursorPlugin } from '@tiptap/y-tiptap'
import type { Awareness } from 'y-protocols/awareness'

export interface CaretUser {
  name: string
  colour: string
  organisation: string
}

/** Awareness field where a clause editor publishes the caret label and colour. */
export const CARET_USER_FIELD = 'caretUser'
/** Awareness field holding the focused editor's selection (y-prosemirror's standard field). */
export const CURSOR_FIELD = 'cursor'
const FALLBACK_COLOUR = '#1d4ed8'

export function safeColour(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : FALLBACK_COLOUR
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** What yCursorPlugin's builders receive as `user`. */
interface RenderUser {
  name: string
  color: string
  organisation: string
}

function renderUserOf(state: Record<string, unknown>, clientId: number): RenderUser {
  const published = state[CARET_USER_FIELD] ?? state.user
  const user = (published && typeof published === 'object' ? published : {}) as Record<string, unknown>
  return {
    name: text(user.name) || `Participant ${clientId}`,
    color: safeColour(user.colour ?? user.color),
    organisation: text(user.organisation),
  }
}

export function caretLabel(user: { name: string; organisation: string }): string {
  return user.organisation ? `${user.name} · ${user.organisation}` : user.name
}

/** The awareness as yCursorPlugin sees it; see the module comment. */
function guardedAwareness(awareness: Awareness): Awareness {
  let written: unknown = null
  const view = {
    get clientID() {
      return awareness.clientID
    },
    get doc() {
      return awareness.doc
    },
    getLocalState: () => awareness.getLocalState(),
    getStates: () => {
      const states = new Map<number, Record<string, unknown>>()
      awareness.getStates().forEach((state, clientId) => {
        states.set(clientId, state ? { ...state, user: renderUserOf(state, clientId) } : state)
      })
      return states
    },
    setLocalStateField: (field: string, value: unknown) => {
      if (field !== CURSOR_FIELD) return awareness.setLocalStateField(field, value)
      if (value == null) {
        if (written === null || awareness.getLocalState()?.[CURSOR_FIELD] !== written) return
        written = null
      } else {
        written = value
      }
      awareness.setLocalStateField(CURSOR_FIELD, value)
    },
    on: (name: string, handler: (...args: unknown[]) => void) => awareness.on(name as 'change', handler as never),
    off: (name: string, handler: (...args: unknown[]) => void) => awareness.off(name as 'change', handler as never),
  }
  return view as unknown as Awareness
}

function buildCaret(user: RenderUser): HTMLElement {
  const caret = document.createElement('span')
  caret.className = 'clause-caret'
  caret.style.borderColor = user.color
  caret.setAttribute('aria-hidden', 'true')
  const label = document.createElement('span')
  label.className = 'clause-caret__label'
  label.style.backgroundColor = user.color
  label.textContent = caretLabel(user)
  caret.append(label)
  return caret
}

export interface ClauseCaretsOptions {
  awareness: Awareness | null
}

/** TipTap extension: remote carets and selections for one clause editor. */
export const ClauseCarets = Extension.create<ClauseCaretsOptions>({
  name: 'clauseCarets',
  priority: 999,
  addOptions() {
    return { awareness: null }
  },
  addProseMirrorPlugins() {
    const { awareness } = this.options
    if (!awareness) return []
    return [
      yCursorPlugin(guardedAwareness(awareness), {
        cursorBuilder: (user: RenderUser) => buildCaret(user),
        selectionBuilder: (user: RenderUser) => ({
          class: 'clause-caret-selection',
          style: `background-color: ${user.color}33`,
        }),
      }),
    ]
  },
})

/** Publishes the caret label/colour once per change (several editors share one awareness). */
export function publishCaretUser(awareness: Awareness, user: CaretUser): void {
  const current = awareness.getLocalState()?.[CARET_USER_FIELD] as Partial<CaretUser> | undefined
  const next = { name: user.name, colour: safeColour(user.colour), organisation: user.organisation }
  if (
    current &&
    current.name === next.name &&
    current.colour === next.colour &&
    current.organisation === next.organisation
  )
    return
  awareness.setLocalStateField(CARET_USER_FIELD, next)
}
