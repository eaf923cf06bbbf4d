/**
 * npm run bench:protocol-browser: the protocol in headless Chromium against the production build.
 *
 * 1. A 50-clause protocol: time from opening the Protocol tab until every clause's editor shows its
 *    text, and keystroke-to-visible latency in a browser while a Node client types.
 * 2. Five people typing in one clause: five real Chromium pages (separate contexts, so separate
 *    renderers, as five laptops would be) type at a human rate (~5 characters a second each, each
 *    into its own paragraph of the same clause) while a sixth page, joined as an observer, watches.
 *    Typist 1 types marker strings (`Q000Z`, `Q001Z`, …); the time from its keydown of each marker's
 *    last key (clock of the typist's page) to the marker's appearance in the observer's DOM (a
 *    MutationObserver, clock of the observer's page; both are this machine's clock) is one sample.
 *    Afterwards every page must show the same text, and each paragraph exactly what its typist typed.
 *    The CPU Chromium and the server used while typing is reported with the machine's load, since
 *    six pages on a small machine compete for it (Linux /proc; elsewhere the CPU row reads 0).
 *
 * `--typing-only` runs part 2 alone; `--no-append` prints without appending to docs/benchmarks.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import type { Browser, Page } from 'playwright-core'
import * as Y from 'yjs'
import { addClause, clauseBody, readClauses } from '../../shared/protocol.ts'
import { PROTOCOL_TEMPLATE } from '../../shared/protocolTemplate.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { openBrowserBench } from './browserSession.ts'
import { providerFor, whenSynced } from './scenarios.ts'
import { removeBenchDirs, startOurs, type Target } from './targets.ts'
import { publishReport } from './report.ts'

const CLAUSES = 50
const writer = { userId: 'writer', name: 'Writer', organisation: 'Kent County Council' }

const TYPISTS = 5
const MARKERS = 40
/** Milliseconds between keys: about 5 characters a second, a steady human typist. */
const KEY_DELAY_MS = 200
const TYPIST_ORGANISATIONS = [
  'Kent County Council',
  'Department for Work and Pensions (DWP)',
  'Police',
  'NHS / PCT / GP consortia',
  'Jobcentre Plus',
]
const WORDS = [
  'pool',
  'align',
  'families',
  'budget',
  'partners',
  'agree',
  'outcomes',
  'review',
  'council',
  'savings',
  'data',
  'share',
]

const ms = (value: number) => `${Math.round(value * 10) / 10} ms`

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

async function fiftyClauses(): Promise<{ loadMs: number; samples: number[] }> {
  const bench = await openBrowserBench('Protocol benchmark')
  const { doc } = bench
  doc.transact(() => {
    for (let i = 0; i < CLAUSES; i++) {
      const template = PROTOCOL_TEMPLATE[i % PROTOCOL_TEMPLATE.length]!
      addClause(doc, `${template.title} ${i + 1}`, template.paragraphs, writer, i)
    }
  })
  await new Promise((r) => setTimeout(r, 1000))

  const page = await bench.join()
  const opened = Date.now()
  await page.getByRole('button', { name: 'Protocol' }).click()
  await page.waitForFunction((n) => document.querySelectorAll('.clause-editor__content p').length >= n, CLAUSES, {
    timeout: 60_000,
  })
  const loadMs = Date.now() - opened

  // Latency: the writer appends a marker to the first clause; time until the reader's DOM shows it.
  const firstId = readClauses(doc)[0]!.id
  const paragraph = clauseBody(doc, firstId)!.get(0) as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  const samples: number[] = []
  for (let i = 0; i < 30; i++) {
    const marker = `<${i}>`
    const sent = Date.now()
    text.insert(text.length, marker)
    await page.waitForFunction(
      (m) => (document.querySelector('.clause-editor__content')?.textContent ?? '').includes(m),
      marker,
      { timeout: 5000, polling: 'raf' },
    )
    samples.push(Date.now() - sent)
    await new Promise((r) => setTimeout(r, 60))
  }
  samples.sort((a, b) => a - b)
  await bench.close()
  doc.destroy()
  return { loadMs, samples }
}

