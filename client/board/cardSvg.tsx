/**
 * A card as plain SVG (rectangles and text, no HTML), for pictures of the board: what a card
 * shape's `toSvg` returns. Plain SVG rather than tldraw's default (the card's HTML in a
 * foreignObject) because the exported file is opened in programs that ignore foreignObject (Word,
 * PowerPoint, Inkscape, LibreOffice), and because it is drawn from the card's data directly.
 */
import type { JSX } from 'react'
import type { CardFace } from './cardFaces.ts'
import { INK, MUTED } from './cardFaces.ts'

/** The on-screen cards' font stack (cards.css). */
export const CARD_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

/** Width of `text` in pixels at `font` (a CSS font shorthand). */
export type MeasureText = (text: string, font: string) => number

let context: CanvasRenderingContext2D | null = null
/** Measures with the browser's own text metrics, so wrapped lines break where the reader's fonts would. */
export const measureWithCanvas: MeasureText = (text, font) => {
  context ??= document.createElement('canvas').getContext('2d')
  if (!context) return text.length * 7
  context.font = font
  return context.measureText(text).width
}

/**
 * `text` broken into at most `maxLines` lines no wider than `width`, breaking between words (and
 * inside a word longer than a line); the last line ends in "…" when text was left over.
 */
export function wrapText(text: string, width: number, maxLines: number, font: string, measure: MeasureText): string[] {
  if (maxLines <= 0) return []
  const fitsLine = (line: string) => measure(line, font) <= width
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)
  const lines: string[] = []
  let current = ''
  let rest = words
  while (rest.length > 0 && lines.length < maxLines) {
    const word = rest[0] as string
    const next = current ? `${current} ${word}` : word
    if (fitsLine(next)) {
      current = next
      rest = rest.slice(1)
      continue
    }
    if (current) {
      lines.push(current)
      current = ''
      continue
    }
    // One word wider than the line: as many of its characters as fit.
    let cut = word.length - 1
    while (cut > 1 && !fitsLine(word.slice(0, cut))) cut--
    lines.push(word.slice(0, cut))
    rest = [word.slice(cut), ...rest.slice(1)]
  }
  if (current && lines.length < maxLines) lines.push(current)
  else if (current) rest = [current, ...rest]
  if (rest.length > 0 && lines.length > 0) {
    let last = lines[lines.length - 1] as string
    while (last.length > 0 && !fitsLine(`${last}…`)) last = last.slice(0, -1).trimEnd()
    lines[lines.length - 1] = `${last}…`
  }
  return lines
}

const font = (size: number, weight = 400) => `${weight} ${size}px ${CARD_FONT}`

/** An id usable in `url(#…)`: shape ids hold a colon. */
const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_')

interface CardSvgProps {
  face: CardFace
  w: number
  h: number
  /** The shape's id, for the card's clip path. */
  id: string
  measure?: MeasureText
}

