/**
 * Issue #19, points 4 and 8: every CSV a partner downloads (live and from a snapshot) opens in
 * Excel as they see the workshop in the app. Each file is read as a BOM-aware spreadsheet reads it
 * (the bytes, then papaparse): it starts with the UTF-8 BOM, its headers are the ones the app
 * shows, its cells hold labels not codes, "Café Zoë" and "—" come back as typed, times are
 * London's (a summer time an hour off UTC), amounts are plain numbers of pounds. The pot's CSV
 * imports back as the same lines; every file is named `<title>-<part>-<yyyy-mm-dd>.<ext>`; the
 * JSON carries `schemaVersion: 1` and downloads as a file when asked.
 */
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { addAction, addDecision } from '../../shared/actions.ts'
import { inviteResponseSchema } from '../../shared/api.ts'
import { addBarrier, DEFAULT_BARRIER, readBarriers } from '../../shared/barriers.ts'
import { londonIsoDate } from '../../shared/exportFileName.ts'
import { addPotLine, DEFAULT_LINE, type PotLineFields, readPotLines } from '../../shared/pot.ts'
import { parsePotCsv } from '../../shared/potCsv.ts'
import { addClause, proposeClause, readClauses, statePosition } from '../../shared/protocol.ts'
import { recordMember } from '../../shared/schema.ts'
import { addOutcome, readOutcomes } from '../../shared/sections/outcomes/model.ts'
import { connect, createRoom, waitFor } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const ts = useTestServer()

const TITLE = 'Café Zoë: pooled budget — Hull'
/** The title as a file name: the colon is a character Windows refuses. */
const FILE_TITLE = 'Café Zoë pooled budget — Hull'
const CAFE = 'Café Zoë — Hull'
const zoe = { userId: 'z', name: 'Zoë Brontë', organisation: CAFE }

/** 1 July 2026, 13:05 UTC: 14:05 in London (British Summer Time). */
const SUMMER = Date.UTC(2026, 6, 1, 13, 5)
const SUMMER_LONDON = '2026-07-01 14:05'
/** 5 December 2026, 14:05 UTC: the same in London (GMT). */
const WINTER = Date.UTC(2026, 11, 5, 14, 5)

const LINES: PotLineFields[] = [
  {
    ...DEFAULT_LINE,
    partner: CAFE,
    stream: 'Youth offending — early help',
    amount: 2_550,
    kind: 'in-kind',
    kindDescription: 'Two staff, three days a week',
    valuation: 'Salary costs',
    mode: 'aligned',
    status: 'agreed',
    years: '2026-27',
    conditions: 'Subject to the board, “in principle”\nSecond line',
  },
  {
    ...DEFAULT_LINE,
    partner: 'Kent County Council',
    stream: 'Council services',
    amount: 120_000_000,
    years: '2025-26 to 2027-28',
  },
]

interface Download {
  bytes: Uint8Array
  /** The decoded text with its BOM kept, as the bytes hold it. */
  text: string
  /** The file name the browser saves it as (`filename*`, UTF-8). */
  name: string
  contentType: string | null
}

async function download(pathname: string, token: string): Promise<Download> {
  const response = await fetch(`${ts.server.origin}${pathname}`, { headers: { Authorization: `Bearer ${token}` } })
  expect(response.status, pathname).toBe(200)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const disposition = response.headers.get('content-disposition') ?? ''
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1]
  expect(encoded, `${pathname}: ${disposition}`).toBeDefined()
  return {
    bytes,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
    name: decodeURIComponent(encoded!),
    contentType: response.headers.get('content-type'),
  }
}

/** The CSV as Excel reads it: BOM first (else it is read as Windows-1252), then a header row. */
function asSpreadsheet(file: Download, what: string): { fields: string[]; rows: Record<string, string>[] } {
  expect([...file.bytes.slice(0, 3)], `${what} starts with the UTF-8 BOM`).toEqual([0xef, 0xbb, 0xbf])
  const parsed = Papa.parse<Record<string, string>>(file.text, { header: true, skipEmptyLines: true })
  expect(parsed.errors, what).toEqual([])
  const fields = parsed.meta.fields ?? []
  // Headers are what people see, never field names.
  for (const field of fields) expect(field, `${what} header`).not.toMatch(/_|^[a-z]+[A-Z]|^\uFEFF/)
  return { fields, rows: parsed.data }
}