async function joinProtocol(browser: Browser, link: string, name: string, organisation: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage()
  await page.goto(link)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your organisation').fill(organisation)
  await page.getByRole('button', { name: 'Join workshop' }).click()
  await page.locator('[data-status="live"]').waitFor({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Protocol', exact: true }).click()
  await page
    .locator('.clause-editor__content p')
    .nth(TYPISTS - 1)
    .waitFor({ timeout: 30_000 })
  return page
}

/**
 * Run in the observing page: records when each marker `Q<nnn>Z` first appears in the clause's DOM,
 * reading the text outside the caret labels (drawn between characters), on every DOM mutation.
 */
const OBSERVE_MARKERS = `(() => {
  const seen = {}
  window.__seen = seen
  const content = document.querySelector('.clause-editor__content')
  new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now()
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement && node.parentElement.closest('.clause-caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    })
    let text = ''
    while (walker.nextNode()) text += walker.currentNode.nodeValue
    for (const match of text.matchAll(/Q(\\d{3})Z/g)) if (!(match[1] in seen)) seen[match[1]] = now
  }).observe(content, { subtree: true, childList: true, characterData: true })
})()`

/** Run in typist 1's page: when each marker's last key (Z) went down. */
const RECORD_Z_KEYS = `(() => {
  const keys = []
  window.__keys = keys
  document.addEventListener('keydown', (event) => { if (event.key === 'Z') keys.push(performance.timeOrigin + performance.now()) }, true)
})()`

/** Linux clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = 100

/** A process and all its descendants, from /proc (empty where there is no /proc). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []))
  return tree
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8')
  } catch {
    return ''
  }
}

/** CPU seconds (user + system) used so far by `pids`, those still running. */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // Gone.
    }
  }
  return ticks / CLOCK_TICKS
}

/** The clause's paragraphs as this page shows them, without the remote caret labels drawn inside. */
function paragraphs(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.clause-editor__content p')].map((p) => {
      const copy = p.cloneNode(true) as HTMLElement
      copy.querySelectorAll('.clause-caret').forEach((caret) => caret.remove())
      return copy.textContent ?? ''
    }),
  )
}

/**
 * Types `text` one key every KEY_DELAY_MS on a fixed schedule, so that the time each key takes to
 * send does not slow the typist down (a fixed delay between keys would add it to every key).
 */
