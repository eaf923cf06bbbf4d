/**
 * The one place a workshop's files are offered (the live workshop in the header, each snapshot on
 * its page and in the list): a "Download" button that shows and hides a list of buttons, each
 * named by what the file is for ("Agreement for signature (Word)"), with a line on what it holds.
 *
 * A disclosure rather than an ARIA menu: the items are ordinary buttons in the tab order, which
 * every screen reader announces the same way; Escape or a click elsewhere closes it and returns
 * focus to the toggle, and the arrow keys move between items as a shortcut. Each download goes
 * through `client/ui/downloadFile.ts` (the token in a header, never in the address); one that
 * fails says so in the list, which stays open.
 */
import { type CSSProperties, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { CSV_PART_TITLES } from '../../shared/exportCsv.ts'
import type { ExportFormat, ExportPart, WorkshopExports } from '../workshop/WorkshopContext.tsx'
import './downloadMenu.css'

export interface DownloadItem {
  key: string
  /** What the file is for, with its kind: "Pot workbook (Excel)". */
  label: string
  /** What it holds, in a line. */
  hint: string
  format: ExportFormat
  part?: ExportPart
}

export interface DownloadGroup {
  title: string
  items: DownloadItem[]
}

/** What each table's CSV holds, for the line under its button. */
const CSV_HINTS: Record<string, string> = {
  pot: 'One row per contribution line, amounts in pounds; imports back into the Pot',
  protocol: 'One row per organisation’s position on each clause, with how it was stated',
  barriers: 'One row per barrier, with its status, impact and dots',
  actions: 'One row per action or decision, with owners, due dates and links',
  outcomes: 'One row per outcome, with its measure, baseline and target',
}

/** Every file a workshop (or, with `snapshot`, a snapshot of it) is offered as, grouped by use. */
export function downloadGroups(snapshot: boolean): DownloadGroup[] {
  return [
    {
      title: 'To circulate',
      items: [
        {
          key: 'docx',
          label: 'Agreement for signature (Word)',
          hint: 'The protocol, numbered clauses and a sign-off table, as .docx',
          format: 'docx',
        },
        {
          key: 'xlsx',
          label: 'Pot workbook (Excel)',
          hint: 'Every pot line with totals by partner, mode and status, as .xlsx',
          format: 'xlsx',
        },
        {
          key: 'md',
          label: 'Minutes (Markdown)',
          hint: 'The whole workshop as plain text with headings and tables, as .md',
          format: 'md',
        },
      ],
    },
    {
      title: 'Tables for spreadsheets (CSV)',
      items: CSV_PART_TITLES.map(({ part, title }) => ({
        key: `csv-${part}`,
        label: `${title} (CSV)`,
        hint: CSV_HINTS[part] ?? 'One table, as .csv',
        format: 'csv' as const,
        part,
      })),
    },
    {
      title: 'For other tools and checking',
      items: [
        {
          key: 'json',
          label: 'Complete record (JSON)',
          hint: 'Everything, with the ledger and signed receipts, for other tools and “commonpot verify”',
          format: 'json',
        },
        ...(snapshot
          ? [
              {
                key: 'ydoc',
                label: 'Exact saved state (.ydoc)',
                hint: 'The snapshot’s bytes as stored, which its SHA-256 is of',
                format: 'ydoc' as const,
              },
            ]
          : []),
      ],
    },
  ]
}

const MARGIN_PX = 8

/** The panel under the button, its right edge on the button's, moved left or right to stay on screen. */
function panelPlace(button: DOMRect): CSSProperties {
  const width = Math.min(400, window.innerWidth - 2 * MARGIN_PX)
  const left = Math.min(Math.max(button.right - width, MARGIN_PX), window.innerWidth - width - MARGIN_PX)
  const top = button.bottom + 4
  return { left, top, width, maxHeight: Math.max(160, window.innerHeight - top - MARGIN_PX) }
}

interface Props {
  exports: WorkshopExports
  /** The toggle's accessible name when "Download" alone would not say whose files these are. */
  name?: string
  className?: string
}

export function DownloadMenu({ exports, name, className = 'button compact' }: Props) {
  const [open, setOpen] = useState(false)
  // Where the panel is drawn: fixed to the window under the button, so that no scrolling table
  // or side panel it sits in clips it; kept on screen however near an edge the button is.
  const [place, setPlace] = useState<CSSProperties>({})
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const wrapper = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const id = useId()
  const groups = downloadGroups(exports.snapshot)

  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) toggle.current?.focus()
  }

  useEffect(() => {
    if (!open) return
    const outside = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false)
    }
    // Fixed to the window, it would part from its button when anything scrolls: close it instead.
    const away = (event: Event) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false)
    }
    const resized = () => setOpen(false)
    document.addEventListener('pointerdown', outside)
    document.addEventListener('scroll', away, true)
    window.addEventListener('resize', resized)
    return () => {
      document.removeEventListener('pointerdown', outside)
      document.removeEventListener('scroll', away, true)
      window.removeEventListener('resize', resized)
    }
  }, [open])

  async function run(item: DownloadItem) {
    if (busy) return
    setBusy(item.key)
    setError(null)
    try {
      await exports.download(item.format, item.part)
      close(true)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The download failed. Try again.')
    } finally {
      setBusy(null)
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape' && open) {
      event.stopPropagation()
      close(true)
      return
    }
    if (!open || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return
    const items = [...(wrapper.current?.querySelectorAll<HTMLButtonElement>('.download-item') ?? [])]
    if (items.length === 0) return
    event.preventDefault()
    const at = items.indexOf(document.activeElement as HTMLButtonElement)
    const next = event.key === 'ArrowDown' ? (at + 1) % items.length : at <= 0 ? items.length - 1 : at - 1
    items[next]?.focus()
  }

  return (
    <div className="download-menu" ref={wrapper}>
      <button
        ref={toggle}
        type="button"
        className={className}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={name}
        onKeyDown={onKeyDown}
        onClick={() => {
          setError(null)
          if (toggle.current) setPlace(panelPlace(toggle.current.getBoundingClientRect()))
          setOpen((was) => !was)
        }}
      >
        Download <span aria-hidden="true">▾</span>
      </button>
      <div
        id={`${id}-panel`}
        className="download-menu-panel"
        style={place}
        role="group"
        aria-label="Files to download"
        hidden={!open}
        onKeyDown={onKeyDown}
      >
        {groups.map((group, g) => (
          // A group, not a region: a list of snapshots would otherwise add landmarks by the dozen.
          <div key={group.title} className="download-group" role="group" aria-labelledby={`${id}-g${g}`}>
            <p className="download-group-title" id={`${id}-g${g}`}>
              {group.title}
            </p>
            <ul>
              {group.items.map((item) => (
                // The button is named by what the file is for; the line under it, outside it so that
                // the name is all the button's text, describes it (and takes clicks too, by CSS).
                <li key={item.key} className="download-entry">
                  <button
                    type="button"
                    className="download-item"
                    aria-describedby={`${id}-${item.key}`}
                    aria-busy={busy === item.key}
                    onClick={() => void run(item)}
                  >
                    {item.label}
                    {busy === item.key ? ' — preparing…' : ''}
                  </button>
                  <span className="download-item-hint" id={`${id}-${item.key}`}>
                    {item.hint}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {error && (
          <p className="form-error download-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  )
}
