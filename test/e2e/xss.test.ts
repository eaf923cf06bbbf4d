/**
 * Cross-site scripting, in two real browsers (a facilitator, who sees editable fields, and an
 * observer, who sees the same content as read-only text). Script and event-handler payloads go
 * into every free-text field a person can fill: typed at the join screen and in a comment and a
 * snapshot name, and written by a peer straight into the Yjs document (pot lines, clauses with
 * `javascript:` links, positions, comments, barriers, a vote, actions, decisions, the agenda,
 * organisations, member names, presence, hands, the workshop's title, board shapes). Every view
 * is then opened: the board, pot, protocol, barriers, actions, the workshop panel, the snapshots
 * list, the comparison and a snapshot page.
 *
 * What must hold everywhere: nothing ran (`window.__xss` unset, no dialog, no script blocked by
 * the CSP, which would be the trace of an injected handler the policy caught), no element carries
 * an `on*` attribute or a `javascript:` URL, and each payload reads as the literal text typed.
 */
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAction, addDecision } from '../../shared/actions.ts'
import { addAgendaItem, setCurrentAgendaItem } from '../../shared/agenda.ts'
import { addBarrier, DEFAULT_BARRIER } from '../../shared/barriers.ts'
import { raiseHand } from '../../shared/hands.ts'
import { addPotLine, DEFAULT_LINE, updatePotLine } from '../../shared/pot.ts'
import { addClause, clauseBody, proposeClause, statePosition } from '../../shared/protocol.ts'
import { addComment } from '../../shared/protocolComments.ts'
import { openCanvas, recordMember, type CanvasRecord } from '../../shared/schema.ts'
import { startVote } from '../../shared/votes.ts'
import { setTakingPart, setWorkshopTitle } from '../../shared/workshopSettings.ts'
import { watchPage } from '../helpers/browser.ts'
import { connect, createRoom, waitFor, type TestClient } from '../helpers/syncClient.ts'
import { joinWorkshop, useWorkshopBrowser, viewTab } from '../helpers/workshopBrowser.ts'

const IMG = '<img src=x onerror="window.__xss=1">'
const SCRIPT = '<script>window.__xss=1</script>'
const SVG = '"><svg onload=window.__xss=1>'
const JS_URL = 'javascript:window.__xss=1'
/** 96 characters: fits with a label into every field of 120 or more. */
const ALL = `${IMG}${SCRIPT}${SVG}`
const text = (label: string) => `${label} ${ALL}`

const workshop = useWorkshopBrowser()
const clients: TestClient[] = []
workshop.onCleanup(() => clients.forEach((client) => client.destroy()))

interface Watched {
  page: Page
  dialogs: string[]
  errors: string[]
}
const pages: Watched[] = []

/** A person's page, watched for dialogs and page errors, with CSP violations recorded in the page. */
async function person(): Promise<Watched> {
  const page = await workshop.newPage({ defaultTimeout: 20_000 })
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] }
    w.__violations = []
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    )
  })
  const watched = { page, dialogs, errors: watchPage(page).errors }
  pages.push(watched)
  return watched
}

afterAll(() => {
  // Whatever a test did last, nothing may have run on any page.
  for (const { dialogs } of pages) expect(dialogs).toEqual([])
})

/** Everything in the page that could run a payload: handlers, script URLs, injected scripts, images. */
function scriptableMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const urlAttributes = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcdoc', 'poster'])
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of Array.from(element.attributes)) {
        const name = attribute.name.toLowerCase()
        if (name.startsWith('on')) found.push(`<${element.tagName.toLowerCase()} ${name}="${attribute.value}">`)
        // Browsers ignore spaces and control characters around a URL's scheme.
        const value = attribute.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()
        if (urlAttributes.has(name) && value.startsWith('javascript:'))
          found.push(`<${element.tagName.toLowerCase()} ${name}="${attribute.value}">`)
      }
      if (element.tagName === 'SCRIPT' && (element.textContent ?? '').includes('__xss'))
        found.push('<script> with the payload')
      if (element.tagName === 'IMG' && element.getAttribute('src') === 'x') found.push('<img src=x>')
      if (element.tagName === 'IFRAME') found.push(`<iframe src="${element.getAttribute('src')}">`)
    }
    return found
  })
}