async function typeAtRate(page: Page, text: string): Promise<void> {
  const started = Date.now()
  for (const [i, key] of [...text].entries()) {
    await page.keyboard.type(key)
    const wait = started + (i + 1) * KEY_DELAY_MS - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
}

/** What typist `index` types: words, and for typist 0 a marker after every two words. */
function script(index: number): string {
  let text = ''
  for (let i = 0; i < MARKERS; i++) {
    text += ` ${WORDS[(i * 7 + index * 3) % WORDS.length]} ${WORDS[(i * 5 + index) % WORDS.length]!.slice(0, 3)}`
    if (index === 0) text += ` Q${String(i).padStart(3, '0')}Z`
  }
  return text
}

interface TypingFigures {
  samples: number[]
  typed: number[]
  /** How long the typing lasted (the longest script, typist 1's). */
  typingSeconds: number
  /** The machine's 1-minute load average as typing began and ended: other processes count too. */
  load: [number, number]
  /** Cores in use while typing: Chromium (all six pages and the browser's own processes), our server. */
  cpu: [number, number]
  identical: boolean
  intact: boolean
  settleMs: number
}

async function fiveTypists(server: Target): Promise<TypingFigures> {
  const response = await fetch(`${server.origin}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Protocol typing benchmark' }),
  })
  const room = (await response.json()) as {
    roomId: string
    tokens: { participant: string }
    links: { participant: string; observer: string }
  }
  // A Node client writes the clause: one paragraph per typist, so that markers are never split by
  // another typist's keys; it stays connected as the server's copy to compare with.
  const doc = new Y.Doc()
  const provider = providerFor(server, { roomId: room.roomId, token: room.tokens.participant }, doc)
  await whenSynced(provider)
  const prefixes = Array.from({ length: TYPISTS }, (_, i) => `Typist ${i + 1}:`)
  const clauseId = addClause(doc, 'Decision making', prefixes, writer, 1)

  const browser = await launchBrowser()
  try {
    const observer = await joinProtocol(browser, room.links.observer, 'Watcher', 'HM Treasury')
    const typists: Page[] = []
    for (let i = 0; i < TYPISTS; i++)
      typists.push(await joinProtocol(browser, room.links.participant, `Typist ${i + 1}`, TYPIST_ORGANISATIONS[i]!))

    // Scripts as strings: tsx names functions with a helper that does not exist in the page.
    await observer.evaluate(OBSERVE_MARKERS)
    await typists[0]!.evaluate(RECORD_Z_KEYS)

    // Each typist puts its caret at the end of its own paragraph, then all type at once.
    for (const [i, page] of typists.entries()) {
      await page.locator('.clause-editor__content p').nth(i).click()
      await page.keyboard.press('End')
    }
    const scripts = typists.map((_, i) => script(i))
    const loadBefore = os.loadavg()[0]!
    // Playwright starts Chromium as a child of this process.
    const chromium = processTree(process.pid).filter((pid) => commandOf(pid).includes('chrom'))
    const cpuBefore = [cpuSeconds(chromium), cpuSeconds([server.pid])]
    const started = Date.now()
    await Promise.all(typists.map((page, i) => typeAtRate(page, scripts[i]!)))
    const typingSeconds = (Date.now() - started) / 1000
    const loadAfter = os.loadavg()[0]!
    const cpu: [number, number] = [
      (cpuSeconds(chromium) - cpuBefore[0]!) / typingSeconds,
      (cpuSeconds([server.pid]) - cpuBefore[1]!) / typingSeconds,
    ]

    // Convergence: every page (and the server's copy) ends with the same text.
    const expected = prefixes.map((prefix, i) => prefix + scripts[i])
    const finished = Date.now()
    const pages = [observer, ...typists]
    let identical = false
    let intact = false
    while (Date.now() - finished < 15_000) {
      const seen = await Promise.all(pages.map(paragraphs))
      const node = (clauseBody(doc, clauseId)?.toArray() ?? []).map((p) =>
        p instanceof Y.XmlElement
          ? p
              .toArray()
              .map((t) => (t instanceof Y.XmlText ? t.toString() : ''))
              .join('')
          : '',
      )
      const first = JSON.stringify(seen[0])
      identical = seen.every((s) => JSON.stringify(s) === first) && JSON.stringify(node) === first
      intact = JSON.stringify(seen[0]) === JSON.stringify(expected)
      if (identical && intact) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const settleMs = Date.now() - finished

    const keys = await typists[0]!.evaluate(() => (window as unknown as { __keys: number[] }).__keys)
    const seenAt = await observer.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen)
    const samples: number[] = []
    keys.forEach((at, i) => {
      const shown = seenAt[String(i).padStart(3, '0')]
      if (shown !== undefined) samples.push(shown - at)
    })
    if (samples.length !== MARKERS) console.warn(`only ${samples.length} of ${MARKERS} markers were measured`)
    samples.sort((a, b) => a - b)
    return {
      samples,
      typed: scripts.map((s) => s.length),
      typingSeconds,
      load: [loadBefore, loadAfter],
      cpu,
      identical,
      intact,
      settleMs,
    }
  } finally {
    await browser.close()
    provider.destroy()
    // The awareness timer lives until its document is destroyed, and would keep Node running.
    doc.destroy()
  }
}

async function main() {
  const typingOnly = process.argv.includes('--typing-only')
  const fifty = typingOnly ? null : await fiftyClauses()

  const server = await startOurs()
  let typing: TypingFigures
  try {
    typing = await fiveTypists(server)
  } finally {
    await server.stop()
  }

  const { samples } = typing
  let report = `\n## Protocol in the browser (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n`
  if (fifty) {
    report += `\n| ${CLAUSES}-clause protocol | figure |\n|---|---|\n| Protocol tab opened → every clause's text shown | ${fifty.loadMs} ms |\n| keystroke by another client → visible in this browser (30 samples) | p50 ${fifty.samples[15]} ms, max ${fifty.samples[29]} ms |\n`
  }
  report +=
    `\n| ${TYPISTS} people typing in one clause (${TYPISTS} Chromium pages, ~${1000 / KEY_DELAY_MS} chars/s each, and an observing page; ${os.cpus().length} cores) | figure |\n|---|---|\n` +
    `| typist 1's keystroke → visible in the observing browser (${samples.length} markers) | p50 ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}, max ${ms(samples[samples.length - 1] ?? NaN)} |\n` +
    `| characters typed | ${typing.typed.join(' + ')} = ${typing.typed.reduce((a, b) => a + b, 0)} in ${Math.round(typing.typingSeconds)} s (typist 1 at ${(typing.typed[0]! / typing.typingSeconds).toFixed(1)} chars/s) |\n` +
    `| CPU while typing: Chromium (6 pages) / our server, in cores of ${os.cpus().length} | ${typing.cpu.map((c) => c.toFixed(2)).join(' / ')} |\n` +
    `| machine load average (1 min) as typing began / ended (other processes included) | ${typing.load.map((l) => l.toFixed(1)).join(' / ')} |\n` +
    `| all ${TYPISTS + 1} pages and the server's copy end with identical text | ${typing.identical ? 'yes' : 'NO'}${typing.intact ? ', each paragraph exactly as its typist typed it' : ', but some paragraph differs from what was typed'} (${typing.settleMs} ms after the last key) |\n`
  publishReport(report)
  if (!typing.identical || !typing.intact) process.exitCode = 1
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(removeBenchDirs)
