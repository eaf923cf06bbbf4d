/**
 * Collaborative rich-text editor for one protocol clause body (a Y.XmlFragment of `paragraph`,
 * `heading`, `bulletList`/`orderedList`/`listItem` elements, as y-prosemirror maps StarterKit).
 *
 * - Schema: paragraphs, headings 2–3, bullet and numbered lists, bold, italic, hard breaks, links
 *   (http/https/mailto only, rel="noopener noreferrer nofollow"). Everything else in StarterKit is
 *   off, so pasted content is reduced to this set by ProseMirror's schema-based parsing.
 * - Undo/redo: the Collaboration extension's (Yjs UndoManager: undoes only your own changes);
 *   StarterKit's `undoRedo` is disabled.
 * - StarterKit's `trailingNode` is disabled: it would make every client that opens a clause
 *   append a paragraph into the shared document at once.
 * - Remote carets: see `clauseCarets.ts` for how editors share one awareness.
 * - Pastes: HTML passes `sanitisePastedHtml`; pastes over MAX_PASTE_CHARS are refused with an alert.
 *
 * Selectors for browser tests: the wrapper `.clause-editor` (data-editable="true|false"), the
 * editing area `.clause-editor__content` (the contenteditable ProseMirror element, with the
 * `aria-label` given as `label`, role="textbox"), the toolbar `[role="toolbar"]`, remote caret
 * `.clause-caret` and its label `.clause-caret__label` (text "Name · Organisation"), the paste
 * refusal `.clause-editor__alert[role="alert"]`.
 */
import './clauseEditor.css'
import { useEffect, useRef, useState, type FormEvent, type JSX, type ReactNode } from 'react'
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react'
import { StarterKit } from '@tiptap/starter-kit'
import { Collaboration } from '@tiptap/extension-collaboration'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { isPasteTooLarge, isSafeUrl, pasteTooLargeMessage, sanitisePastedHtml } from './pasteRules.ts'
import { ClauseCarets, publishCaretUser } from './clauseCarets.ts'
import { FormField } from '../../ui/FormField.tsx'

export interface ClauseEditorProps {
  fragment: Y.XmlFragment
  /** the room provider's awareness (y-websocket). */
  awareness: Awareness
  /** caret label: "Name · Organisation", colour = caret colour */
  user: { name: string; colour: string; organisation: string }
  /** false for agreed clauses and observers: read-only, no toolbar */
  editable: boolean
  /** accessible name of the editing area, e.g. "Text of clause Purpose" */
  label: string
}

const LINK_PROTOCOL = /^(https?:\/\/|mailto:)/i

/** Only absolute http(s) and mailto links; anything else is refused. */
export function isAllowedLinkHref(href: string): boolean {
  return LINK_PROTOCOL.test(href.trim()) && isSafeUrl(href)
}

export function ClauseEditor(props: ClauseEditorProps): JSX.Element {
  const { fragment, awareness, user, editable, label } = props
  const [pasteError, setPasteError] = useState<string | null>(null)
  const labelRef = useRef(label)
  labelRef.current = label
  const editableRef = useRef(editable)
  editableRef.current = editable

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caret label changes with the name, colour or organisation, not with each new user object the shell builds
  useEffect(() => {
    publishCaretUser(awareness, user)
  }, [awareness, user.name, user.colour, user.organisation])

  const editor = useEditor(
    {
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editable,
      extensions: [
        StarterKit.configure({
          undoRedo: false,
          trailingNode: false,
          heading: { levels: [2, 3] },
          blockquote: false,
          code: false,
          codeBlock: false,
          horizontalRule: false,
          strike: false,
          underline: false,
          link: {
            openOnClick: false,
            autolink: true,
            linkOnPaste: true,
            defaultProtocol: 'https',
            protocols: [],
            HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
            isAllowedUri: (url) => isAllowedLinkHref(url),
            shouldAutoLink: (url) => isAllowedLinkHref(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url),
          },
        }),
        Collaboration.configure({ fragment }),
        ClauseCarets.configure({ awareness }),
      ],
      editorProps: {
        attributes: () => ({
          class: 'clause-editor__content',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': labelRef.current,
          'aria-readonly': editableRef.current ? 'false' : 'true',
        }),
        transformPastedHTML: (html) => sanitisePastedHtml(html),
        handlePaste: (_view, event) => {
          const text = event.clipboardData?.getData('text/plain') ?? ''
          const html = event.clipboardData?.getData('text/html') ?? ''
          if (isPasteTooLarge(text, html)) {
            setPasteError(pasteTooLargeMessage(Math.max(text.length, html.length)))
            return true
          }
          setPasteError(null)
          return false
        },
      },
    },
    [fragment, awareness],
  )

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    if (editor.isEditable !== editable) editor.setEditable(editable, false)
    const dom = editor.view.dom
    dom.setAttribute('aria-label', label)
    dom.setAttribute('aria-readonly', editable ? 'false' : 'true')
  }, [editor, editable, label])

  return (
    <div className="clause-editor" data-editable={editable ? 'true' : 'false'}>
      {editable && editor && <Toolbar editor={editor} label={label} />}
      <EditorContent editor={editor} />
      {pasteError && (
        <div className="clause-editor__alert" role="alert">
          <span>{pasteError}</span>
          <button
            type="button"
            className="clause-editor__dismiss"
            onClick={() => setPasteError(null)}
            aria-label="Dismiss message"
          >
            ×
          </button>
        </div>
      )}
    </div>
  )
}

