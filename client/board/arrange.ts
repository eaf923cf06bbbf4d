/**
 * "Arrange": the cards on the board laid out in titled columns by section (Pot, Barriers,
 * Actions), in one step that Undo takes back and that reaches everyone as one change.
 */
import * as Y from 'yjs'
import { Box, createShapeId, toRichText, type Editor, type TLShape, type TLShapeId } from '@tldraw/tldraw'
import { readActionItem } from '../../shared/actions.ts'
import { BARRIER_STATUSES, readBarrier } from '../../shared/barriers.ts'
import { findFreeSpot, layoutColumns, unionRect, type LayoutColumn, type Rect } from '../../shared/boardLayout.ts'
import { readPotLine } from '../../shared/pot.ts'
import { getActionsMap, getBarriersMap, getPotMap } from '../../shared/schema.ts'
import { ACTION_SHAPE_TYPE } from './ActionCardShape.tsx'
import { BARRIER_SHAPE_TYPE } from './BarrierCardShape.tsx'
import { storeDoc } from './cardDoc.ts'
import { POT_LINE_SHAPE_TYPE } from './PotLineCardShape.tsx'

type SectionKey = 'pot' | 'barriers' | 'actions'

/** Column titles are text shapes with fixed ids, so arranging again moves them rather than adding more. */
export const arrangeHeadingId = (key: SectionKey): TLShapeId => createShapeId(`arrange-heading-${key}`)

const SECTION_KEYS: readonly SectionKey[] = ['pot', 'barriers', 'actions']
const TITLES: Record<SectionKey, string> = { pot: 'Pot', barriers: 'Barriers', actions: 'Actions' }

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true })

/** A card and what it is sorted by within its column; a card whose item was removed goes last. */
interface Sortable {
  shape: TLShape
  removed: boolean
  keys: (string | number)[]
}

function compare(a: Sortable, b: Sortable): number {
  if (a.removed !== b.removed) return a.removed ? 1 : -1
  for (let i = 0; i < Math.max(a.keys.length, b.keys.length); i++) {
    const x = a.keys[i] ?? ''
    const y = b.keys[i] ?? ''
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y))
    if (order !== 0) return order
  }
  return collator.compare(a.shape.id, b.shape.id)
}

function item(section: Y.Map<Y.Map<unknown>>, id: string): Y.Map<unknown> | null {
  const map = section.get(id)
  return map instanceof Y.Map ? map : null
}

/**
 * Which column a card goes in and where in it: the pot by partner, largest amount first; barriers
 * in the order of their workflow (raised … resolved), then by title; actions by due date (undated
 * last), then decisions.
 */
function sortable(doc: Y.Doc, shape: TLShape): { section: SectionKey; entry: Sortable } | null {
  if (shape.type === POT_LINE_SHAPE_TYPE) {
    const map = item(getPotMap(doc), shape.props.lineId)
    const line = map ? readPotLine(shape.props.lineId, map) : null
    return {
      section: 'pot',
      entry: { shape, removed: !line, keys: line ? [line.partner, -line.amount, line.stream] : [] },
    }
  }
  if (shape.type === BARRIER_SHAPE_TYPE) {
    const map = item(getBarriersMap(doc), shape.props.barrierId)
    const barrier = map ? readBarrier(shape.props.barrierId, map) : null
    return {
      section: 'barriers',
      entry: {
        shape,
        removed: !barrier,
        keys: barrier ? [BARRIER_STATUSES.indexOf(barrier.status), barrier.title] : [],
      },
    }
  }
  if (shape.type === ACTION_SHAPE_TYPE) {
    const map = item(getActionsMap(doc), shape.props.actionId)
    const action = map ? readActionItem(shape.props.actionId, map) : null
    const keys = !action
      ? []
      : action.kind === 'action'
        ? [0, action.dueDate === '' ? 1 : 0, action.dueDate, action.what]
        : [1, 0, '', action.what]
    return { section: 'actions', entry: { shape, removed: !action, keys } }
  }
  return null
}

/**
 * Lays the cards on the current page out in columns, where they were (their top-left corner),
 * or the nearest place clear of every other shape; returns how many cards moved into place.
 * Cards inside frames or groups, and locked cards, stay where they are.
 */
export function arrangeCards(editor: Editor): number {
  const doc = storeDoc(editor.store)
  const pageId = editor.getCurrentPageId()
  const headingIds = new Set<TLShapeId>(SECTION_KEYS.map(arrangeHeadingId))
  const columns: Record<SectionKey, Sortable[]> = { pot: [], barriers: [], actions: [] }
  const others: Rect[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (headingIds.has(shape.id)) continue
    const placed = shape.parentId === pageId && !shape.isLocked ? sortable(doc, shape) : null
    if (placed) columns[placed.section].push(placed.entry)
    else if (shape.parentId === pageId) {
      const bounds = editor.getShapePageBounds(shape)
      if (bounds) others.push({ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h })
    }
  }
  const cards = SECTION_KEYS.flatMap((key) => columns[key])
  if (cards.length === 0) return 0

  const layout = layoutColumns(
    SECTION_KEYS.map(
      (key): LayoutColumn => ({
        key,
        title: TITLES[key],
        // The card's own size: arranging also sets any turned card straight.
        cards: [...columns[key]].sort(compare).map(({ shape }) => {
          const { w, h } = editor.getShapeGeometry(shape).bounds
          return { id: shape.id, w, h }
        }),
      }),
    ),
  )
  const before = unionRect(
    cards.flatMap(({ shape }) => {
      const b = editor.getShapePageBounds(shape)
      return b ? [{ x: b.x, y: b.y, w: b.w, h: b.h }] : []
    }),
  )
  const wanted: Rect = { x: before?.x ?? 0, y: before?.y ?? 0, w: layout.size.w, h: layout.size.h }
  const origin = findFreeSpot({ view: wanted, obstacles: others, size: layout.size })

  editor.markHistoryStoppingPoint('arrange cards')
  editor.run(() => {
    for (const key of SECTION_KEYS) {
      const id = arrangeHeadingId(key)
      const heading = layout.headings.find((h) => h.key === key)
      if (!heading) {
        if (editor.getShape(id)) editor.deleteShape(id)
        continue
      }
      const at = { x: origin.x + heading.x, y: origin.y + heading.y }
      const props = { richText: toRichText(heading.title), size: 'm' as const, font: 'sans' as const }
      if (editor.getShape(id)) editor.updateShape({ id, type: 'text', parentId: pageId, ...at, rotation: 0, props })
      else editor.createShape({ id, type: 'text', parentId: pageId, ...at, props })
    }
    editor.updateShapes(
      cards.map(({ shape }) => {
        const to = layout.cards.get(shape.id) ?? { x: 0, y: 0 }
        return { id: shape.id, type: shape.type, x: origin.x + to.x, y: origin.y + to.y, rotation: 0 }
      }),
    )
  })
  editor.zoomToBounds(new Box(origin.x, origin.y, layout.size.w, layout.size.h), {
    targetZoom: 1,
    inset: 48,
    animation: { duration: 200 },
  })
  return cards.length
}
