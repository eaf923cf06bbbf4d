/**
 * What a card on the board says, read straight from the workshop document: the words and colours
 * of a pot line, barrier or action card, with no React involved. Pictures of the board are drawn
 * from these (cardSvg.tsx), because tldraw draws an export in a React root of its own, outside
 * every provider the on-screen cards read from.
 */
import * as Y from 'yjs'
import { ACTION_STATUS_LABELS, isOverdue, readActionItem, type ActionStatus } from '../../shared/actions.ts'
import { BARRIER_STATUS_LABELS, readBarrier, type BarrierStatus } from '../../shared/barriers.ts'
import { formatIsoDate } from '../../shared/dates.ts'
import { formatMoney } from '../../shared/money.ts'
import { readPotLine, STATUS_LABELS } from '../../shared/pot.ts'
import { getActionsMap, getBarriersMap, getPotMap } from '../../shared/schema.ts'
import { STATUS_COLOURS } from '../pot/PotChart.tsx'
import { openVote, readVotes, showsResults, tallyVote } from '../../shared/votes.ts'

/** The accent of a barrier card by status (cards.css has the same for the on-screen card). */
export const BARRIER_ACCENTS: Record<BarrierStatus, string> = {
  raised: '#64748b',
  'with-department': '#2563eb',
  escalated: '#d97706',
  'flexibility-agreed': '#16a34a',
  'flexibility-refused': '#dc2626',
  resolved: '#0f766e',
}

export const ACTION_ACCENTS: Record<ActionStatus, string> = {
  open: '#2563eb',
  'in-progress': '#d97706',
  done: '#16a34a',
  dropped: '#94a3b8',
}
export const DECISION_ACCENT = '#7c3aed'
export const OVERDUE_ACCENT = '#b91c1c'

export const INK = '#1f2933'
export const MUTED = '#5f6b7a'

/** A card as words and colours: what every picture of it draws. */
export interface CardFace {
  /** Which item it shows, and whether that item is still there. */
  removed: boolean
  /** Pot cards carry their colour down the left edge, the others across the top. */
  accentEdge: 'left' | 'top'
  accent: string
  background: string
  /** Small capitals above the title ("Barrier", "Action"); none on pot cards. */
  kicker: string | null
  /** A pill at the right of the kicker: a department's code, "Overdue". */
  badge: { text: string; fill: string; ink: string } | null
  title: string
  /** Lines under the title, muted: a funding stream, an owner, who agreed a decision. */
  details: string[]
  /** A large figure above the foot: a pot line's amount. */
  figure: { text: string; struck: boolean } | null
  /** Foot, left: the status with its swatch. */
  status: { label: string; colour: string } | null
  /** Foot, right: a due date, dots in a vote. */
  aside: string | null
  struckTitle: boolean
}

function itemMap(section: Y.Map<Y.Map<unknown>>, id: string): Y.Map<unknown> | null {
  const map = section.get(id)
  return map instanceof Y.Map ? map : null
}

const removedFace = (kicker: string | null, title: string, note: string, accentEdge: 'left' | 'top'): CardFace => ({
  removed: true,
  accentEdge,
  accent: '#cbd5e1',
  background: '#f4f6f8',
  kicker,
  badge: null,
  title,
  details: [note],
  figure: null,
  status: null,
  aside: null,
  struckTitle: false,
})

export function potLineFace(doc: Y.Doc, lineId: string): CardFace {
  const map = itemMap(getPotMap(doc), lineId)
  if (!map) return removedFace(null, 'Removed contribution', 'This line is no longer in the pot.', 'left')
  const line = readPotLine(lineId, map)
  return {
    removed: false,
    accentEdge: 'left',
    accent: STATUS_COLOURS[line.status],
    background: '#ffffff',
    kicker: null,
    badge: null,
    title: line.partner,
    details: line.stream ? [line.stream] : [],
    figure: { text: formatMoney(line.amount), struck: line.status === 'withdrawn' },
    status: { label: STATUS_LABELS[line.status], colour: STATUS_COLOURS[line.status] },
    aside: null,
    struckTitle: false,
  }
}