function ToolButton(props: {
  label: string
  pressed: boolean
  expanded?: boolean
  onPress: () => void
  children: ReactNode
}): JSX.Element {
  return (
    <button
      type="button"
      className="clause-editor__tool"
      title={props.label}
      aria-pressed={props.pressed}
      aria-expanded={props.expanded}
      // Keep the selection in the editor when clicking; keyboard activation still fires onClick.
      onMouseDown={(event) => event.preventDefault()}
      onClick={props.onPress}
    >
      {/* The glyph (H2, 1.) is a picture of the label, not words: the name is the label alone. */}
      <span aria-hidden="true">{props.children}</span>
      <span className="visually-hidden">{props.label}</span>
    </button>
  )
}

interface ToolbarState {
  h2: boolean
  h3: boolean
  bold: boolean
  italic: boolean
  bullet: boolean
  ordered: boolean
  link: boolean
  href: string
}

function Toolbar({ editor, label }: { editor: Editor; label: string }): JSX.Element {
  const state = useEditorState<ToolbarState>({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      link: e.isActive('link'),
      href: String(e.getAttributes('link').href ?? ''),
    }),
  })
  const [linkOpen, setLinkOpen] = useState(false)
  const [href, setHref] = useState('')
  const [linkError, setLinkError] = useState<string | null>(null)

  const openLink = () => {
    setHref(state.href || 'https://')
    setLinkError(null)
    setLinkOpen(true)
  }

  const applyLink = (event: FormEvent) => {
    event.preventDefault()
    let value = href.trim()
    if (value && !/^[a-z][a-z0-9+.-]*:/i.test(value)) value = `https://${value}`
    if (!value || value === 'https://') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run()
      setLinkOpen(false)
      return
    }
    if (!isAllowedLinkHref(value)) {
      setLinkError('Links must start with http://, https:// or mailto:.')
      return
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: value }).run()
    setLinkOpen(false)
  }

  return (
    <div className="clause-editor__toolbar" role="toolbar" aria-label={`Formatting: ${label}`}>
      <ToolButton
        label="Heading"
        pressed={state.h2}
        onPress={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}
      >
        H2
      </ToolButton>
      <ToolButton
        label="Subheading"
        pressed={state.h3}
        onPress={() => editor.chain().focus().toggleHeading({ level: 3 }).run()}
      >
        H3
      </ToolButton>
      <ToolButton label="Bold" pressed={state.bold} onPress={() => editor.chain().focus().toggleBold().run()}>
        <strong>B</strong>
      </ToolButton>
      <ToolButton label="Italic" pressed={state.italic} onPress={() => editor.chain().focus().toggleItalic().run()}>
        <em>I</em>
      </ToolButton>
      <ToolButton
        label="Bulleted list"
        pressed={state.bullet}
        onPress={() => editor.chain().focus().toggleBulletList().run()}
      >
        •
      </ToolButton>
      <ToolButton
        label="Numbered list"
        pressed={state.ordered}
        onPress={() => editor.chain().focus().toggleOrderedList().run()}
      >
        1.
      </ToolButton>
      <ToolButton
        label="Link"
        pressed={state.link}
        expanded={linkOpen}
        onPress={() => (linkOpen ? setLinkOpen(false) : openLink())}
      >
        Link
      </ToolButton>
      {linkOpen && (
        <form className="clause-editor__link" onSubmit={applyLink}>
          <FormField as={null} label="Link address" error={linkError} errorClassName="clause-editor__link-error">
            {(control) => (
              <>
                <input
                  {...control}
                  type="url"
                  value={href}
                  autoFocus
                  onChange={(e) => setHref(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.preventDefault()
                      setLinkOpen(false)
                      editor.commands.focus()
                    }
                  }}
                />
                <button type="submit">Apply</button>
                {state.link && (
                  <button
                    type="button"
                    onClick={() => {
                      editor.chain().focus().extendMarkRange('link').unsetLink().run()
                      setLinkOpen(false)
                    }}
                  >
                    Remove link
                  </button>
                )}
              </>
            )}
          </FormField>
        </form>
      )}
    </div>
  )
}