/** Nothing ran and nothing that could run is in the DOM. */
async function expectNothingRan({ page, dialogs }: Watched, where: string): Promise<void> {
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
    `${where}: window.__xss`,
  ).toBeUndefined()
  expect(dialogs, `${where}: dialogs`).toEqual([])
  const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)
  expect(
    violations.filter((v) => v.startsWith('script-src')),
    `${where}: scripts the CSP blocked`,
  ).toEqual([])
  expect(await scriptableMarkup(page), `${where}: scriptable markup`).toEqual([])
}

/** Which of `texts` do not read literally on screen (rendered text, or a field's or option's value), after waiting for them. */
async function notShown(page: Page, texts: readonly string[]): Promise<string[]> {
  const missing = async () =>
    page.evaluate((wanted) => {
      const shown = document.body.innerText
      const values = Array.from(
        document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'),
      ).map((e) => e.value)
      const options = Array.from(document.querySelectorAll('option')).map((o) => o.text)
      return wanted.filter((t) => !shown.includes(t) && !values.includes(t) && !options.includes(t))
    }, texts)
  const started = Date.now()
  let left = await missing()
  while (left.length > 0 && Date.now() - started < 8000) {
    await page.waitForTimeout(100)
    left = await missing()
  }
  return left
}

/** Once the texts have arrived: nothing ran, nothing can, and each text reads literally. */
async function check(watched: Watched, where: string, texts: readonly string[]): Promise<void> {
  const missing = await notShown(watched.page, texts)
  // First, so that a payload turned into markup is reported as such rather than as missing text.
  await expectNothingRan(watched, where)
  expect(missing, `${where}: not shown as text`).toEqual([])
}

// What a peer writes (see `writeEverything`), by where it shows.
const T = {
  title: text('Workshop'),
  liveTitle: text('Renamed'),
  partner: text('Partner'),
  stream: text('Stream'),
  kindDescription: text('In kind'),
  valuation: text('Valued'),
  // The server keeps years to financial years, so no payload can be stored there.
  years: '2026-27',
  conditions: text('Conditions'),
  peerName: `${IMG} Pat`,
  peerOrganisation: text('Org'),
  clauseTitle: text('Clause'),
  clauseBody: text('Body'),
  linkText: 'a link to nowhere',
  reason: text('Reason'),
  comment: text('Comment'),
  barrierTitle: text('Barrier'),
  description: text('Description'),
  rule: text('Rule'),
  raisedBy: text('Raised by'),
  champion: text('Champion'),
  flexibility: text('Flexibility'),
  vote: text('Vote'),
  action: text('Action'),
  owner: text('Owner'),
  ownerPerson: text('Person'),
  decision: text('Decision'),
  agenda: text('Agenda'),
  memberName: `${SCRIPT} Away`,
  shapeText: text('Shape'),
  noteText: text('Note'),
}
// What the two people type themselves.
const typed = {
  facilitatorName: `${IMG} Fiona`,
  facilitatorOrganisation: text('Kent'),
  observerName: `${SCRIPT} Olu`,
  observerOrganisation: text('Treasury'),
  comment: text('Typed comment'),
  snapshot: text('Typed snapshot'),
}

const peer = { userId: 'peer-pat', name: T.peerName, organisation: T.peerOrganisation }

/** Links whose target a browser would run; the link mark must never render one. */
const linkMarks = (href: string) => [
  { type: 'link', attrs: { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: null } },
]
const SCRIPT_HREFS = [JS_URL, ' JavaScript:window.__xss=1', '\tjavascript:window.__xss=1', 'JAVASCRIPT:window.__xss=1']

/** Rich text for a board shape: the payload as text, and text under `javascript:` links. */
const richText = (label: string) => ({
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: label }] },
    {
      type: 'paragraph',
      content: SCRIPT_HREFS.map((href, i) => ({ type: 'text', text: `link ${i} `, marks: linkMarks(href) })),
    },
    { type: 'paragraph', content: [{ type: 'text', text: JS_URL }] },
  ],
})

let roomId = ''
let tokens: Record<'facilitator' | 'participant' | 'observer', string>
let writer: TestClient
let clauseId = ''
let lineId = ''
let facilitator: Watched
let observer: Watched