/** A barrier's dots in the vote the Barriers tab shows (the open one, else the last ended). */
export interface CardDots {
  /** null while the facilitator keeps the running tally hidden. */
  count: number | null
  ended: boolean
}

export function readDots(doc: Y.Doc, barrierId: string): CardDots | null {
  const votes = readVotes(doc)
  const vote =
    openVote(votes) ??
    votes.filter((v) => v.status === 'ended').sort((a, b) => (b.endedAt ?? b.startedAt) - (a.endedAt ?? a.startedAt))[0]
  if (!vote) return null
  if (vote.status === 'ended')
    return { count: vote.results.find((r) => r.barrierId === barrierId)?.dots ?? 0, ended: true }
  if (!showsResults(vote)) return { count: null, ended: false }
  return { count: tallyVote(vote, new Set([barrierId])).get(barrierId) ?? 0, ended: false }
}

export function dotsText(dots: CardDots): string {
  if (dots.count === null) return 'Dots hidden until the vote ends'
  return `${dots.count} ${dots.count === 1 ? 'dot' : 'dots'}${dots.ended ? ' (final)' : ''}`
}

export function barrierFace(doc: Y.Doc, barrierId: string): CardFace {
  const map = itemMap(getBarriersMap(doc), barrierId)
  if (!map) return removedFace('Barrier', 'Removed barrier', 'This barrier is no longer in the register.', 'top')
  const barrier = readBarrier(barrierId, map)
  const dots = readDots(doc, barrierId)
  return {
    removed: false,
    accentEdge: 'top',
    accent: BARRIER_ACCENTS[barrier.status],
    background: '#ffffff',
    kicker: 'Barrier',
    badge: { text: barrier.department, fill: '#f1f5f9', ink: INK },
    title: barrier.title,
    details: [],
    figure: null,
    status: { label: BARRIER_STATUS_LABELS[barrier.status], colour: BARRIER_ACCENTS[barrier.status] },
    aside: dots ? dotsText(dots) : barrier.dueDate ? `Due ${formatIsoDate(barrier.dueDate)}` : null,
    struckTitle: false,
  }
}

/** `today` is `YYYY-MM-DD` in the viewer's time zone, as the Actions tab judges overdue. */
export function actionFace(doc: Y.Doc, actionId: string, today: string): CardFace {
  const map = itemMap(getActionsMap(doc), actionId)
  if (!map) return removedFace('Action', 'Removed action', 'This item is no longer in the action log.', 'top')
  const item = readActionItem(actionId, map)
  if (item.kind === 'decision') {
    return {
      removed: false,
      accentEdge: 'top',
      accent: DECISION_ACCENT,
      background: '#ffffff',
      kicker: 'Decision',
      badge: null,
      title: item.what,
      details: [item.agreedBy.length === 0 ? 'Not yet agreed by anyone' : `Agreed by ${item.agreedBy.join(', ')}`],
      figure: null,
      status: null,
      aside: null,
      struckTitle: false,
    }
  }
  const overdue = isOverdue(item, today)
  const owner = [item.ownerOrganisation, item.ownerPerson].filter(Boolean).join(' · ')
  const accent = overdue ? OVERDUE_ACCENT : ACTION_ACCENTS[item.status]
  return {
    removed: false,
    accentEdge: 'top',
    accent,
    background: overdue ? '#fef2f2' : '#ffffff',
    kicker: 'Action',
    badge: overdue ? { text: 'OVERDUE', fill: OVERDUE_ACCENT, ink: '#ffffff' } : null,
    title: item.what,
    details: owner ? [owner] : [],
    figure: null,
    status: { label: ACTION_STATUS_LABELS[item.status], colour: accent },
    aside: item.dueDate ? `Due ${formatIsoDate(item.dueDate)}` : 'No due date',
    struckTitle: item.status === 'dropped',
  }
}