async function fillRoom() {
  const room = await createRoom(ts.server, TITLE)
  // The facilitator's link is bound to Café Zoë, so the position Zoë states is through its link.
  const invite = await fetch(`${ts.server.origin}/api/rooms/${room.roomId}/invites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${room.tokens.facilitator}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'facilitator', organisation: CAFE, expiresInHours: 1 }),
  })
  const client = connect(ts.server, room.roomId, inviteResponseSchema.parse(await invite.json()).token)
  ts.clients.push(client)
  await client.firstSync
  const doc = client.doc
  recordMember(doc, zoe.userId, { name: zoe.name, organisation: CAFE, role: 'facilitator' }, WINTER)
  addPotLine(doc, LINES[0]!, zoe, SUMMER)
  addPotLine(doc, LINES[1]!, zoe, WINTER)
  const barrier = addBarrier(
    doc,
    { ...DEFAULT_BARRIER, title: 'Benefit rules — ESF', department: 'DWP', raisedBy: CAFE, impactPence: 5_000_050 },
    zoe,
    SUMMER,
  )
  addAction(
    doc,
    {
      what: 'Confirm the ESF alignment',
      ownerOrganisation: CAFE,
      ownerPerson: zoe.name,
      dueDate: '2026-09-30',
      status: 'in-progress',
    },
    zoe,
    SUMMER,
    [{ kind: 'barrier', id: barrier }],
  )
  addDecision(doc, { what: 'Pool the Café Zoë grant' }, [CAFE], zoe, SUMMER)
  addOutcome(
    doc,
    {
      outcome: 'Fewer exclusions',
      measure: 'Per term',
      baseline: '14',
      target: '5',
      ownerOrganisation: CAFE,
      status: 'on-track',
    },
    zoe,
    SUMMER,
  )
  const clause = addClause(doc, 'Pooling — Café Zoë', ['Partners pool £2.4m.'], zoe, WINTER)
  proposeClause(doc, clause, zoe, WINTER)
  statePosition(doc, clause, CAFE, 'block', 'Needs the board’s “yes”', zoe, SUMMER, 'link')
  await waitFor(
    () =>
      readPotLines(doc).length === 2 &&
      readBarriers(doc).length === 1 &&
      readOutcomes(doc).length === 1 &&
      readClauses(doc)[0]?.positions.size === 1,
    5000,
    'everything written locally',
  )
  return { room, doc }
}

describe('CSV that Excel opens as the app shows it', () => {
  it('every part, live and from a snapshot: BOM, human headers, labels, non-ASCII names, London times, file names', async () => {
    const { room } = await fillRoom()
    const token = room.tokens.observer
    const live = (query: string) => `/api/rooms/${room.roomId}/export?${query}`
    // What reaches the server through sync: wait until the live export holds all of it.
    const started = Date.now()
    for (;;) {
      const json = (await (
        await fetch(`${ts.server.origin}${live('format=json')}`, {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).json()) as { pot: { lines: unknown[] }; protocol: { clauses: { positions: object }[] }; outcomes: unknown[] }
      if (
        json.pot.lines.length === 2 &&
        Object.keys(json.protocol.clauses[0]?.positions ?? {}).length === 1 &&
        json.outcomes.length === 1
      )
        break
      if (Date.now() - started > 5000) throw new Error('the server never had the whole workshop')
      await new Promise((r) => setTimeout(r, 50))
    }

    const snapshot = await fetch(`${ts.server.origin}/api/rooms/${room.roomId}/snapshots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${room.tokens.facilitator}` },
      body: JSON.stringify({ name: 'Before lunch' }),
    })
    expect(snapshot.status).toBe(201)
    const { id, createdAt } = (await snapshot.json()) as { id: string; createdAt: number }
    const frozen = (query: string) => `/api/rooms/${room.roomId}/snapshots/${id}?${query}`
    const today = londonIsoDate(new Date())
    const snapshotDay = londonIsoDate(new Date(createdAt))

    for (const [source, path, nameOf] of [
      ['live', live, (part: string, ext: string) => `${FILE_TITLE}-${part}-${today}.${ext}`],
      [
        'snapshot',
        frozen,
        (part: string, ext: string) => `${FILE_TITLE}-snapshot Before lunch ${part}-${snapshotDay}.${ext}`,
      ],
    ] as const) {
      const csv = async (part: string) => {
        const file = await download(path(`format=csv&part=${part}`), token)
        expect(file.contentType).toBe('text/csv; charset=utf-8')
        expect(file.name, `${source} ${part}`).toBe(nameOf(part, 'csv'))
        return asSpreadsheet(file, `${source} ${part}`)
      }

      const pot = await csv('pot')
      expect(pot.fields).toEqual([
        'Partner',
        'Funding stream',
        'Amount (£)',
        'Kind',
        'What is given in kind',
        'How it was valued',
        'Mode',
        'Status',
        'Financial years',
        'Conditions and notes',
        'Proposed by',
        'Proposed by (organisation)',
        'Added',
      ])
      expect(pot.rows).toEqual([
        {
          Partner: CAFE,
          'Funding stream': 'Youth offending — early help',
          'Amount (£)': '25.5',
          Kind: 'In kind',
          'What is given in kind': 'Two staff, three days a week',
          'How it was valued': 'Salary costs',
          Mode: 'Aligned',
          Status: 'Agreed',
          'Financial years': '2026-27',
          'Conditions and notes': 'Subject to the board, “in principle”\nSecond line',
          'Proposed by': 'Zoë Brontë',
          'Proposed by (organisation)': CAFE,
          Added: SUMMER_LONDON,
        },
        expect.objectContaining({
          Partner: 'Kent County Council',
          'Amount (£)': '1200000',
          Kind: 'Cash',
          Mode: 'Pooled',
          Status: 'Proposed',
          Added: '2026-12-05 14:05',
        }),
      ])

      const protocol = await csv('protocol')
      expect(protocol.rows).toEqual([
        {
          'Clause no.': '1',
          Clause: 'Pooling — Café Zoë',
          'Clause status': 'Proposed',
          Organisation: CAFE,
          Position: 'Block',
          'How stated': 'by link',
          Reason: 'Needs the board’s “yes”',
          'Stated by': 'Zoë Brontë',
          'Stated by (organisation)': CAFE,
          Stated: SUMMER_LONDON,
        },
      ])

      const barriers = await csv('barriers')
      expect(barriers.rows).toEqual([
        expect.objectContaining({
          Barrier: 'Benefit rules — ESF',
          Status: 'Raised',
          Department: 'DWP (Work and Pensions)',
          'Raised by': CAFE,
          'Impact (£)': '50000.5',
          'Added by': 'Zoë Brontë',
          Added: SUMMER_LONDON,
        }),
      ])

      const actions = await csv('actions')
      // Both were added in the same millisecond: the log orders them by id, which is random.
      const byType = [...actions.rows].sort((a, b) => String(a.Type).localeCompare(String(b.Type)))
      expect(byType).toEqual([
        expect.objectContaining({
          Type: 'Action',
          What: 'Confirm the ESF alignment',
          Status: 'In progress',
          'Owner (organisation)': CAFE,
          Due: '2026-09-30',
          Links: 'Barrier: Benefit rules — ESF',
          Added: SUMMER_LONDON,
        }),
        expect.objectContaining({
          Type: 'Decision',
          What: 'Pool the Café Zoë grant',
          'Agreed by': CAFE,
          Added: SUMMER_LONDON,
        }),
      ])

      const outcomes = await csv('outcomes')
      expect(outcomes.rows).toEqual([
        expect.objectContaining({ Outcome: 'Fewer exclusions', Owner: CAFE, Status: 'On track', Added: SUMMER_LONDON }),
      ])

      // The other files are named the same way.
      const minutes = await download(path('format=md'), token)
      expect(minutes.name).toBe(nameOf('minutes', 'md'))
      expect(minutes.text).toContain(CAFE)
      const json = await download(path('format=json&download=1'), token)
      expect(json.contentType).toBe('application/json; charset=utf-8')
      expect(json.name).toBe(
        source === 'live' ? `${FILE_TITLE}-${today}.json` : `${FILE_TITLE}-snapshot Before lunch-${snapshotDay}.json`,
      )
      const parsed = JSON.parse(json.text) as { schemaVersion?: number; content?: { schemaVersion?: number } }
      expect(source === 'live' ? parsed.schemaVersion : parsed.content?.schemaVersion).toBe(1)
    }

    const ydoc = await download(frozen('format=ydoc'), token)
    expect(ydoc.name).toBe(`${FILE_TITLE}-snapshot Before lunch-${snapshotDay}.ydoc`)
  })

  it('imports the pot CSV it exported as the same lines', async () => {
    const { room } = await fillRoom()
    let result: ReturnType<typeof parsePotCsv> | undefined
    const started = Date.now()
    do {
      const file = await download(`/api/rooms/${room.roomId}/export?format=csv&part=pot`, room.tokens.participant)
      result = parsePotCsv(file.text)
      if (Date.now() - started > 5000) throw new Error('the pot never reached the server')
    } while (!result.ok || result.rows.length < 2)
    expect(result).toMatchObject({ ok: true, valid: true })
    if (result.ok) expect(result.rows.map((r) => r.fields)).toEqual(LINES)
  })
})