/** Everything a peer can write, straight into the document. */
function writeEverything(doc: Y.Doc): void {
  setWorkshopTitle(doc, T.liveTitle, peer, 1)
  lineId = addPotLine(
    doc,
    {
      ...DEFAULT_LINE,
      partner: T.partner,
      stream: T.stream,
      amount: 60_000_000,
      kind: 'in-kind',
      kindDescription: T.kindDescription,
      valuation: T.valuation,
      years: T.years,
      conditions: T.conditions,
    },
    peer,
    2,
  )
  clauseId = addClause(doc, T.clauseTitle, [T.clauseBody, JS_URL], peer, 3)
  // Link marks with script URLs. (Elements the editor's schema does not know, and attributes
  // carrying handlers, no longer reach any browser: the server refuses them, see
  // test/integration/serverRules.test.ts.)
  doc.transact(() => {
    const body = clauseBody(doc, clauseId)!
    const paragraph = new Y.XmlElement('paragraph')
    const linked = new Y.XmlText()
    paragraph.insert(0, [linked])
    body.insert(body.length, [paragraph])
    // Later pieces go first: each insert at 0 lands before the previous one.
    SCRIPT_HREFS.forEach((href, i) =>
      linked.insert(0, i === 0 ? T.linkText : `clause link ${i} `, {
        link: { href, target: null, rel: null, class: null },
      }),
    )
  })
  proposeClause(doc, clauseId, peer, 4)
  statePosition(doc, clauseId, T.peerOrganisation, 'disagree', T.reason, peer, 4)
  addComment(doc, clauseId, T.comment, peer, 5)
  addBarrier(
    doc,
    {
      ...DEFAULT_BARRIER,
      title: T.barrierTitle,
      description: T.description,
      rule: T.rule,
      raisedBy: T.raisedBy,
      champion: T.champion,
      flexibility: T.flexibility,
      impactPence: 1_000_000,
    },
    peer,
    6,
  )
  startVote(doc, { title: T.vote, dotsPerPerson: 3, durationMinutes: null, visibility: 'live' }, peer, 7)
  addAction(
    doc,
    { what: T.action, ownerOrganisation: T.owner, ownerPerson: T.ownerPerson, dueDate: '2012-03-31', status: 'open' },
    peer,
    8,
  )
  addDecision(doc, { what: T.decision }, [T.peerOrganisation], peer, 9)
  const agendaItem = addAgendaItem(doc, { title: T.agenda, minutes: 20 })
  setCurrentAgendaItem(doc, agendaItem)
  setTakingPart(doc, T.peerOrganisation, 'partner', peer, 10)
  recordMember(doc, 'peer-away', { name: T.memberName, organisation: T.peerOrganisation, role: 'participant' }, 11)
  raiseHand(doc, peer, 12)
}

async function openComments(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Comments \(/ })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
}

async function openWorkshopPanel(page: Page): Promise<void> {
  const panel = page.locator('.facilitation-panel')
  if (await panel.isVisible()) return
  // Its name grows a count of raised hands for the facilitator.
  await page
    .locator('.shell-tools')
    .getByRole('button', { name: /^Workshop/ })
    .click()
  await panel.waitFor()
}