/** The card in its own coordinates (0, 0 to w, h), laid out like the on-screen card. */
export function CardSvg({ face, w, h, id, measure = measureWithCanvas }: CardSvgProps): JSX.Element {
  const clip = `card-clip-${safeId(id)}`
  const left = face.accentEdge === 'left' ? 6 + 12 : 12
  const right = 12
  const width = Math.max(w - left - right, 10)
  const top = face.accentEdge === 'top' ? 5 + 9 : 10
  const bottom = h - 9
  const parts: JSX.Element[] = []
  let y = top

  if (face.kicker) {
    parts.push(
      <text key="kicker" x={left} y={y + 10} fontSize={11} fontWeight={700} letterSpacing="0.04em" fill={MUTED}>
        {face.kicker.toUpperCase()}
      </text>,
    )
    if (face.badge) {
      const badgeFont = font(11, 600)
      const textWidth = measure(face.badge.text, badgeFont)
      const badgeW = textWidth + 12
      parts.push(
        <g key="badge">
          <rect
            x={w - right - badgeW}
            y={y - 1}
            width={badgeW}
            height={15}
            rx={7.5}
            fill={face.badge.fill}
            stroke="#d9dee5"
          />
          <text
            x={w - right - badgeW / 2}
            y={y + 10}
            fontSize={11}
            fontWeight={600}
            textAnchor="middle"
            fill={face.badge.ink}
          >
            {face.badge.text}
          </text>
        </g>,
      )
    }
    y += 17
  }

  // The foot and the figure are anchored at the bottom; the title and details take what is left.
  const footY = face.status || face.aside ? bottom - 3 : bottom
  const figureY = face.figure ? (face.status ? footY - 19 : bottom - 4) : footY
  const spaceBottom = face.figure ? figureY - 20 : face.status || face.aside ? footY - 14 : bottom
  const titleSize = face.accentEdge === 'left' ? 13 : 14
  const titleLine = titleSize + 4
  const detailLine = 15
  const titleFont = font(titleSize, 600)
  const detailsRoom = face.details.length * detailLine
  const maxTitleLines = Math.max(
    1,
    Math.min(face.accentEdge === 'left' ? 2 : 3, Math.floor((spaceBottom - y - detailsRoom) / titleLine)),
  )
  const titleLines = wrapText(face.title, width, maxTitleLines, titleFont, measure)
  titleLines.forEach((line, i) => {
    parts.push(
      <text
        key={`title-${i}`}
        x={left}
        y={y + titleSize + i * titleLine}
        fontSize={titleSize}
        fontWeight={600}
        fill={face.struckTitle || face.removed ? MUTED : INK}
        textDecoration={face.struckTitle ? 'line-through' : undefined}
      >
        {line}
      </text>,
    )
  })
  y += titleLines.length * titleLine + 2
  for (const [i, detail] of face.details.entries()) {
    if (y + 12 > spaceBottom) break
    const [line] = wrapText(detail, width, 1, font(12), measure)
    parts.push(
      <text key={`detail-${i}`} x={left} y={y + 12} fontSize={12} fill={MUTED}>
        {line}
      </text>,
    )
    y += detailLine
  }

  if (face.figure) {
    const [figure] = wrapText(face.figure.text, width, 1, font(20, 700), measure)
    parts.push(
      <text
        key="figure"
        x={left}
        y={figureY}
        fontSize={20}
        fontWeight={700}
        fill={face.figure.struck ? MUTED : INK}
        textDecoration={face.figure.struck ? 'line-through' : undefined}
      >
        {figure}
      </text>,
    )
  }
  if (face.status) {
    parts.push(
      <g key="status">
        <circle cx={left + 4.5} cy={footY - 4} r={4.5} fill={face.status.colour} />
        <text
          x={left + 14}
          y={footY}
          fontSize={12}
          fontWeight={face.accentEdge === 'left' ? 400 : 600}
          fill={face.accentEdge === 'left' ? MUTED : INK}
        >
          {face.status.label}
        </text>
      </g>,
    )
  }
  if (face.aside) {
    const [aside] = wrapText(face.aside, width / 2, 1, font(12), measure)
    parts.push(
      <text key="aside" x={w - right} y={footY} fontSize={12} textAnchor="end" fill={MUTED}>
        {aside}
      </text>,
    )
  }

  return (
    <g fontFamily={CARD_FONT} data-card-title={face.title}>
      <defs>
        <clipPath id={clip}>
          <rect x={0} y={0} width={w} height={h} rx={8} />
        </clipPath>
      </defs>
      <rect x={0} y={1} width={w} height={h} rx={8} fill="#0f172a" opacity={0.08} />
      <rect
        x={0}
        y={0}
        width={w}
        height={h}
        rx={8}
        fill={face.background}
        stroke={face.removed ? '#94a3b8' : '#d9dee5'}
        strokeDasharray={face.removed ? '6 4' : undefined}
      />
      <g clipPath={`url(#${clip})`}>
        {!face.removed &&
          (face.accentEdge === 'left' ? (
            <rect x={0} y={0} width={6} height={h} fill={face.accent} />
          ) : (
            <rect x={0} y={0} width={w} height={5} fill={face.accent} />
          ))}
        {parts}
      </g>
    </g>
  )
}
