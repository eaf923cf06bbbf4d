/**
 * The keyboard shortcuts, on "?" as in Linear, Gmail and GitHub: a modal `<dialog>` listing what
 * the keyboard does in each part of the room. "?" is ignored while someone types (a field, a
 * clause, a text on the board), where it is a character.
 */
import { useEffect, useId, useState } from 'react'
import { isApplePlatform } from './platform.ts'
import { useModalDialog } from './useModalDialog.ts'

interface Shortcut {
  keys: string[][]
  does: string
}

function groups(mod: string): { title: string; shortcuts: Shortcut[] }[] {
  return [
    {
      title: 'Anywhere',
      shortcuts: [
        { keys: [['?']], does: 'Show these shortcuts' },
        { keys: [['Esc']], does: 'Close a dialog or a panel' },
        { keys: [['Tab'], ['Shift', 'Tab']], does: 'Next or previous control' },
      ],
    },
    {
      title: 'Pot grid, actions and barriers',
      shortcuts: [
        { keys: [['←'], ['→'], ['↑'], ['↓']], does: 'Move between cells' },
        { keys: [['Shift', '↓']], does: 'Select a block of cells' },
        { keys: [['Enter'], ['F2']], does: 'Edit the cell (or just start typing to replace it)' },
        { keys: [['Enter']], does: 'Save and move down (while editing)' },
        { keys: [['Tab']], does: 'Save and move right' },
        { keys: [['Esc']], does: 'Put back the saved value' },
        {
          keys: [
            [mod, 'C'],
            [mod, 'V'],
          ],
          does: 'Copy or paste a block, to or from a spreadsheet',
        },
        { keys: [[mod, 'Z']], does: 'Undo your own last change' },
      ],
    },
    {
      title: 'Clause text',
      shortcuts: [
        { keys: [[mod, 'B']], does: 'Bold' },
        { keys: [[mod, 'I']], does: 'Italic' },
        { keys: [[mod, 'Shift', '8']], does: 'Bulleted list' },
        { keys: [[mod, 'Shift', '7']], does: 'Numbered list' },
        { keys: [[mod, 'Z']], does: 'Undo your own change' },
        { keys: [[mod, 'Shift', 'Z']], does: 'Redo' },
      ],
    },
    {
      title: 'Board',
      shortcuts: [
        { keys: [['V']], does: 'Select' },
        { keys: [['H']], does: 'Move the view (hand)' },
        { keys: [['R']], does: 'Rectangle' },
        { keys: [['N']], does: 'Sticky note' },
        { keys: [['T']], does: 'Text' },
        { keys: [['A']], does: 'Arrow' },
        { keys: [['D']], does: 'Draw' },
        { keys: [['E']], does: 'Eraser' },
        { keys: [['Delete']], does: 'Delete the selection' },
        { keys: [['Shift', '1']], does: 'Zoom to fit everything' },
        { keys: [[mod, 'Z']], does: 'Undo your own change' },
        { keys: [[mod, 'Shift', 'Z']], does: 'Redo' },
      ],
    },
  ]
}

/** Whether a key press lands where "?" is text: a field, a clause editor, a text on the board. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null
}

export function ShortcutSheet() {
  const [open, setOpen] = useState(false)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return
      event.preventDefault()
      setOpen(true)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return open ? <ShortcutDialog onClose={() => setOpen(false)} /> : null
}

function ShortcutDialog({ onClose }: { onClose: () => void }) {
  const dialog = useModalDialog()
  const titleId = useId()
  const mod = isApplePlatform() ? '⌘' : 'Ctrl'
  return (
    <dialog
      ref={dialog}
      className="shortcut-sheet"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <div className="shortcut-sheet__head">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <button type="button" className="button small" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <div className="shortcut-sheet__groups">
        {groups(mod).map((group) => (
          <section key={group.title} aria-label={group.title}>
            <h3>{group.title}</h3>
            <dl>
              {group.shortcuts.map((shortcut) => (
                <div key={`${group.title}:${shortcut.does}`} className="shortcut">
                  <dt>
                    {shortcut.keys.map((combo, i) => (
                      <span key={combo.join('+')}>
                        {i > 0 && <span className="shortcut__or"> or </span>}
                        {combo.map((key, j) => (
                          <span key={key}>
                            {j > 0 && '+'}
                            <kbd>{key}</kbd>
                          </span>
                        ))}
                      </span>
                    ))}
                  </dt>
                  <dd>{shortcut.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  )
}
