/**
 * The barriers register and the action log through the real server: an observer's changes never
 * land, and both export as JSON, CSV (formulas neutralised) and Markdown.
 */
import { describe, expect, it } from 'vitest'
import { addAction, addDecision, readActionItems } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER, readBarriers, setBarrierStatus } from '../../shared/barriers.ts'
import { endVote, placeDot, startVote } from '../../shared/votes.ts'
import { connect, createRoom, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const harness = useTestServer()
const { clients } = harness

const kent = { userId: 'k', name: 'Priya Shah', organisation: 'Kent County Council' }
const clg = { userId: 'f', name: 'Sam Okafor', organisation: 'Communities and Local Government (CLG)' }

describe('barriers and actions over the wire', () => {
  it('never stores or relays an observer’s barrier or action', async () => {
    const room = await createRoom(harness.server)
    const observer = connect(harness.server, room.roomId, room.tokens.observer)
    const writer = connect(harness.server, room.roomId, room.tokens.participant)
    clients.push(observer, writer)
    await Promise.all([observer.firstSync, writer.firstSync])
    addBarrier(observer.doc, { ...DEFAULT_BARRIER, title: 'Observer barrier', raisedBy: 'Police' }, kent, 1)
    addAction(
      observer.doc,
      { what: 'Observer action', ownerOrganisation: 'Police', ownerPerson: '', dueDate: '', status: 'open' },
      kent,
      1,
    )
    addBarrier(writer.doc, { ...DEFAULT_BARRIER, title: 'Writer barrier', raisedBy: 'Kent County Council' }, kent, 2)
    await waitFor(
      () => readBarriers(observer.doc).some((b) => b.title === 'Writer barrier'),
      5000,
      'writer barrier at observer',
    )
    const late = connect(harness.server, room.roomId, room.tokens.participant)
    clients.push(late)
    await late.firstSync
    expect(readBarriers(late.doc).map((b) => b.title)).toEqual(['Writer barrier'])
    expect(readActionItems(late.doc)).toEqual([])
    expect(readBarriers(writer.doc).map((b) => b.title)).toEqual(['Writer barrier'])
  })

  it('exports barriers with the last vote’s dots and the action log as JSON, CSV and Markdown', async () => {
    const room = await createRoom(harness.server, 'Kent asks')
    const writer = connect(harness.server, room.roomId, room.tokens.facilitator)
    clients.push(writer)
    await writer.firstSync
    const doc = writer.doc
    const esf = addBarrier(
      doc,
      {
        ...DEFAULT_BARRIER,
        title: '=ESF cannot be pooled',
        raisedBy: 'Kent County Council',
        department: 'DWP',
        champion: 'DG, DWP',
        impactPence: 120_000_000,
      },
      kent,
      1,
    )
    const other = addBarrier(
      doc,
      { ...DEFAULT_BARRIER, title: 'Data sharing with health', raisedBy: 'Kent County Council', department: 'DH' },
      kent,
      2,
    )
    setBarrierStatus(doc, esf, 'with-department', clg, 3)
    const vote = startVote(
      doc,
      { title: 'Which barriers matter most?', dotsPerPerson: 2, durationMinutes: null, visibility: 'live' },
      clg,
      4,
    )
    placeDot(doc, vote, esf, kent, 5)
    placeDot(doc, vote, esf, kent, 6)
    endVote(doc, vote, readBarriers(doc), clg, Date.UTC(2012, 0, 20))
    addAction(
      doc,
      {
        what: 'DWP to confirm ESF alignment',
        ownerOrganisation: 'Department for Work and Pensions (DWP)',
        ownerPerson: 'ESF lead',
        dueDate: '2012-02-01',
        status: 'open',
      },
      clg,
      7,
      [{ kind: 'barrier', id: esf }],
    )
    addDecision(
      doc,
      { what: 'ESF is aligned, not pooled, in 2012-13' },
      ['Kent County Council', 'Department for Work and Pensions (DWP)'],
      clg,
      8,
    )
    const base = `${harness.server.origin}/api/rooms/${room.roomId}/export`
    const auth = { Authorization: `Bearer ${room.tokens.observer}` }
    // Once a second client has it, the server has stored it (it persists before relaying).
    const witness = connect(harness.server, room.roomId, room.tokens.observer)
    clients.push(witness)
    await waitFor(() => readActionItems(witness.doc).length === 2, 5000, 'relayed')

    const json = (await (await fetch(base, { headers: auth })).json()) as {
      barriers: { id: string; status: string; dots: number | null; title: string }[]
      votes: { results: { barrierId: string; dots: number; rank: number }[] }[]
      actions: { kind: string; links: { kind: string; label: string }[] }[]
    }
    expect(json.barriers.map((b) => [b.title, b.status, b.dots])).toEqual([
      ['=ESF cannot be pooled', 'with-department', 2],
      ['Data sharing with health', 'raised', 0],
    ])
    expect(json.votes[0]!.results.map((r) => [r.barrierId, r.dots, r.rank])).toEqual([
      [esf, 2, 1],
      [other, 0, 2],
    ])
    expect(json.actions[0]!.links).toEqual([{ kind: 'barrier', id: esf, label: '=ESF cannot be pooled' }])

    const barriersCsv = await fetch(`${base}?format=csv&part=barriers`, { headers: auth })
    expect(barriersCsv.headers.get('content-disposition')).toMatch(/-barriers-\d{4}-\d{2}-\d{2}\.csv"/)
    const barrierRows = (await barriersCsv.text()).split('\r\n')
    expect(barrierRows[0]).toMatch(/^Barrier,Status,Department,Raised by,Champion,/)
    expect(barrierRows[1]).toMatch(
      /^"'=ESF cannot be pooled",With department,DWP \(Work and Pensions\),Kent County Council,"DG, DWP",,,,1200000,,,2,/,
    )

    const actionsCsv = await (await fetch(`${base}?format=csv&part=actions`, { headers: auth })).text()
    expect(actionsCsv).toContain(
      `Action,DWP to confirm ESF alignment,Open,Department for Work and Pensions (DWP),ESF lead,2012-02-01,,Barrier: =ESF cannot be pooled,Sam Okafor,`,
    )
    expect(actionsCsv).toContain(
      'Decision,"ESF is aligned, not pooled, in 2012-13",,,,,Department for Work and Pensions (DWP); Kent County Council,',
    )

    const md = await (await fetch(`${base}?format=md`, { headers: auth })).text()
    expect(md).toContain('## Barriers (asks)')
    expect(md).toContain('### Vote: Which barriers matter most? (20 Jan 2012, 1 voting, 2 dots each)')
    expect(md).toContain('1. =ESF cannot be pooled: 2 dots')
    expect(md).toContain(
      '| DWP to confirm ESF alignment | Department for Work and Pensions (DWP) · ESF lead | 1 Feb 2012 | Open | Barrier: =ESF cannot be pooled |',
    )
    expect(md).toContain(
      '- ESF is aligned, not pooled, in 2012-13 (agreed by Department for Work and Pensions (DWP), Kent County Council)',
    )

    const bad = await fetch(`${base}?format=csv&part=everything`, { headers: auth })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'part must be pot, protocol, barriers, actions or outcomes.',
    )
  })
})
