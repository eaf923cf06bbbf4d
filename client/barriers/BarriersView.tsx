import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { itemsLinkedTo } from '../../shared/actions.ts'
import {
  addBarrier,
  BARRIER_STATUS_LABELS,
  BARRIER_STATUSES,
  deleteBarrier,
  DEPARTMENT_LABELS,
  DEPARTMENTS,
  linkBarrier,
  readBarriers,
  setBarrierStatus,
  updateBarrier,
  type Barrier,
  type BarrierFields,
  type BarrierStatus,
  type Department,
} from '../../shared/barriers.ts'
import { localIsoDate } from '../../shared/dates.ts'
import { linkKey, type Link } from '../../shared/links.ts'
import { formatMoneyCompact } from '../../shared/money.ts'
import {
  dotsOf,
  endVote,
  isTakingDots,
  openVote,
  placeDot,
  removeDot,
  showsResults,
  tallyVote,
} from '../../shared/votes.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { UndoButtons, useDeletedNotice } from '../undo/UndoControls.tsx'
import { useSectionUndo } from '../undo/useSectionUndo.ts'
import { BarrierBoard } from './BarrierBoard.tsx'
import { BarrierDetails } from './BarrierDetails.tsx'
import { BarrierForm } from './BarrierForm.tsx'
import { BarrierLinks } from './BarrierLinks.tsx'
import { emptyFormValues, patchOf, type BarrierFormKey } from './barrierForm.ts'
import { BarrierList, type BarrierRowModel } from './BarrierList.tsx'
import type { DotState } from './parts.tsx'
import { useBarrierData, useNow } from './useBarriers.ts'
import { VotePanel } from './VotePanel.tsx'
import './barriers.css'
import { serverNow } from '../facilitation/serverClock.ts'
import { DismissibleAlert } from '../ui/DismissibleAlert.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { useWorkshopNavigation } from '../sections/WorkshopNavigation.tsx'

export interface BarriersViewProps {
  /** Places the barrier as a live card on the board. */
  onPlaceOnBoard: (barrierId: string) => void
  /** Opens the Actions view with a new action linked to this barrier. */
  onCreateAction: (barrierId: string) => void
}

type Layout = 'list' | 'board'
const LAYOUTS: { id: Layout; label: string }[] = [
  { id: 'list', label: 'List' },
  { id: 'board', label: 'Board by status' },
]
type Sort = 'raised' | 'dots' | 'impact' | 'due'
const SORTS = ['raised', 'dots', 'impact', 'due'] as const
const SORT_LABELS: Record<Sort, string> = {
  raised: 'Order raised',
  dots: 'Most dots',
  impact: 'Largest impact',
  due: 'Due soonest',
}
const ANY = 'any' as const
const STATUS_FILTER_LABELS = { any: 'Any status', ...BARRIER_STATUS_LABELS }
const DEPARTMENT_FILTER_LABELS = { any: 'Any department', ...DEPARTMENT_LABELS }
/** Statuses in which a barrier is still being worked on, so a past due date is overdue. */
const UNSETTLED: ReadonlySet<BarrierStatus> = new Set<BarrierStatus>(['raised', 'with-department', 'escalated'])

function matches(barrier: Barrier, words: string[]): boolean {
  if (words.length === 0) return true
  const text = [
    barrier.title,
    barrier.description,
    barrier.rule,
    barrier.raisedBy,
    barrier.champion,
    barrier.flexibility,
    barrier.department,
    DEPARTMENT_LABELS[barrier.department],
  ]
    .join(' ')
    .toLowerCase()
  return words.every((word) => text.includes(word))
}