describe('script payloads in every free-text field', () => {
  it('are shown as text at the join screen and in the names people type', { timeout: 120_000 }, async () => {
    const room = await createRoom(workshop.server, T.title)
    roomId = room.roomId
    tokens = room.tokens
    facilitator = await person()
    observer = await person()
    const link = (token: string) => `${workshop.server.origin}/r/${roomId}?token=${token}`

    // The join screen shows the workshop's title, which whoever created it chose.
    await facilitator.page.goto(link(tokens.facilitator))
    await check(facilitator, 'join screen', [`Join “${T.title}”`])
    await joinWorkshop(
      facilitator.page,
      link(tokens.facilitator),
      typed.facilitatorName,
      typed.facilitatorOrganisation,
      { waitLive: true },
    )
    await joinWorkshop(observer.page, link(tokens.observer), typed.observerName, typed.observerOrganisation, {
      waitLive: true,
    })
    await check(observer, 'observer header', [T.title])

    // Each sees the other's typed name among the people here.
    await openWorkshopPanel(facilitator.page)
    await openWorkshopPanel(observer.page)
    await check(facilitator, 'facilitator: people', [typed.observerName])
    await check(observer, 'observer: people', [typed.facilitatorName])
    expect(await facilitator.page.title()).toBe(`${T.title} · Commonpot`)
  })

  it('are shown as text in the pot, protocol, barriers, actions and the workshop panel', {
    timeout: 120_000,
  }, async () => {
    writer = connect(workshop.server, roomId, tokens.facilitator)
    clients.push(writer)
    await writer.firstSync
    writer.provider.awareness.setLocalStateField('user', {
      id: peer.userId,
      name: peer.name,
      organisation: peer.organisation,
      colour: '#aa3355',
      role: 'facilitator',
    })
    writeEverything(writer.doc)

    for (const [who, watched] of [
      ['facilitator', facilitator],
      ['observer', observer],
    ] as const) {
      const { page } = watched
      await check(watched, `${who}: header`, [T.liveTitle])
      await openWorkshopPanel(page)
      await check(watched, `${who}: workshop panel`, [T.agenda, T.memberName, T.peerName])

      await viewTab(page, 'Pot').click()
      await check(watched, `${who}: pot`, [T.partner, T.stream, T.kindDescription, T.valuation, T.conditions])

      await viewTab(page, 'Protocol').click()
      await openComments(page)
      await check(watched, `${who}: protocol`, [
        T.clauseTitle,
        T.clauseBody,
        JS_URL,
        T.linkText,
        T.reason,
        T.comment,
        T.peerOrganisation,
      ])

      await viewTab(page, 'Barriers').click()
      await page.locator('.barrier-title-button').first().click()
      await check(watched, `${who}: barriers`, [
        T.barrierTitle,
        T.description,
        T.rule,
        T.raisedBy,
        T.champion,
        T.flexibility,
        T.vote,
      ])

      await viewTab(page, 'Actions').click()
      await check(watched, `${who}: actions`, [T.action, T.owner, T.ownerPerson, T.decision])
    }
    expect(await facilitator.page.title()).toBe(`${T.liveTitle} · Commonpot`)

    // The facilitator sees raised hands and the organisations taking part (settings).
    await check(facilitator, 'facilitator: hands and settings', [T.peerName, T.peerOrganisation])
    // The clause's links are rendered as links, without their script URLs.
    await viewTab(facilitator.page, 'Protocol').click()
    await facilitator.page.locator('.clause-editor a', { hasText: T.linkText }).waitFor()
    const hrefs = await facilitator.page
      .locator('.clause-editor a')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')))
    expect(hrefs).toEqual(SCRIPT_HREFS.map(() => ''))

    // Typed into the UI: a comment, shown to the observer.
    await openComments(facilitator.page)
    await facilitator.page.locator('.comment-form textarea').fill(typed.comment)
    await facilitator.page.locator('.comment-form').getByRole('button', { name: 'Comment' }).click()
    await viewTab(observer.page, 'Protocol').click()
    await openComments(observer.page)
    await check(observer, 'observer: typed comment', [typed.comment])
    await check(facilitator, 'facilitator: typed comment', [typed.comment])
  })

  it('are shown as text on the board: shapes a peer wrote, and a pot line placed as a card', {
    timeout: 120_000,
  }, async () => {
    for (const { page } of [facilitator, observer]) {
      await viewTab(page, 'Board').click()
      await page.locator('.tl-canvas').waitFor({ state: 'visible', timeout: 20_000 })
      await page.waitForFunction(
        () => Boolean((window as unknown as { __commonpotEditor?: unknown }).__commonpotEditor),
        null,
        { timeout: 20_000 },
      )
    }
    // Honest shapes from the facilitator's editor give each shape type's exact record layout.
    await facilitator.page.evaluate(() => {
      const plain = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'template' }] }] }
      const editor = (window as unknown as { __commonpotEditor: { createShapes(shapes: unknown[]): void } })
        .__commonpotEditor
      editor.createShapes([
        { id: 'shape:text', type: 'text', x: 120, y: 140, props: { richText: plain, autoSize: false, w: 600 } },
        { id: 'shape:note', type: 'note', x: 120, y: 360, props: { richText: plain } },
        { id: 'shape:geo', type: 'geo', x: 500, y: 360, props: { w: 160, h: 120, richText: plain } },
      ])
    })
    const canvas = openCanvas(writer.doc)
    await waitFor(
      () => ['shape:text', 'shape:note', 'shape:geo'].every((id) => canvas.has(id)),
      5000,
      'the template shapes',
    )
    // A peer rewrites them: payload text, links to script URLs, and a script URL as the shape's link.
    const rewrite = (id: string, props: Record<string, unknown>) => {
      const record = canvas.get(id) as CanvasRecord & { props: Record<string, unknown> }
      canvas.set(id, { ...record, props: { ...record.props, ...props } })
    }
    writer.doc.transact(() => {
      rewrite('shape:text', { richText: richText(T.shapeText) })
      rewrite('shape:note', { richText: richText(T.noteText) })
      rewrite('shape:geo', { richText: richText(T.shapeText), url: JS_URL })
    })

    // The facilitator places the pot line on the board as a card, through the UI.
    await viewTab(facilitator.page, 'Pot').click()
    await facilitator.page.getByRole('button', { name: `Place on board: ${T.partner} · ${T.stream}` }).click()
    await facilitator.page.locator('.tl-canvas').waitFor({ state: 'visible' })

    for (const [who, watched] of [
      ['facilitator', facilitator],
      ['observer', observer],
    ] as const) {
      const { page } = watched
      await page.evaluate(() => {
        ;(window as unknown as { __commonpotEditor: { zoomToFit(): unknown } }).__commonpotEditor.zoomToFit()
      })
      await check(watched, `${who}: board`, [T.shapeText, T.noteText, JS_URL, 'link 0', 'link 3', T.partner])
      // A shape whose link is a script URL is refused as a whole; the other shapes still show.
      const shapes = await page.evaluate(() =>
        (
          window as unknown as {
            __commonpotEditor: { getCurrentPageShapes(): { id: string; props: { url?: string } }[] }
          }
        ).__commonpotEditor
          .getCurrentPageShapes()
          .map((s) => ({ id: s.id, url: s.props.url ?? '' })),
      )
      expect(shapes.filter((s) => s.url.toLowerCase().includes('javascript'))).toEqual([])
    }
  })

  it('are shown as text in snapshot names, the comparison and a snapshot page', { timeout: 120_000 }, async () => {
    // One snapshot named through the UI, one through the API with a named author.
    const { page } = facilitator
    await viewTab(page, 'Snapshots').click()
    await page.getByLabel('Snapshot name').fill(typed.snapshot)
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    const snapshotName = text('Snapshot')
    const author = `${SVG} Fiona`
    const response = await fetch(`${workshop.server.origin}/api/rooms/${roomId}/snapshots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.facilitator}` },
      body: JSON.stringify({ name: snapshotName, author: { name: author, organisation: T.peerOrganisation } }),
    })
    expect(response.status).toBe(201)
    const { id: snapshotId } = (await response.json()) as { id: string }

    // The room moves on, so the comparison has changes to name.
    updatePotLine(writer.doc, lineId, { amount: 75_000_000 }, peer, 20)
    const firstParagraph = (clauseBody(writer.doc, clauseId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    firstParagraph.insert(firstParagraph.length, ` ${text('Added')}`)

    for (const [who, watched] of [
      ['facilitator', facilitator],
      ['observer', observer],
    ] as const) {
      await viewTab(watched.page, 'Snapshots').click()
      await watched.page.reload()
      await watched.page.locator('[data-status="live"]').waitFor()
      await viewTab(watched.page, 'Snapshots').click()
      await check(watched, `${who}: snapshots list`, [typed.snapshot, snapshotName])
      await watched.page.getByLabel('Compare from').selectOption(snapshotId)
      await watched.page.getByRole('button', { name: 'Compare', exact: true }).click()
      await check(watched, `${who}: comparison`, [
        T.clauseTitle,
        `${T.partner} · ${T.stream}: £600,000 → £750,000 (+£150,000)`,
      ])

      // The snapshot page: banner, then each of its views.
      await watched.page.goto(`${workshop.server.origin}/r/${roomId}/snapshots/${snapshotId}`)
      await check(watched, `${who}: snapshot page`, [
        snapshotName,
        `${author} (${T.peerOrganisation})`,
        T.partner,
        T.conditions,
      ])
      const tab = (name: string) =>
        watched.page.getByRole('navigation', { name: 'Snapshot views' }).getByRole('button', { name, exact: true })
      await tab('Protocol').click()
      await check(watched, `${who}: snapshot protocol`, [T.clauseTitle, T.clauseBody, T.linkText, T.reason])
      await tab('Barriers').click()
      await watched.page.locator('.barrier-title-button').first().click()
      await check(watched, `${who}: snapshot barriers`, [T.barrierTitle, T.description, T.flexibility])
      await tab('Actions').click()
      await check(watched, `${who}: snapshot actions`, [T.action, T.owner, T.decision])
    }
    // Hostile content breaks nothing either: no uncaught error on any page.
    for (const { errors } of pages) expect(errors).toEqual([])
  })
})