/** The barriers register ("asks"): raise, edit, move through the statuses, link, and dot-vote on them. */
export function BarriersView({ onPlaceOnBoard, onCreateAction }: BarriersViewProps): JSX.Element {
  const { doc, actor, permissions } = useWorkshop()
  const canEdit = permissions.canEditSection('barriers')
  // Votes stay open when the register is locked: dots are not edits of the barriers.
  const canVote = permissions.canEdit
  const { isFacilitator } = permissions
  const { barriers, votes, actions } = useBarrierData(doc)
  const [layout, setLayout] = useState<Layout>('list')
  const [search, setSearch] = useState('')
  const [statusFilter, setStatusFilter] = useState<BarrierStatus | typeof ANY>(ANY)
  const [departmentFilter, setDepartmentFilter] = useState<Department | typeof ANY>(ANY)
  const [sort, setSort] = useState<Sort>('raised')
  // The barrier whose details are open is in the address (`/r/:id/barriers/:barrierId`) where
  // there is one: a link opens it, back and forward move between them.
  const navigation = useWorkshopNavigation()
  const [openId, setOpenIdHere] = useState<string | null>(navigation.openedItem)
  useEffect(() => setOpenIdHere(navigation.openedItem), [navigation.openedItem])
  const openItem = navigation.openItem
  const setOpenId = useCallback(
    (id: string | null) => {
      setOpenIdHere(id)
      openItem?.(id)
    },
    [openItem],
  )
  const [raising, setRaising] = useState(false)
  const [raiseKey, setRaiseKey] = useState(0)
  const [raiseLinks, setRaiseLinks] = useState<Link[]>([])
  const [announcement, setAnnouncement] = useState('')
  const [problem, run] = useChangeRunner()
  const history = useSectionUndo(doc, 'barriers', run)
  const deletion = useDeletedNotice(history)

  const current = openVote(votes)
  const lastEnded =
    votes
      .filter((v) => v.status === 'ended')
      .sort((a, b) => (b.endedAt ?? b.startedAt) - (a.endedAt ?? a.startedAt))[0] ?? null
  const shownVote = current ?? lastEnded
  const now = useNow(current !== null && current.endsAt !== null)
  const taking = current !== null && isTakingDots(current, now)

  // A timed vote is closed by the facilitator's client when its time is up (or as soon as the
  // facilitator comes back, if nobody was there): the ranking is frozen as it stood at the end.
  const currentId = current?.id
  const currentEndsAt = current?.endsAt ?? null
  useEffect(() => {
    if (!isFacilitator || !canEdit || !currentId || currentEndsAt === null) return
    const timer = setTimeout(
      () => run(() => endVote(doc, currentId, readBarriers(doc), actor, serverNow())),
      Math.max(0, currentEndsAt - serverNow()),
    )
    return () => clearTimeout(timer)
  }, [isFacilitator, canEdit, currentId, currentEndsAt, doc, actor, run])

  // The details of a barrier someone else removed close by themselves (once it was there: a link
  // may name a barrier before the document has loaded).
  const openWasThere = useRef(false)
  useEffect(() => {
    if (!openId) return
    if (barriers.some((b) => b.id === openId)) openWasThere.current = true
    else if (openWasThere.current) {
      openWasThere.current = false
      setOpenId(null)
    }
  }, [openId, barriers, setOpenId])

  const ids = useMemo(() => new Set(barriers.map((b) => b.id)), [barriers])
  const counts = useMemo(() => {
    if (!shownVote) return null
    if (shownVote.status === 'ended') return new Map(shownVote.results.map((r) => [r.barrierId, r.dots]))
    return showsResults(shownVote) ? tallyVote(shownVote, ids) : null
  }, [shownVote, ids])
  const mine = useMemo(() => {
    const byBarrier = new Map<string, number>()
    if (current)
      for (const dot of dotsOf(current, actor.userId).values())
        byBarrier.set(dot.barrierId, (byBarrier.get(dot.barrierId) ?? 0) + 1)
    return byBarrier
  }, [current, actor.userId])

  const today = localIsoDate(new Date())
  const rows = useMemo((): BarrierRowModel[] => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean)
    const dotState = (b: Barrier): DotState | null =>
      shownVote
        ? {
            mine: mine.get(b.id) ?? 0,
            total: counts ? (counts.get(b.id) ?? 0) : null,
            canVote: canVote && taking,
            ended: shownVote.status === 'ended',
          }
        : null
    const out = barriers
      .filter(
        (b) =>
          (statusFilter === ANY || b.status === statusFilter) &&
          (departmentFilter === ANY || b.department === departmentFilter) &&
          matches(b, words),
      )
      .map((barrier) => ({
        barrier,
        dots: dotState(barrier),
        linkedActions: itemsLinkedTo(actions, { kind: 'barrier', id: barrier.id }).length,
        overdue: barrier.dueDate !== '' && barrier.dueDate < today && UNSETTLED.has(barrier.status),
      }))
    if (sort === 'dots')
      out.sort((a, b) => (b.dots?.total ?? 0) - (a.dots?.total ?? 0) || (b.dots?.mine ?? 0) - (a.dots?.mine ?? 0))
    if (sort === 'impact') out.sort((a, b) => (b.barrier.impactPence ?? -1) - (a.barrier.impactPence ?? -1))
    if (sort === 'due') out.sort((a, b) => (a.barrier.dueDate || '9999').localeCompare(b.barrier.dueDate || '9999'))
    return out
  }, [barriers, actions, search, statusFilter, departmentFilter, sort, shownVote, counts, mine, canVote, taking, today])

  const move = useCallback(
    (barrier: Barrier, status: BarrierStatus) =>
      run(() => {
        setBarrierStatus(doc, barrier.id, status, actor, Date.now())
        setAnnouncement(`Moved ${barrier.title} to ${BARRIER_STATUS_LABELS[status]}.`)
      }),
    [doc, actor, run],
  )
  const place = useCallback(
    (barrier: Barrier) =>
      run(() => {
        if (!current) throw new Error('No vote is running.')
        placeDot(doc, current.id, barrier.id, actor, serverNow())
      }),
    [doc, actor, run, current],
  )
  const takeBack = useCallback(
    (barrier: Barrier) =>
      run(() => {
        if (!current) throw new Error('No vote is running.')
        removeDot(doc, current.id, barrier.id, actor, serverNow())
      }),
    [doc, actor, run, current],
  )
  const toggle = useCallback((id: string) => setOpenId(openId === id ? null : id), [openId, setOpenId])
  /** Closes the details and gives focus back to the barrier they were opened from. */
  const closeDetails = useCallback(
    (id: string) => {
      setOpenId(null)
      requestAnimationFrame(() =>
        document
          .querySelector<HTMLElement>(
            `[data-barrier-id="${CSS.escape(id)}"] :is(.barrier-title-button, .board-card-title)`,
          )
          ?.focus(),
      )
    },
    [setOpenId],
  )

  function raise(fields: BarrierFields) {
    addBarrier(doc, fields, actor, Date.now(), raiseLinks)
    setRaiseKey((k) => k + 1)
    setRaiseLinks([])
    setAnnouncement(`Raised ${fields.title}.`)
  }

  const open = openId ? barriers.find((b) => b.id === openId) : undefined
  const details = open ? (
    <BarrierDetails
      key={open.id}
      barrier={open}
      linkedActions={itemsLinkedTo(actions, { kind: 'barrier', id: open.id })}
      canEdit={canEdit}
      onSave={(fields: BarrierFields, touched: ReadonlySet<BarrierFormKey>) =>
        updateBarrier(doc, open.id, patchOf(fields, touched), actor, Date.now())
      }
      onLink={(link, linked) => run(() => linkBarrier(doc, open.id, link, linked))}
      onDelete={() =>
        run(() => {
          deleteBarrier(doc, open.id, actor, Date.now())
          setOpenId(null)
          deletion.show(`Deleted ${open.title}.`)
        })
      }
      onPlaceOnBoard={() => onPlaceOnBoard(open.id)}
      onCreateAction={() => onCreateAction(open.id)}
      onClose={() => closeDetails(open.id)}
    />
  ) : null

  const filtered = rows.length !== barriers.length
  const settled = barriers.filter((b) => b.status === 'resolved').length
  const impact = barriers.reduce((sum, b) => sum + (b.impactPence ?? 0), 0)

  return (
    <div className="barriers">
      <DismissibleAlert className="barriers-alert" message={problem} onDismiss={() => run(() => undefined)} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {deletion.notice}

      <header className="barriers-header">
        <div className="barriers-heading">
          <h2>Barriers</h2>
          <span className="muted" data-testid="barriers-summary">
            {barriers.length} {barriers.length === 1 ? 'barrier' : 'barriers'}
            {settled > 0 && ` · ${settled} resolved`}
            {impact > 0 && ` · ${formatMoneyCompact(impact)} impact`}
          </span>
        </div>
        {canEdit && <UndoButtons history={history} what="the barriers" />}
        <div className="segmented" role="group" aria-label="Layout">
          {LAYOUTS.map(({ id, label }) => (
            <button
              key={id}
              type="button"
              aria-pressed={layout === id}
              className={layout === id ? 'active' : undefined}
              onClick={() => setLayout(id)}
            >
              {label}
            </button>
          ))}
        </div>
        {canEdit && (
          <button
            type="button"
            className="button primary"
            aria-expanded={raising}
            onClick={() => setRaising((r) => !r)}
          >
            Raise a barrier
          </button>
        )}
      </header>

      {canEdit && raising && (
        <section className="raise-panel" aria-label="Raise a barrier">
          <BarrierForm
            key={raiseKey}
            base={emptyFormValues(actor.organisation)}
            mode="raise"
            label="Raise a barrier"
            onSubmit={raise}
            onCancel={() => setRaising(false)}
          >
            <BarrierLinks
              links={raiseLinks}
              itemLabel="the new barrier"
              onChange={(link, linked) =>
                setRaiseLinks((links) =>
                  linked ? [...links, link] : links.filter((l) => linkKey(l) !== linkKey(link)),
                )
              }
            />
          </BarrierForm>
        </section>
      )}

      <VotePanel canEdit={canVote} votes={votes} barriers={barriers} now={now} run={run} />

      {barriers.length === 0 ? (
        <div className="barriers-empty">
          <p>
            <strong>No barriers raised yet.</strong>
          </p>
          <p className="muted">
            A barrier is a centrally prescribed rule, system or practice that stands in the way of the area’s plan. Each
            is owned by a department and brokered by a Whitehall champion.
          </p>
          {canEdit && !raising && (
            <button type="button" className="button primary" onClick={() => setRaising(true)}>
              Raise the first barrier
            </button>
          )}
        </div>
      ) : (
        <>
          <div className="barriers-toolbar" role="group" aria-label="Find and filter barriers">
            <input
              type="search"
              aria-label="Find a barrier"
              placeholder="Find title, rule, champion…"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <EnumSelect
              label="Show status"
              value={statusFilter}
              options={[ANY, ...BARRIER_STATUSES] as const}
              labels={STATUS_FILTER_LABELS}
              onChange={setStatusFilter}
            />
            <EnumSelect
              label="Show department"
              value={departmentFilter}
              options={[ANY, ...DEPARTMENTS] as const}
              labels={DEPARTMENT_FILTER_LABELS}
              onChange={setDepartmentFilter}
            />
            {layout === 'list' && (
              <EnumSelect label="Sort by" value={sort} options={SORTS} labels={SORT_LABELS} onChange={setSort} />
            )}
            {filtered && (
              <span className="muted" role="status">
                Showing {rows.length} of {barriers.length}{' '}
                <button
                  type="button"
                  className="button small"
                  onClick={() => {
                    setSearch('')
                    setStatusFilter(ANY)
                    setDepartmentFilter(ANY)
                  }}
                >
                  Clear filters
                </button>
              </span>
            )}
          </div>
          {layout === 'list' ? (
            <BarrierList
              rows={rows}
              canEdit={canEdit}
              openId={openId}
              details={details}
              showDots={shownVote !== null}
              voteTitle={shownVote?.title ?? null}
              onToggle={toggle}
              onMove={move}
              onPlaceDot={place}
              onTakeBackDot={takeBack}
            />
          ) : (
            <div className={`barriers-board-layout${open ? ' with-details' : ''}`}>
              <BarrierBoard
                rows={rows}
                canEdit={canEdit}
                openId={openId}
                onOpen={toggle}
                onMove={move}
                onPlaceDot={place}
                onTakeBackDot={takeBack}
              />
              {details && <aside className="barriers-aside">{details}</aside>}
            </div>
          )}
        </>
      )}
    </div>
  )
}
